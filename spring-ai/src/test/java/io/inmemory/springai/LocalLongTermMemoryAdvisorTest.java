package io.inmemory.springai;

import io.inmemory.MemoryClient;
import io.inmemory.springai.testing.SharedServer;

/** The advisor over the local engine (volatile store). */
class LocalLongTermMemoryAdvisorTest extends LongTermMemoryAdvisorContract {
  @Override
  protected MemoryClient openClient() {
    return SharedServer.volatileEngine();
  }
}
