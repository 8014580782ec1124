package io.inmemory.engine.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inmemory.ConflictException;
import io.inmemory.HistoryEntry;
import io.inmemory.MemoryRecord;
import io.inmemory.NotFoundException;
import io.inmemory.engine.spi.Change;
import io.inmemory.engine.spi.ChangeBatch;
import io.inmemory.engine.spi.ChangeFeed;
import io.inmemory.engine.spi.ChangeFeedSettings;
import io.inmemory.engine.spi.ChangeKind;
import io.inmemory.engine.spi.ChangeReader;
import io.inmemory.engine.spi.ChangeSet;
import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoredMemory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of a store's {@link ChangeFeed}, seen by two processes sharing one database. A
 * store with a feed extends this class and implements {@link #openStore(Duration)}: each call opens
 * a new store instance (a process of its own, with its own {@link ChangeFeed#processId()}) on the
 * database of the running test. JUnit makes a new instance of the test class for every test, so a
 * field initialized to a new database gives each test its own, empty one.
 *
 * <p>Positions are opaque: the suite only compares changes by what they name. Readers are read
 * with {@link ChangeReader#next} until what the suite expects arrived (within {@link #DEADLINE}),
 * then once more to check nothing else comes.
 */
public abstract class ChangeFeedContract {
  /** How long the suite waits for changes to arrive before it fails. */
  protected static final Duration DEADLINE = Duration.ofSeconds(10);
  /**
   * The retention of the trimming test; stores must accept it although the key's minimum is 1 s.
   */
  protected static final Duration SHORT_RETENTION = Duration.ofMillis(200);
  private static final Instant T0 = Instant.parse("2024-05-01T10:15:30.123Z");
  private static final String NAMESPACE = "feed";
  private static final Duration WAIT = Duration.ofMillis(50);

  private final Random random = new Random(7);
  private final List<MemoryStore> opened = new ArrayList<>();
  private final List<ChangeReader> readers = new ArrayList<>();
  /** Two processes on the test's database. */
  protected MemoryStore a;
  protected MemoryStore b;
  /** A reader of b's feed, opened before the test wrote anything. */
  private ChangeReader readerOfB;

  /**
   * A new store instance on the running test's database, as another process would open it; its
   * feed keeps changes for {@code retention} (the default retention, or {@link #SHORT_RETENTION}).
   * The suite closes every store it opened.
   */
  protected abstract MemoryStore openStore(Duration retention);

  /**
   * Trims {@code store}'s feed as the engine does once a minute; stores whose database trims by
   * itself (a TTL index, a capped log) override it to force what their trimming does.
   */
  protected void trim(MemoryStore store) {
    feed(store).trim();
  }

  @BeforeEach
  void openStores() {
    a = open(ChangeFeedSettings.RETENTION.defaultValue().orElseThrow());
    b = open(ChangeFeedSettings.RETENTION.defaultValue().orElseThrow());
    readerOfB = reader(b);
  }

  @AfterEach
  void closeStores() {
    readers.forEach(ChangeReader::close);
    opened.forEach(MemoryStore::close);
  }

  private MemoryStore open(Duration retention) {
    MemoryStore store = openStore(retention);
    opened.add(store);
    return store;
  }

  private ChangeReader reader(MemoryStore store) {
    ChangeReader reader = feed(store).openReader();
    readers.add(reader);
    return reader;
  }

  private static ChangeFeed feed(MemoryStore store) {
    return store.changeFeed().orElseThrow(() -> new AssertionError(store + " has no feed"));
  }

  private static String processOf(MemoryStore store) {
    return feed(store).processId();
  }

  // ------------------------------------------------------------------ writes

  private StoredMemory memory(String userId, String content) {
    return memory(userId, UUID.randomUUID().toString(), content);
  }

  private StoredMemory memory(String userId, String id, String content) {
    float[] vector = new float[8];
    for (int i = 0; i < vector.length; i++) {
      vector[i] = random.nextFloat() - 0.5f;
    }
    return new StoredMemory(NAMESPACE, new MemoryRecord(id, userId, content, List.of("t"),
        List.of(), null, Map.of(), T0, T0), vector, "test-embedder:1");
  }

  /** {@code memory} with new content (and embedding), as an update stores it. */
  private StoredMemory updated(StoredMemory memory, String content) {
    return memory(memory.memory().userId(), memory.id(), content);
  }

  private static PartitionKey key(String userId) {
    return new PartitionKey(NAMESPACE, userId);
  }

  private static HistoryEntry entry(StoredMemory memory, HistoryEntry.Event event) {
    return new HistoryEntry(memory.id(), memory.memory().userId(), event, null,
        memory.memory().content(), T0);
  }

  private static void insert(MemoryStore store, StoredMemory... memories) {
    store.insert(List.of(memories),
        List.of(memories).stream().map(m -> entry(m, HistoryEntry.Event.ADD)).toList());
  }

  private static void replace(MemoryStore store, StoredMemory memory) {
    store.replace(memory, entry(memory, HistoryEntry.Event.UPDATE));
  }

  private static List<String> ids(StoredMemory... memories) {
    return List.of(memories).stream().map(StoredMemory::id).toList();
  }

  // ------------------------------------------------------------------ reading

  /**
   * Reads until {@code count} changes arrived, checking each with {@code atDelivery} as soon as
   * its batch is returned, then once more to see that nothing else does.
   */
  private static List<Change> await(ChangeReader reader, int count, Consumer<Change> atDelivery) {
    List<Change> delivered = new ArrayList<>();
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (delivered.size() < count && System.nanoTime() < deadline) {
      ChangeBatch batch = next(reader);
      assertThat(batch.trimmed()).as("nothing was trimmed").isFalse();
      batch.changes().forEach(atDelivery);
      delivered.addAll(batch.changes());
    }
    assertThat(delivered).as("changes delivered within %s", DEADLINE).hasSize(count);
    assertThat(next(reader).changes()).as("changes after the expected %s", delivered).isEmpty();
    return delivered;
  }

  private static List<Change> await(ChangeReader reader, int count) {
    return await(reader, count, change -> { });
  }

  private static ChangeBatch next(ChangeReader reader) {
    ChangeBatch batch = reader.next(100, WAIT);
    if (batch.changes().isEmpty() && !reader.waits()) {
      sleep(WAIT.toMillis());
    }
    return batch;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * The one change delivered for a write that touched {@code partition}, checked to be of
   * {@code kind} by {@code writer}, stamped within the write, and already visible through
   * {@code reader}'s store when it was delivered: {@code visible} is what
   * {@link MemoryStore#load(PartitionKey, Collection)} of its ids must answer.
   */
  private Change expectOne(ChangeKind kind, MemoryStore writer, PartitionKey partition,
      Instant before, Collection<StoredMemory> visible) {
    Change change = await(readerOfB, 1, delivered ->
        assertThat(b.load(delivered.partition(), idsOrAll(delivered)))
            .as("what %s names, loaded when it was delivered", delivered)
            .containsExactlyInAnyOrderElementsOf(visible)).get(0);
    assertChange(change, kind, writer, partition, before);
    return change;
  }

  private void assertChange(Change change, ChangeKind kind, MemoryStore writer,
      PartitionKey partition, Instant before) {
    assertThat(change.kind()).as("kind of %s", change).isEqualTo(kind);
    assertThat(change.partition()).as("partition of %s", change).isEqualTo(partition);
    assertThat(change.processId()).as("writer of %s", change).isEqualTo(processOf(writer));
    assertThat(change.at()).as("time of %s", change)
        .isBetween(before.minusMillis(1), Instant.now().plusMillis(1));
  }

  /** The ids a change names, or every id the partition ever had in this suite's writes. */
  private List<String> idsOrAll(Change change) {
    return change.memoryIds() != null ? change.memoryIds() : everyId.getOrDefault(
        change.partition(), List.of());
  }

  /** For whole-partition changes: the ids written to each partition. */
  private final Map<PartitionKey, List<String>> everyId = new ConcurrentHashMap<>();

  // ------------------------------------------------------------------ tests

  @Test
  void eachStoreHasOneFeedWithItsOwnProcessId() {
    assertThat(a.changeFeed()).containsSame(feed(a));
    assertThat(processOf(a)).isNotBlank().isNotEqualTo(processOf(b));
    assertThat(feed(a).describe()).isNotBlank();
    assertThat(readerOfB.next(10, WAIT)).isEqualTo(ChangeBatch.EMPTY);
  }

  @Test
  void anInsertIsOneChangePerPartitionSeenByEveryProcessWithItsWriter() {
    ChangeReader readerOfA = reader(a);
    StoredMemory alice1 = memory("alice", "I love pizza");
    StoredMemory alice2 = memory("alice", "My dog is Rex");
    StoredMemory bob = memory("bob", "I live in Paris");
    Instant before = Instant.now();

    insert(a, alice1, bob, alice2);

    for (ChangeReader reader : List.of(readerOfB, readerOfA)) {
      Map<PartitionKey, Change> byPartition = aliceAndBob(reader, ChangeKind.INSERT, a, before,
          List.of(alice1, alice2), bob);
      assertThat(byPartition.get(key("alice")).memoryIds())
          .containsExactlyInAnyOrderElementsOf(ids(alice1, alice2));
      assertThat(byPartition.get(key("bob")).memoryIds()).containsExactly(bob.id());
    }
  }

  /**
   * The two changes of a write of alice's and bob's partitions by {@code writer}, by partition,
   * checked like {@link #expectOne}: {@code alices} and {@code bob} are what loading their ids
   * answers when they are delivered.
   */
  private Map<PartitionKey, Change> aliceAndBob(ChangeReader reader, ChangeKind kind,
      MemoryStore writer, Instant before, List<StoredMemory> alices, StoredMemory bob) {
    List<Change> changes = await(reader, 2, change ->
        assertThat(b.load(change.partition(), change.memoryIds())).as("loaded at delivery")
            .containsExactlyInAnyOrderElementsOf(
                change.partition().equals(key("alice")) ? alices : List.of(bob)));
    Map<PartitionKey, Change> byPartition = changes.stream()
        .collect(Collectors.toMap(Change::partition, change -> change));
    assertThat(byPartition).containsOnlyKeys(key("alice"), key("bob"));
    assertChange(byPartition.get(key("alice")), kind, writer, key("alice"), before);
    assertChange(byPartition.get(key("bob")), kind, writer, key("bob"), before);
    return byPartition;
  }

  @Test
  void aReplaceIsOneChangeNamingTheMemory() {
    StoredMemory original = memory("alice", "I live in Paris");
    insert(a, original);
    await(readerOfB, 1);
    StoredMemory replacement = updated(original, "I live in Berlin");
    Instant before = Instant.now();

    replace(b, replacement);

    Change change = expectOne(ChangeKind.REPLACE, b, key("alice"), before, List.of(replacement));
    assertThat(change.memoryIds()).containsExactly(original.id());
  }

  @Test
  void aCommitIsOneChangeNamingTheInsertedAndReplacedMemories() {
    StoredMemory old = memory("alice", "I live in Paris");
    insert(a, old);
    await(readerOfB, 1);
    StoredMemory next = memory("alice", "I moved to Berlin");
    StoredMemory marked = updated(old, "I live in Paris (superseded)");
    ChangeSet supersede = new ChangeSet(key("alice"), List.of(next), List.of(marked),
        List.of(entry(next, HistoryEntry.Event.ADD), entry(marked, HistoryEntry.Event.SUPERSEDE)));
    Instant before = Instant.now();

    a.commit(supersede);

    Change change = expectOne(ChangeKind.COMMIT, a, key("alice"), before, List.of(next, marked));
    assertThat(change.memoryIds()).containsExactlyInAnyOrder(next.id(), old.id());
  }

  @Test
  void aDeleteIsOneChangeNamingWhatItDeleted() {
    StoredMemory drop1 = memory("alice", "one");
    StoredMemory drop2 = memory("alice", "two");
    StoredMemory keep = memory("alice", "three");
    insert(a, drop1, drop2, keep);
    await(readerOfB, 1);
    String unknown = UUID.randomUUID().toString();
    Instant before = Instant.now();

    assertThat(b.delete(key("alice"), List.of(drop1.id(), unknown, drop2.id()),
        List.of(entry(drop1, HistoryEntry.Event.DELETE), entry(drop2, HistoryEntry.Event.DELETE))))
        .isEqualTo(2);

    Change change = expectOne(ChangeKind.DELETE, b, key("alice"), before, List.of());
    assertThat(change.memoryIds()).as("the deleted ids, perhaps with the unknown one")
        .contains(drop1.id(), drop2.id()).isSubsetOf(drop1.id(), drop2.id(), unknown);
    assertThat(b.load(key("alice"))).containsExactly(keep);
  }

  @Test
  void writesOfMoreThanMaxIdsAreWholePartitionChanges() {
    List<StoredMemory> many = IntStream.rangeClosed(0, Change.MAX_IDS)
        .mapToObj(i -> memory("alice", "memory " + i)).toList();
    List<String> manyIds = many.stream().map(StoredMemory::id).toList();
    everyId.put(key("alice"), manyIds);
    Instant before = Instant.now();

    a.insert(many, List.of());

    Change inserted = expectOne(ChangeKind.INSERT, a, key("alice"), before, many);
    assertThat(inserted.wholePartition()).isTrue();
    List<String> withUnknown = new ArrayList<>(manyIds);
    withUnknown.add(UUID.randomUUID().toString());
    assertThat(b.load(key("alice"), withUnknown)).as("a load of more ids than one query takes")
        .containsExactlyInAnyOrderElementsOf(many);

    before = Instant.now();
    assertThat(b.delete(key("alice"), manyIds, List.of())).isEqualTo(many.size());

    Change deleted = expectOne(ChangeKind.DELETE, b, key("alice"), before, List.of());
    assertThat(deleted.wholePartition()).isTrue();
  }

  @Test
  void replacedEmbeddingsAreOneChangePerPartition() {
    StoredMemory alice = memory("alice", "I love pizza");
    StoredMemory bob = memory("bob", "I live in Paris");
    insert(a, alice, bob);
    await(readerOfB, 2);
    StoredMemory aliceReembedded = updated(alice, "I love pizza");
    StoredMemory bobReembedded = updated(bob, "I live in Paris");
    StoredMemory ghost = memory("alice", "never stored");
    Instant before = Instant.now();

    b.replaceEmbeddings(List.of(aliceReembedded, ghost, bobReembedded));

    Map<PartitionKey, Change> byPartition = aliceAndBob(readerOfB, ChangeKind.EMBEDDINGS, b,
        before, List.of(aliceReembedded), bobReembedded);
    assertThat(byPartition.get(key("alice")).memoryIds()).contains(alice.id())
        .isSubsetOf(alice.id(), ghost.id());
    assertThat(byPartition.get(key("bob")).memoryIds()).containsExactly(bob.id());
  }

  @Test
  void failedWritesDeliverNothing() {
    StoredMemory existing = memory("alice", "I love pizza");
    insert(a, existing);
    await(readerOfB, 1);
    StoredMemory fresh = memory("alice", "fresh");
    StoredMemory ghost = memory("alice", "never stored");

    assertThatThrownBy(() -> insert(a, fresh, updated(existing, "again")))
        .isInstanceOf(ConflictException.class);
    assertThatThrownBy(() -> replace(b, ghost)).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> a.commit(new ChangeSet(key("alice"), List.of(fresh),
        List.of(ghost), List.of()))).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> b.commit(new ChangeSet(key("alice"), List.of(existing),
        List.of(), List.of()))).isInstanceOf(ConflictException.class);
    StoredMemory marker = memory("bob", "written after the failures");
    Instant before = Instant.now();
    insert(b, marker);

    Change change = expectOne(ChangeKind.INSERT, b, key("bob"), before, List.of(marker));
    assertThat(change.memoryIds()).containsExactly(marker.id());
  }

  @Test
  void aReaderOpenedAfterAWriteDoesNotDeliverIt() {
    insert(a, memory("alice", "before the reader"));
    ChangeReader late = reader(b);
    StoredMemory after = memory("alice", "after the reader");

    insert(a, after);

    assertThat(await(late, 1).get(0).memoryIds()).containsExactly(after.id());
  }

  /**
   * Writers in both processes, several threads each, some writes failing, while a reader of each
   * process follows: every write that returned is delivered exactly once to both, and when it is
   * delivered the memory it names is already stored. Positions are distinct.
   */
  @Test
  void concurrentWritesOfBothProcessesAreEachDeliveredOnceAndFailedOnesNever() throws Exception {
    int threads = 3;
    int writes = 100;
    ChangeReader readerOfA = reader(a);
    Set<String> succeeded = ConcurrentHashMap.newKeySet();
    ExecutorService pool = Executors.newFixedThreadPool(2 * threads);
    List<Future<?>> writers = new ArrayList<>();
    for (MemoryStore store : List.of(a, b)) {
      for (int t = 0; t < threads; t++) {
        String user = "user-" + t; // both processes write each partition
        writers.add(pool.submit(() -> write(store, user, writes, succeeded)));
      }
    }
    pool.shutdown();
    Map<ChangeReader, MemoryStore> followers = Map.of(readerOfA, a, readerOfB, b);
    Map<ChangeReader, List<String>> delivered = Map.of(readerOfA, new ArrayList<>(), readerOfB,
        new ArrayList<>());
    Set<String> positions = new HashSet<>();
    long deadline = System.nanoTime() + DEADLINE.toNanos() * 3;
    while (System.nanoTime() < deadline && !(pool.isTerminated()
        && delivered.values().stream().allMatch(list -> list.size() >= succeeded.size()))) {
      for (ChangeReader reader : followers.keySet()) {
        ChangeBatch batch = reader.next(100, Duration.ofMillis(10));
        assertThat(batch.trimmed()).isFalse();
        for (Change change : batch.changes()) {
          assertThat(followers.get(reader).load(change.partition(), change.memoryIds()))
              .as("what %s names, loaded when it was delivered", change)
              .hasSize(change.memoryIds().size());
          delivered.get(reader).add(change.kind() + " " + change.memoryIds().get(0) + " by "
              + change.processId());
          if (reader == readerOfA) {
            assertThat(positions.add(change.position())).as("new position %s", change).isTrue();
          }
        }
      }
      sleep(5);
    }
    assertThat(pool.awaitTermination(1, TimeUnit.SECONDS)).isTrue();
    for (Future<?> writer : writers) {
      writer.get();
    }
    assertThat(succeeded).hasSize(2 * threads * writes * 8 / 10);
    for (ChangeReader reader : followers.keySet()) {
      assertThat(delivered.get(reader)).as("delivered to %s", followers.get(reader))
          .containsExactlyInAnyOrderElementsOf(succeeded);
      assertThat(reader.next(100, WAIT).changes()).isEmpty();
    }
  }

  /**
   * {@code count} writes of {@code user}'s partition: inserts, replaces of the last insert, and
   * failing inserts (an existing id) and replaces (a missing id); what succeeded goes into
   * {@code succeeded} as the readers describe it.
   */
  private void write(MemoryStore store, String user, int count, Set<String> succeeded) {
    String writer = processOf(store);
    StoredMemory last = null;
    for (int i = 0; i < count; i++) {
      switch (i % 10) {
        case 3 -> {
          replace(store, updated(last, "updated " + i));
          succeeded.add(ChangeKind.REPLACE + " " + last.id() + " by " + writer);
        }
        case 6 -> {
          StoredMemory existing = last;
          assertThatThrownBy(() -> insert(store, updated(existing, "again")))
              .isInstanceOf(ConflictException.class);
        }
        case 9 -> assertThatThrownBy(() -> replace(store, memory(user, "missing")))
            .isInstanceOf(NotFoundException.class);
        default -> {
          last = memory(user, "memory " + i);
          insert(store, last);
          succeeded.add(ChangeKind.INSERT + " " + last.id() + " by " + writer);
        }
      }
    }
  }

  @Test
  void trimmingTellsAReaderBehindButNotOneAtTheHeadAndWritesGoOn() {
    MemoryStore writer = open(SHORT_RETENTION);
    MemoryStore follower = open(SHORT_RETENTION);
    ChangeReader behind = reader(follower);
    ChangeReader caughtUp = reader(follower);
    for (int i = 0; i < 3; i++) {
      insert(writer, memory("alice", "trimmed " + i));
    }
    await(caughtUp, 3);
    ChangeReader atHead = reader(follower);
    sleep(SHORT_RETENTION.toMillis() * 2);

    trim(writer);
    trim(follower);

    long deadline = System.nanoTime() + DEADLINE.toNanos();
    boolean trimmed = false;
    while (!trimmed && System.nanoTime() < deadline) {
      trimmed = next(behind).trimmed();
    }
    assertThat(trimmed).as("a reader behind the trim is told").isTrue();
    for (ChangeReader reader : List.of(caughtUp, atHead)) {
      assertThat(reader.next(100, WAIT)).as("a reader at the head").isEqualTo(ChangeBatch.EMPTY);
    }

    StoredMemory after = memory("alice", "after the trim");
    insert(writer, after);

    ChangeReader opened = reader(follower);
    insert(writer, memory("bob", "after the new reader"));
    for (ChangeReader reader : List.of(caughtUp, atHead)) {
      assertThat(await(reader, 2).get(0).memoryIds()).containsExactly(after.id());
    }
    assertThat(await(opened, 1).get(0).partition()).isEqualTo(key("bob"));
    assertThat(drain(behind)).as("the reader told of the trim goes on")
        .extracting(Change::partition).contains(key("alice"), key("bob"));
  }

  @Test
  void trimmingKeepsChangesYoungerThanTheRetention() {
    StoredMemory young = memory("alice", "written just now");
    insert(a, young);

    trim(a);
    trim(b);

    assertThat(await(readerOfB, 1).get(0).memoryIds()).containsExactly(young.id());
  }

  /** Every change {@code reader} delivers within a few reads, for a reader past a trim. */
  private static List<Change> drain(ChangeReader reader) {
    List<Change> changes = new ArrayList<>();
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (changes.size() < 2 && System.nanoTime() < deadline) {
      ChangeBatch batch = next(reader);
      assertThat(batch.trimmed()).isFalse();
      changes.addAll(batch.changes());
    }
    return changes;
  }

  @Test
  void loadByIdsAnswersTheLiveMemoriesOfThePartitionOnly() {
    StoredMemory kept = memory("alice", "kept");
    StoredMemory deleted = memory("alice", "deleted");
    StoredMemory bobs = memory("bob", "bob's");
    insert(a, kept, deleted, bobs);
    a.delete(key("alice"), List.of(deleted.id()), List.of(entry(deleted,
        HistoryEntry.Event.DELETE)));

    assertThat(b.load(key("alice"), List.of(kept.id(), deleted.id(), bobs.id(),
        UUID.randomUUID().toString()))).containsExactly(kept);
    assertThat(b.load(key("bob"), List.of(bobs.id(), kept.id()))).containsExactly(bobs);
    assertThat(b.load(key("alice"), List.of())).isEmpty();
    assertThat(b.load(key("carol"), List.of(kept.id()))).isEmpty();
  }
}
