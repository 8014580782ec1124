package io.inmemory.embeddings.onnx;

import io.inmemory.MemoryClient;
import io.inmemory.tck.SearchContract;

class LocalSearchContractTest extends SearchContract {
  @Override
  protected MemoryClient createClient() {
    return LocalEngine.open();
  }
}
