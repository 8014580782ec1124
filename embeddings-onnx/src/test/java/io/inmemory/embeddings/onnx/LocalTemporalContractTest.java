package io.inmemory.embeddings.onnx;

import io.inmemory.MemoryClient;
import io.inmemory.tck.TemporalContract;

class LocalTemporalContractTest extends TemporalContract {
  @Override
  protected MemoryClient createClient() {
    return LocalEngine.open();
  }
}
