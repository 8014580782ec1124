package io.inmemory.engine;

import io.inmemory.MemoryClient;
import io.inmemory.tck.ConversationContract;

/** The conversation contract on the engine with the volatile store. */
class VolatileConversationContractTest extends ConversationContract {
  @Override
  protected MemoryClient createClient() {
    return VolatileEngine.open();
  }
}
