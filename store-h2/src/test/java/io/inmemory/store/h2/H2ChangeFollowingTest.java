package io.inmemory.store.h2;

import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.tck.ChangeFollowingContract;
import java.time.Duration;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two engines following each other through one database of an H2 TCP server, as two server
 * replicas would; each test a new database.
 */
class H2ChangeFollowingTest extends ChangeFollowingContract {
  @RegisterExtension
  static final H2TestServer SERVER = new H2TestServer();
  private final String url = SERVER.newDatabaseUrl();

  @Override
  protected MemoryStore openProcess(String name) {
    return H2MemoryStore.builder().url(url).open();
  }

  @Override
  protected void trimAll() {
    try (H2MemoryStore trimmer = H2MemoryStore.builder().url(url)
        .feedRetention(Duration.ofMillis(1)).open()) {
      // every change recorded so far is older than the retention once the clock has moved on
      pause(Duration.ofMillis(5));
      trimmer.changeFeed().orElseThrow().trim();
    }
  }
}
