package io.inmemory.embeddings.onnx;

import io.inmemory.MemoryClient;
import io.inmemory.tck.ConcurrencyContract;

class LocalConcurrencyContractTest extends ConcurrencyContract {
  @Override
  protected MemoryClient createClient() {
    return LocalEngine.open();
  }
}
