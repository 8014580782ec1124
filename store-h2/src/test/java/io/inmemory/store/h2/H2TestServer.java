package io.inmemory.store.h2;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.h2.tools.Server;

/** An H2 TCP server on loopback (random port) for tests, creating databases on first use. */
final class H2TestServer implements AutoCloseable {
  private final Server server;
  private final AtomicInteger databases = new AtomicInteger();

  H2TestServer(Path baseDir) throws SQLException {
    server = Server.createTcpServer("-tcpPort", "0", "-baseDir", baseDir.toString(),
        "-ifNotExists").start();
  }

  /** The URL of a database of this server that no earlier call returned. */
  String newDatabaseUrl() {
    return "jdbc:h2:tcp://127.0.0.1:" + server.getPort() + "/store-" + databases.incrementAndGet();
  }

  @Override
  public void close() {
    server.stop();
  }
}
