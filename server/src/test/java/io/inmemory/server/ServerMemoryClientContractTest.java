package io.inmemory.server;

import io.inmemory.MemoryClient;
import io.inmemory.tck.MemoryClientContract;

/** The client contract suite over HTTP against a live server. */
class ServerMemoryClientContractTest extends MemoryClientContract {
  @Override
  protected MemoryClient createClient() {
    return LiveServer.client();
  }
}
