package io.inmemory.springai;

import io.inmemory.MemoryClient;

/** The advisor over the local engine (volatile store). */
class LocalLongTermMemoryAdvisorTest extends LongTermMemoryAdvisorContract {
  @Override
  protected MemoryClient openClient() {
    return LocalChatMemoryRepositoryTest.volatileEngine();
  }
}
