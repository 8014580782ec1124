package io.inmemory.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.HistoryEntry;
import io.inmemory.StorageException;
import io.inmemory.engine.spi.ChangeSet;
import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoredMemory;
import io.inmemory.engine.tck.HashingEmbedder;
import io.inmemory.engine.tenant.AccessStore;
import io.inmemory.server.TestServer.Answer;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Health reports a store that is down as 503, without secrets. */
class HealthTest {

  /** A store whose connection can be cut. */
  private record CuttableStore(MemoryStore delegate, AtomicBoolean down) implements MemoryStore {
    private void check() {
      if (down.get()) {
        throw new StorageException("connection to db-host.internal refused");
      }
    }

    @Override
    public void insert(List<StoredMemory> memories, List<HistoryEntry> entries) {
      check();
      delegate.insert(memories, entries);
    }

    @Override
    public void replace(StoredMemory memory, HistoryEntry entry) {
      check();
      delegate.replace(memory, entry);
    }

    @Override
    public void commit(ChangeSet changes) {
      check();
      delegate.commit(changes);
    }

    @Override
    public void replaceEmbeddings(List<StoredMemory> memories) {
      check();
      delegate.replaceEmbeddings(memories);
    }

    @Override
    public int delete(PartitionKey partition, List<String> ids, List<HistoryEntry> entries) {
      check();
      return delegate.delete(partition, ids, entries);
    }

    @Override
    public List<StoredMemory> load(PartitionKey partition) {
      check();
      return delegate.load(partition);
    }

    @Override
    public List<HistoryEntry> history(PartitionKey partition, String memoryId) {
      check();
      return delegate.history(partition, memoryId);
    }

    @Override
    public AccessStore access() {
      return delegate.access();
    }

    @Override
    public void ping() {
      check();
      delegate.ping();
    }

    @Override
    public String describe() {
      return "cuttable";
    }

    @Override
    public void close() {
      delegate.close();
    }
  }

  @Test
  void aStoreThatIsDownIs503() {
    AtomicBoolean down = new AtomicBoolean();
    try (TestServer server = new TestServer(config -> { },
        new CuttableStore(TestServer.volatileStore(), down), new HashingEmbedder())) {
      String key = server.newKey("p");
      Answer up = server.get("/v1/health", null);
      assertThat(up.status()).isEqualTo(200);
      // the engine's partition cache, in aggregate figures only
      assertThat(up.json().at("/components/partitions/status").asText()).isEqualTo("UP");
      assertThat(up.json().at("/components/partitions/detail").asText()).contains("partitions");
      down.set(true);
      Answer health = server.get("/v1/health", null);
      assertThat(health.status()).isEqualTo(503);
      assertThat(health.json().get("status").asText()).isEqualTo("DOWN");
      assertThat(health.json().at("/components/store/status").asText()).isEqualTo("DOWN");
      assertThat(health.json().at("/components/embedder/status").asText()).isEqualTo("UP");
      assertThat(health.json().at("/components/store/detail").asText())
          .startsWith("StorageException");
      assertThat(health.response().body()).doesNotContain("db-host");

      Answer list = server.get("/v1/memories?user_id=u", key);
      assertThat(list.status()).isEqualTo(503);
      assertThat(list.problemType()).isEqualTo("urn:inmemory:problem:storage-unavailable");
      assertThat(list.response().body()).doesNotContain("db-host");
    }
  }
}
