package io.inmemory.store.h2;

import io.inmemory.engine.tck.IdempotencyStoreContract;
import io.inmemory.engine.tenant.IdempotencyStore;
import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The idempotency contract through an H2 TCP server, as replicas sharing one database use it:
 * each test a new database of the server.
 */
class H2ServerModeIdempotencyStoreContractTest extends IdempotencyStoreContract {
  @TempDir
  static Path serverDir;
  private static H2TestServer server;
  private H2MemoryStore memoryStore;

  @BeforeAll
  static void startServer() throws SQLException {
    server = new H2TestServer(serverDir);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Override
  protected IdempotencyStore openStore() {
    memoryStore = H2MemoryStore.builder().url(server.newDatabaseUrl()).open();
    return memoryStore.access().idempotency().orElseThrow();
  }

  @Override
  protected void closeStore() {
    memoryStore.close();
  }
}
