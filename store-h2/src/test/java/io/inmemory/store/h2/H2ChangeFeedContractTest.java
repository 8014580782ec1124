package io.inmemory.store.h2;

import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.tck.ChangeFeedContract;
import java.time.Duration;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The change feed's contract through an H2 TCP server: two stores on one database of the server,
 * as two replicas sharing it; each test a new database.
 */
class H2ChangeFeedContractTest extends ChangeFeedContract {
  @RegisterExtension
  static final H2TestServer SERVER = new H2TestServer();
  private final String url = SERVER.newDatabaseUrl();

  @Override
  protected MemoryStore openStore(Duration retention) {
    return H2MemoryStore.builder().url(url).feedRetention(retention).open();
  }
}
