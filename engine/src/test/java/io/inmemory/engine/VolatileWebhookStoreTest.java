package io.inmemory.engine;

import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.tck.WebhookStoreContract;

class VolatileWebhookStoreTest extends WebhookStoreContract {
  @Override
  protected MemoryStore openStore(boolean recordEvents) {
    return new VolatileMemoryStore(recordEvents);
  }
}
