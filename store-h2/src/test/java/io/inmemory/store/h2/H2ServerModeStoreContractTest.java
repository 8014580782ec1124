package io.inmemory.store.h2;

import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.tck.MemoryStoreContract;
import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store contract through an H2 TCP server on loopback (random port), as a store in another
 * process than its database would see it: each store a new database of the server.
 */
class H2ServerModeStoreContractTest extends MemoryStoreContract {
  @TempDir
  static Path serverDir;
  private static H2TestServer server;
  private String url;

  @BeforeAll
  static void startServer() throws SQLException {
    server = new H2TestServer(serverDir);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Override
  protected MemoryStore openStore() {
    url = server.newDatabaseUrl();
    return H2MemoryStore.builder().url(url).open();
  }

  @Override
  protected MemoryStore reopenStore(MemoryStore current) {
    current.close();
    return H2MemoryStore.builder().url(url).open();
  }
}
