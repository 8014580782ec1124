package io.inmemory.server;

import io.inmemory.MemoryClient;
import io.inmemory.tck.TemporalContract;

/** The client contract suite over HTTP against a live server. */
class ServerTemporalContractTest extends TemporalContract {
  @Override
  protected MemoryClient createClient() {
    return LiveServer.client();
  }
}
