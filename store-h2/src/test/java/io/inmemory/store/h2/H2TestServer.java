package io.inmemory.store.h2;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.h2.tools.Server;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An H2 TCP server on loopback (random port) in a temporary directory, running around a test
 * class that registers it as a static {@code @RegisterExtension} field; databases are created on
 * first use and deleted with the directory afterwards.
 */
final class H2TestServer implements BeforeAllCallback, AfterAllCallback {
  private final AtomicInteger databases = new AtomicInteger();
  private Path baseDir;
  private Server server;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    baseDir = Files.createTempDirectory("h2-server");
    server = Server.createTcpServer("-tcpPort", "0", "-baseDir", baseDir.toString(),
        "-ifNotExists").start();
  }

  /** The URL of a database of this server that no earlier call returned. */
  String newDatabaseUrl() {
    return "jdbc:h2:tcp://127.0.0.1:" + server.getPort() + "/store-" + databases.incrementAndGet();
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    server.stop();
    try (Stream<Path> files = Files.walk(baseDir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }
}
