package io.inmemory.store.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import io.inmemory.HistoryEntry;
import io.inmemory.MemoryRecord;
import io.inmemory.engine.spi.ChangeFeedSettings;
import io.inmemory.engine.spi.StoredMemory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * What the change feed costs a writer: commands sent per single-memory insert (as the engine's
 * add makes them) and inserts per second, with the feed recording and without, in log mode on
 * the stand-in and in change-stream mode on the stand-in with an oplog; printed, not asserted
 * (the machine's speed is not the code's). Opt-in: {@code -Dinmemory.test.feed-cost=true}.
 */
class MongoFeedCostTest {
  private static final int WARM_UP = 300;
  private static final int WRITES = 2000;
  private static final int ROUNDS = 4;
  private static final Instant T0 = Instant.parse("2024-05-01T10:15:30.123Z");

  @Test
  void addThroughputWithTheFeedOnAndOff() throws Exception {
    assumeTrue(Boolean.getBoolean("inmemory.test.feed-cost"),
        "opt-in: -Dinmemory.test.feed-cost=true");
    Duration pending = ChangeFeedSettings.PENDING_TIMEOUT.defaultValue().orElseThrow();
    Duration retention = ChangeFeedSettings.RETENTION.defaultValue().orElseThrow();
    for (FeedMode mode : List.of(FeedMode.LOG, FeedMode.CHANGE_STREAM)) {
      String uri = mode == FeedMode.LOG ? MongoFixture.uri() : MongoFixture.streamsUri();
      AtomicLong commands = new AtomicLong();
      try (MongoClient client = MongoClients.create(MongoClientSettings.builder()
          .applyConnectionString(new ConnectionString(uri))
          .addCommandListener(new CommandListener() {
            @Override
            public void commandStarted(CommandStartedEvent event) {
              commands.incrementAndGet();
            }
          }).build())) {
        Supplier<MongoMemoryStore.Builder> builder = () -> {
          MongoMemoryStore.Builder plain = MongoMemoryStore.builder().client(client);
          return (mode == FeedMode.LOG ? plain.database(MongoFixture.newDatabase())
              : MongoFixture.streamsStore(plain, MongoFixture.newDatabase()))
              .changeFeed(mode, retention, pending);
        };
        try (MongoMemoryStore off = builder.get().recording(false).open();
            MongoMemoryStore on = builder.get().open()) {
          for (MongoMemoryStore store : List.of(off, on)) {
            insert(store, 1, WARM_UP);
            long before = commands.get();
            insert(store, 1, WARM_UP);
            System.out.printf("feed cost: %s mode, feed %s: %.2f commands per add%n",
                mode.value(), store == on ? "on " : "off",
                (commands.get() - before) / (double) WARM_UP);
          }
          for (int threads : List.of(1, 4)) {
            long[] nanos = new long[2];
            // rounds alternate, so that the load of this shared machine weighs on both alike
            for (int round = 0; round < ROUNDS; round++) {
              for (MongoMemoryStore store : List.of(off, on)) {
                long started = System.nanoTime();
                insert(store, threads, WRITES / ROUNDS);
                nanos[store == on ? 1 : 0] += System.nanoTime() - started;
              }
            }
            System.out.printf("feed cost: %s mode, %d thread(s): %.0f adds/s feed off, %.0f"
                + " adds/s feed on%n", mode.value(), threads, WRITES / (nanos[0] / 1e9),
                WRITES / (nanos[1] / 1e9));
          }
          assertThat(on.changeLog().collection().countDocuments(
              Filters.eq(ChangeLog.STATE, ChangeLog.DONE))).isEqualTo(2 * (WARM_UP + WRITES));
          assertThat(off.changeLog().collection().countDocuments()).isZero();
        }
      }
    }
  }

  private static void insert(MongoMemoryStore store, int threads, int writes) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String user = "user-" + t;
        done.add(pool.submit(() -> {
          for (int i = 0; i < writes / threads; i++) {
            StoredMemory memory = new StoredMemory("default", new MemoryRecord(
                UUID.randomUUID().toString(), user, "memory " + i, List.of(), List.of(), null,
                Map.of(), T0, T0), new float[] {0.5f, -0.5f}, "e:1");
            store.insert(List.of(memory), List.of(new HistoryEntry(memory.id(), user,
                HistoryEntry.Event.ADD, null, memory.memory().content(), T0)));
          }
        }));
      }
      for (Future<?> future : done) {
        future.get();
      }
    } finally {
      pool.shutdown();
    }
  }
}
