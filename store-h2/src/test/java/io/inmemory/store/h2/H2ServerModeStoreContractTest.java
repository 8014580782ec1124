package io.inmemory.store.h2;

import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.tck.MemoryStoreContract;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.h2.tools.Server;
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
  private static Server server;
  private static final AtomicInteger STORES = new AtomicInteger();
  private String url;

  @BeforeAll
  static void startServer() throws SQLException {
    server = Server.createTcpServer("-tcpPort", "0", "-baseDir", serverDir.toString(),
        "-ifNotExists").start();
  }

  @AfterAll
  static void stopServer() {
    server.stop();
  }

  @Override
  protected MemoryStore openStore() {
    url = "jdbc:h2:tcp://127.0.0.1:" + server.getPort() + "/store-" + STORES.incrementAndGet();
    return H2MemoryStore.builder().url(url).open();
  }

  @Override
  protected MemoryStore reopenStore(MemoryStore current) {
    current.close();
    return H2MemoryStore.builder().url(url).open();
  }
}
