package io.inmemory.server;

import io.inmemory.MemoryClient;
import io.inmemory.server.LiveServer.Backend;
import io.inmemory.tck.BatchContract;

/** The batch contract through {@code Inmry} against a live server. */
class ServerBatchContractTest extends BatchContract {
  @Override
  protected MemoryClient createClient() {
    return LiveServer.client(Backend.VOLATILE);
  }
}
