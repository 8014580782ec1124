package io.inmemory.server;

import io.inmemory.InMemoryConfig;
import io.inmemory.engine.spi.Embedder;
import io.inmemory.engine.spi.EmbedderProvider;
import io.inmemory.engine.tck.HashingEmbedder;

/**
 * The engine's deterministic test embedder as a provider, selected by
 * {@code INMEMORY_EMBEDDER=}{@value #NAME} only, so that server JVMs testing mechanics (not
 * meaning) start without loading the ONNX model. Registered on the class path of those JVMs only
 * ({@link ReplicaCluster}). Stateless and thread-safe.
 */
public final class HashingEmbedderProvider implements EmbedderProvider {
  static final String NAME = "test-hashing";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Embedder create(InMemoryConfig config) {
    return new HashingEmbedder();
  }

  /** Never the default: the ONNX embedder stays the one picked when none is named. */
  @Override
  public boolean explicitOnly() {
    return true;
  }
}
