package io.inmemory.store.mongo;

import io.inmemory.AsyncMemoryClient;
import io.inmemory.tck.AsyncMemoryClientContract;

class MongoAsyncMemoryClientContractTest extends AsyncMemoryClientContract {
  @Override
  protected AsyncMemoryClient createAsyncClient() {
    return MongoEngine.open().async();
  }
}
