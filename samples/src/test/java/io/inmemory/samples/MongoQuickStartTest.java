package io.inmemory.samples;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.inmemory.InMemoryConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;

/**
 * The quick start on MongoDB, chosen by configuration alone. No {@code mongod} can be installed
 * here, so a MongoDB wire-protocol server runs in this JVM on a loopback port and the real driver
 * talks to it over TCP ({@code INMEMORY_TEST_MONGODB_URI} points the test at a real MongoDB).
 */
class MongoQuickStartTest extends QuickStartContract {
  private final MongoServer server = new MongoServer(new MemoryBackend());
  private final String uri = uri();

  private String uri() {
    String real = System.getenv("INMEMORY_TEST_MONGODB_URI");
    if (real != null && !real.isBlank()) {
      return real;
    }
    server.bind("127.0.0.1", 0);
    InetSocketAddress address = server.getLocalAddress();
    return "mongodb://127.0.0.1:" + address.getPort();
  }

  @AfterAll
  void stopServer() {
    server.shutdownNow();
  }

  @Override
  protected InMemoryConfig.Builder storage(Path temp) {
    return InMemoryConfig.builder().isolated().set("inmemory.mode", "local")
        .set("inmemory.store", "mongo")
        .set("inmemory.store.mongo.uri", uri)
        .set("inmemory.store.mongo.database", "quickstart_" + temp.getFileName().toString()
            .replaceAll("[^A-Za-z0-9]", ""));
  }

  @Override
  protected String expectedStoreDetail() {
    return "MongoDB";
  }
}
