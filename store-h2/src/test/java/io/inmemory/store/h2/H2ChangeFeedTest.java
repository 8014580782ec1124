package io.inmemory.store.h2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inmemory.ConflictException;
import io.inmemory.MemoryRecord;
import io.inmemory.engine.spi.Change;
import io.inmemory.engine.spi.ChangeBatch;
import io.inmemory.engine.spi.ChangeReader;
import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.spi.StoredMemory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** What the H2 feed adds to its contract: when it is on, and its numbering across processes. */
class H2ChangeFeedTest {
  @RegisterExtension
  static final H2TestServer SERVER = new H2TestServer();
  @TempDir
  Path dir;

  static StoredMemory memory(String userId, String id) {
    Instant now = Instant.parse("2024-05-01T10:15:30Z");
    return new StoredMemory("feed", new MemoryRecord(id, userId, "memory " + id, List.of(),
        List.of(), null, Map.of(), now, now), new float[] {0.6f, 0.8f}, "test-embedder:1");
  }

  static void insert(MemoryStore store, StoredMemory memory) {
    store.insert(List.of(memory), List.of());
  }

  static List<Long> column(String url, String query) throws SQLException {
    List<Long> values = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection(url, "sa", "");
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(query)) {
      while (rows.next()) {
        values.add(rows.getLong(1));
      }
    }
    return values;
  }

  @Test
  void embeddedAndInMemoryDatabasesHaveNoFeedAndRecordNothing() throws SQLException {
    String file = "jdbc:h2:file:" + dir.resolve("inmemory");
    String mem = "jdbc:h2:mem:" + UUID.randomUUID();
    for (String url : List.of(file, mem)) {
      try (MemoryStore store = H2MemoryStore.builder().url(url).open()) {
        insert(store, memory("alice", "m1"));
        store.delete(memory("alice", "m1").partition(), List.of("m1"), List.of());

        assertThat(store.changeFeed()).as(url).isEmpty();
        assertThat(store.access().accessVersion())
            .as("no other process can revoke a key in " + url).isEmpty();
        assertThat(store.describe()).doesNotContain("change feed");
        // a second connection of this JVM sees the same database while the store is open
        assertThat(column(url, "SELECT COUNT(*) FROM inmemory_changes")).containsExactly(0L);
        assertThat(column(url, "SELECT last FROM inmemory_change_counter")).containsExactly(0L);
      }
    }
  }

  @Test
  void anAutoServerDatabaseIsSharedAndHasAFeed() {
    String url = "jdbc:h2:file:" + dir.resolve("inmemory") + ";AUTO_SERVER=TRUE";
    try (MemoryStore writer = H2MemoryStore.builder().url(url).open();
        MemoryStore follower = H2MemoryStore.builder().url(url).open();
        ChangeReader reader = follower.changeFeed().orElseThrow().openReader()) {
      insert(writer, memory("alice", "m1"));

      ChangeBatch batch = reader.next(10, Duration.ZERO);
      assertThat(batch.changes()).extracting(Change::memoryIds).containsExactly(List.of("m1"));
      assertThat(batch.changes().get(0).processId())
          .isEqualTo(writer.changeFeed().orElseThrow().processId());
      assertThat(reader.waits()).isFalse();
      assertThat(follower.describe()).contains("change feed");
      assertThat(follower.access().accessVersion()).hasValue(0);
      assertThat(follower.changeFeed().orElseThrow().describe())
          .isEqualTo("polling inmemory_changes of " + url + ";WRITE_DELAY=0;LOCK_TIMEOUT=10000");
    }
  }

  @Test
  void writesThatChangedNothingRecordNothing() {
    String url = SERVER.newDatabaseUrl();
    try (MemoryStore store = H2MemoryStore.builder().url(url).open();
        ChangeReader reader = store.changeFeed().orElseThrow().openReader()) {
      StoredMemory missing = memory("alice", "never-stored");

      assertThat(store.delete(missing.partition(), List.of(missing.id()), List.of())).isZero();
      store.replaceEmbeddings(List.of(missing));
      store.insert(List.of(), List.of());

      assertThat(reader.next(10, Duration.ZERO)).isEqualTo(ChangeBatch.EMPTY);
    }
  }

  /** A database restored from a backup older than what a reader read counts as trimmed. */
  @Test
  void aCounterBehindTheReaderCountsAsTrimmed() throws SQLException {
    String url = SERVER.newDatabaseUrl();
    try (MemoryStore store = H2MemoryStore.builder().url(url).open();
        ChangeReader reader = store.changeFeed().orElseThrow().openReader()) {
      insert(store, memory("alice", "m1"));
      insert(store, memory("alice", "m2"));
      assertThat(reader.next(10, Duration.ZERO).changes()).hasSize(2);
      try (Connection connection = DriverManager.getConnection(url, "sa", "");
          Statement statement = connection.createStatement()) {
        statement.execute("DELETE FROM inmemory_changes WHERE seq = 2");
        statement.execute("UPDATE inmemory_change_counter SET last = 1");
      }

      assertThat(reader.next(10, Duration.ZERO)).isEqualTo(new ChangeBatch(List.of(), true));
      insert(store, memory("alice", "m3"));
      ChangeBatch next = reader.next(10, Duration.ZERO);
      assertThat(next.trimmed()).isFalse();
      assertThat(next.changes()).extracting(Change::memoryIds).containsExactly(List.of("m3"));
    }
  }

  /**
   * Writers of two processes, some rolled back by a conflict, while a reader follows: the numbers
   * are 1..n without a duplicate or a hole (a rollback gives its number back), the counter is n,
   * and the reader sees them in order, each right after the previous one, never a hole it would
   * take for a trim.
   */
  @Test
  void concurrentWritersOfTwoProcessesNumberChangesWithoutGapsInCommitOrder() throws Exception {
    String url = SERVER.newDatabaseUrl();
    int threads = 4;
    int writes = 40;
    AtomicInteger stored = new AtomicInteger();
    try (MemoryStore a = H2MemoryStore.builder().url(url).open();
        MemoryStore b = H2MemoryStore.builder().url(url).open();
        ChangeReader reader = b.changeFeed().orElseThrow().openReader()) {
      ExecutorService pool = Executors.newFixedThreadPool(2 * threads);
      List<Future<?>> writers = new ArrayList<>();
      for (MemoryStore store : List.of(a, b)) {
        for (int t = 0; t < threads; t++) {
          String user = "user-" + t;
          writers.add(pool.submit(() -> {
            for (int i = 0; i < writes; i++) {
              StoredMemory memory = memory(user, UUID.randomUUID().toString());
              insert(store, memory);
              stored.incrementAndGet();
              assertThatThrownBy(() -> insert(store, memory))
                  .isInstanceOf(ConflictException.class);
            }
          }));
        }
      }
      pool.shutdown();
      List<Long> delivered = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while ((!pool.isTerminated() || delivered.size() < stored.get())
          && System.nanoTime() < deadline) {
        ChangeBatch batch = reader.next(50, Duration.ZERO);
        assertThat(batch.trimmed()).as("a hole after %s", delivered.size()).isFalse();
        batch.changes().forEach(change -> delivered.add(Long.parseLong(change.position())));
        Thread.sleep(2);
      }
      for (Future<?> writer : writers) {
        writer.get();
      }
      List<Long> expected = LongStream.rangeClosed(1, 2L * threads * writes).boxed().toList();
      assertThat(delivered).isEqualTo(expected);
      assertThat(column(url, "SELECT seq FROM inmemory_changes ORDER BY seq"))
          .isEqualTo(expected);
      assertThat(column(url, "SELECT last FROM inmemory_change_counter"))
          .containsExactly((long) expected.size());
    }
  }
}
