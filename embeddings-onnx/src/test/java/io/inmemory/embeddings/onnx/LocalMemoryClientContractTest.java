package io.inmemory.embeddings.onnx;

import io.inmemory.MemoryClient;
import io.inmemory.tck.MemoryClientContract;

class LocalMemoryClientContractTest extends MemoryClientContract {
  @Override
  protected MemoryClient createClient() {
    return LocalEngine.open();
  }
}
