package io.inmemory.server;

import io.inmemory.MemoryClient;
import io.inmemory.tck.SearchContract;

/** The client contract suite over HTTP against a live server. */
class ServerSearchContractTest extends SearchContract {
  @Override
  protected MemoryClient createClient() {
    return LiveServer.client();
  }
}
