package io.inmemory.store.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.mongodb.client.model.Filters;
import com.mongodb.connection.ClusterType;
import io.inmemory.HistoryEntry;
import io.inmemory.MemoryRecord;
import io.inmemory.StorageException;
import io.inmemory.engine.spi.Change;
import io.inmemory.engine.spi.ChangeBatch;
import io.inmemory.engine.spi.ChangeFeedSettings;
import io.inmemory.engine.spi.ChangeKind;
import io.inmemory.engine.spi.ChangeReader;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoredMemory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the shared change feed contract does not see: a writer that dies between announcing a
 * change and settling it, and how the feed's mode is chosen, recorded and enforced.
 */
class MongoChangeFeedModeTest {
  private static final Instant T0 = Instant.parse("2024-05-01T10:15:30.123Z");
  private static final Duration PENDING_TIMEOUT = Duration.ofMillis(300);
  private static final Duration RETENTION = Duration.ofHours(1);
  private static final PartitionKey ALICE = new PartitionKey("default", "alice");
  private static final PartitionKey BOB = new PartitionKey("default", "bob");

  private final String database = MongoFixture.newDatabase();

  static StoredMemory memory(PartitionKey partition, String content) {
    return new StoredMemory(partition.namespace(), new MemoryRecord(UUID.randomUUID().toString(),
        partition.owner(), content, List.of(), List.of(), null, Map.of(), T0, T0),
        new float[] {0.5f, -0.5f}, "e:1");
  }

  static void insert(MongoMemoryStore store, StoredMemory memory) {
    store.insert(List.of(memory), List.of(new HistoryEntry(memory.id(), memory.memory().userId(),
        HistoryEntry.Event.ADD, null, memory.memory().content(), T0)));
  }

  /** A process on the database, in {@code mode} (on a server that has it). */
  private MongoMemoryStore open(FeedMode mode, Duration pendingTimeout) {
    MongoMemoryStore.Builder builder = mode == FeedMode.LOG
        ? MongoMemoryStore.builder().uri(MongoFixture.uri()).database(database)
        : MongoFixture.streamsStore(database);
    return builder.changeFeed(mode, RETENTION, pendingTimeout).open();
  }

  private static List<Change> read(ChangeReader reader) {
    ChangeBatch batch = reader.next(100, Duration.ofMillis(50));
    assertThat(batch.trimmed()).isFalse();
    return batch.changes();
  }

  /**
   * A writer killed after its memory write, before settling (the test hook skips the settling
   * as a dead process would): its change stays pending, does not hold back a later write of
   * another process, and is applied after the pending timeout, measured from when the reader
   * first saw it (so the first read cannot deliver it, however slow this machine is).
   */
  @ParameterizedTest
  @EnumSource(value = FeedMode.class, names = {"LOG", "CHANGE_STREAM"})
  void aChangeOfAWriterThatDiedMidWriteIsAppliedAfterThePendingTimeout(FeedMode mode) {
    // the later write's process waits long: were its write slow, it would announce it again
    List<MongoMemoryStore> stores = List.of(open(mode, PENDING_TIMEOUT),
        open(mode, ChangeFeedSettings.PENDING_TIMEOUT.defaultValue().orElseThrow()),
        open(mode, PENDING_TIMEOUT));
    MongoMemoryStore dying = stores.get(0);
    MongoMemoryStore other = stores.get(1);
    try (ChangeReader reader = stores.get(2).changeFeed().orElseThrow().openReader()) {
      StoredMemory lost = memory(ALICE, "written, never settled");
      dying.changeLog().crashBeforeSettling = true;
      insert(dying, lost);
      assertThat(other.load(ALICE, List.of(lost.id()))).containsExactly(lost);
      StoredMemory later = memory(BOB, "settled after the dead one");
      insert(other, later);

      List<Change> first = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (first.isEmpty() && System.nanoTime() < deadline) {
        first.addAll(read(reader));
      }
      assertThat(first).as("the later write, not held back by the pending one")
          .singleElement().satisfies(change -> {
            assertThat(change.partition()).isEqualTo(BOB);
            assertThat(change.memoryIds()).containsExactly(later.id());
          });

      List<Change> second = new ArrayList<>();
      while (second.isEmpty() && System.nanoTime() < deadline) {
        second.addAll(read(reader));
      }
      assertThat(second).as("the dead writer's change, after the timeout").singleElement()
          .satisfies(change -> {
            assertThat(change.partition()).isEqualTo(ALICE);
            assertThat(change.kind()).isEqualTo(ChangeKind.INSERT);
            assertThat(change.memoryIds()).containsExactly(lost.id());
            assertThat(change.processId()).isEqualTo(dying.changeFeed().orElseThrow()
                .processId());
          });
      assertThat(read(reader)).as("delivered once").isEmpty();
    } finally {
      stores.forEach(MongoMemoryStore::close);
    }
  }

  /**
   * A write slower than half the pending timeout (here every write: the timeout is 2 ns) may have
   * been applied by readers before it landed, so it is announced again once settled.
   */
  @Test
  void aWriteSlowerThanHalfThePendingTimeoutIsAnnouncedAgainOnceSettled() {
    try (MongoMemoryStore slow = open(FeedMode.LOG, Duration.ofNanos(2));
        MongoMemoryStore follower = open(FeedMode.LOG,
            ChangeFeedSettings.PENDING_TIMEOUT.defaultValue().orElseThrow());
        ChangeReader reader = follower.changeFeed().orElseThrow().openReader()) {
      StoredMemory memory = memory(ALICE, "slow");
      insert(slow, memory);

      List<Change> delivered = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (delivered.size() < 2 && System.nanoTime() < deadline) {
        delivered.addAll(read(reader));
      }
      assertThat(delivered).hasSize(2).allSatisfy(change -> {
        assertThat(change.memoryIds()).containsExactly(memory.id());
        assertThat(change.processId()).isEqualTo(slow.changeFeed().orElseThrow().processId());
      });
      assertThat(read(reader)).isEmpty();
    }
  }

  @Test
  void autoPollsTheLogOnAStandaloneServerAndRecordsTheMode() {
    assumeTrue(MongoFixture.standIn(), "the stand-in is standalone");
    try (MongoMemoryStore store = MongoFixture.openStore(database)) {
      assertThat(store.changeFeed().orElseThrow().describe()).contains("polling");
      assertThat(store.describe()).endsWith("change feed log");
      assertThat(modeRecordedBy(store)).isEqualTo("log");
    }
  }

  @Test
  void autoFollowsAChangeStreamOnAReplicaSet() {
    try (MongoMemoryStore store = MongoFixture.streamsStore(database).open()) {
      assertThat(store.changeFeed().orElseThrow().describe()).contains("change stream");
      assertThat(modeRecordedBy(store)).isEqualTo("change-stream");
    }
  }

  @Test
  void aChangeStreamDemandedOfAStandaloneServerIsRefusedNamingTheKey() {
    assumeTrue(MongoFixture.standIn(), "the stand-in is standalone");
    assertThatThrownBy(() -> MongoMemoryStore.builder().uri(MongoFixture.uri())
        .database(database).changeFeed(FeedMode.CHANGE_STREAM, RETENTION, PENDING_TIMEOUT).open())
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("standalone")
        .hasMessageContaining("inmemory.store.mongo.change-feed");
  }

  /** Records of one mode are invisible to readers of the other, so mixing them is refused. */
  @Test
  void aProcessResolvingAnotherModeThanTheDatabaseRecordsIsRefused() {
    MongoMemoryStore.builder().uri(MongoFixture.uri()).database(database)
        .changeFeed(FeedMode.LOG, RETENTION, PENDING_TIMEOUT).open().close();

    assertThatThrownBy(() -> MongoMemoryStore.builder().uri(MongoFixture.uri())
        .database(database).topology(ClusterType.REPLICA_SET).open())
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("log mode")
        .hasMessageContaining("change-stream")
        .hasMessageContaining("inmemory.store.mongo.change-feed=log");
    try (MongoMemoryStore store = MongoMemoryStore.builder().uri(MongoFixture.uri())
        .database(database).topology(ClusterType.REPLICA_SET)
        .changeFeed(FeedMode.LOG, RETENTION, PENDING_TIMEOUT).open()) {
      assertThat(store.changeFeed().orElseThrow().describe()).contains("polling");
    }
  }

  @Test
  void theModeIsAConfigurationKeyOfThreeValues() {
    assertThat(FeedMode.KEY.parse(" Change-Stream ")).isEqualTo(FeedMode.CHANGE_STREAM);
    assertThat(FeedMode.KEY.defaultValue()).contains(FeedMode.AUTO);
    assertThatThrownBy(() -> FeedMode.KEY.parse("stream"))
        .hasMessage("'stream' is not auto, change-stream or log");
  }

  private static String modeRecordedBy(MongoMemoryStore store) {
    return store.changeLog().connection().collection(Schema.META)
        .find(Filters.eq("_id", Schema.FEED_ID)).first().getString(Schema.MODE_FIELD).getValue();
  }
}
