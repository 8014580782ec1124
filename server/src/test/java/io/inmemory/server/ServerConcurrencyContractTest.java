package io.inmemory.server;

import io.inmemory.MemoryClient;
import io.inmemory.tck.ConcurrencyContract;

/** The client contract suite over HTTP against a live server. */
class ServerConcurrencyContractTest extends ConcurrencyContract {
  @Override
  protected MemoryClient createClient() {
    return LiveServer.client();
  }
}
