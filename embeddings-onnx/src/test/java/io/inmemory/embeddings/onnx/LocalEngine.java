package io.inmemory.embeddings.onnx;

import io.inmemory.InMemoryConfig;
import io.inmemory.engine.Memory;

/**
 * The local engine the contract suites run against here: the volatile store and the real default
 * ONNX embedder, selected by configuration exactly as an application would get them.
 */
final class LocalEngine {
  private LocalEngine() {}

  static Memory open() {
    return new Memory(InMemoryConfig.builder().isolated().set("inmemory.store", "memory").build());
  }
}
