package io.inmemory.embeddings.onnx;

import io.inmemory.AsyncMemoryClient;
import io.inmemory.tck.AsyncMemoryClientContract;

class LocalAsyncMemoryClientContractTest extends AsyncMemoryClientContract {
  @Override
  protected AsyncMemoryClient createAsyncClient() {
    return LocalEngine.open().async();
  }
}
