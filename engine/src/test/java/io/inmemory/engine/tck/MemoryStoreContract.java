package io.inmemory.engine.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inmemory.ConflictException;
import io.inmemory.HistoryEntry;
import io.inmemory.MemoryRecord;
import io.inmemory.NotFoundException;
import io.inmemory.Role;
import io.inmemory.engine.spi.ChangeSet;
import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.PartitionSummary;
import io.inmemory.engine.spi.StoredMemory;
import io.inmemory.engine.tenant.ApiKeyRecord;
import io.inmemory.engine.tenant.KeyScope;
import io.inmemory.engine.tenant.KeyUsage;
import io.inmemory.engine.tenant.Project;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link MemoryStore} must meet. A store's test extends this class and opens a
 * fresh, empty store in {@link #openStore()}; durable stores also override {@link #reopenStore()}
 * so the suite can check that what was written comes back after a close.
 */
public abstract class MemoryStoreContract {
  protected static final String NAMESPACE = "contract";
  private static final Instant T0 = Instant.parse("2024-05-01T10:15:30.123Z");

  protected MemoryStore store;
  private final Random random = new Random(42);

  /** A new, empty store. */
  protected abstract MemoryStore openStore();

  /**
   * Closes {@code current} and opens the same storage again. Volatile stores return
   * {@code current} unchanged (and the durability checks become plain read-backs).
   */
  protected MemoryStore reopenStore(MemoryStore current) {
    return current;
  }

  @BeforeEach
  void open() {
    store = openStore();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  protected StoredMemory memory(String userId, String content) {
    return memory(NAMESPACE, userId, content);
  }

  protected StoredMemory memory(String namespace, String userId, String content) {
    float[] vector = new float[8];
    for (int i = 0; i < vector.length; i++) {
      vector[i] = random.nextFloat() - 0.5f;
    }
    MemoryRecord record = new MemoryRecord(UUID.randomUUID().toString(), userId, content,
        List.of("work", "q4"), List.of("Bob"), "planning",
        Map.of("source", "chat", "turn", 7L, "nested", Map.of("ok", true, "ratio", 0.25)),
        T0, T0);
    return new StoredMemory(namespace, record, vector, "test-embedder:1");
  }

  private static HistoryEntry added(StoredMemory memory) {
    return new HistoryEntry(memory.id(), memory.memory().userId(), HistoryEntry.Event.ADD, null,
        memory.memory().content(), T0);
  }

  private static PartitionKey key(String userId) {
    return new PartitionKey(NAMESPACE, userId);
  }

  private void insert(StoredMemory... memories) {
    store.insert(List.of(memories), List.of(memories).stream().map(m -> added(m)).toList());
  }

  @Test
  void insertedMemoriesLoadBackExactly() {
    StoredMemory first = memory("alice", "I love pizza");
    StoredMemory second = memory("alice", "My dog is called Rex");
    insert(first, second);
    store = reopenStore(store);

    assertThat(store.load(key("alice"))).containsExactlyInAnyOrder(first, second);
  }

  @Test
  void embeddingsRecordsAndTimestampsRoundTripBitForBit() {
    StoredMemory original = memory("alice", "Ünïcødé ✓ and emoji 🍕 survive");
    original.embedding()[0] = Float.MIN_VALUE;
    original.embedding()[1] = -0.0f;
    insert(original);
    store = reopenStore(store);

    StoredMemory loaded = store.load(key("alice")).get(0);
    assertThat(loaded.embedding()).containsExactly(original.embedding());
    assertThat(loaded.memory()).isEqualTo(original.memory());
    assertThat(loaded.memory().createdAt()).isEqualTo(T0);
    assertThat(loaded.embedderId()).isEqualTo("test-embedder:1");
  }

  @Test
  void unknownPartitionLoadsEmpty() {
    assertThat(store.load(key("nobody"))).isEmpty();
    assertThat(store.history(key("nobody"), UUID.randomUUID().toString())).isEmpty();
  }

  @Test
  void partitionsAreIsolatedByUserAndNamespace() {
    StoredMemory alice = memory("alice", "alice's");
    StoredMemory upperAlice = memory("Alice", "Alice's");
    StoredMemory otherNamespace = memory("other-project", "alice", "other project's");
    insert(alice, upperAlice, otherNamespace);

    assertThat(store.load(key("alice"))).containsExactly(alice);
    assertThat(store.load(key("Alice"))).containsExactly(upperAlice);
    assertThat(store.load(new PartitionKey("other-project", "alice")))
        .containsExactly(otherNamespace);
    assertThat(store.history(key("Alice"), alice.id())).isEmpty();
  }

  @Test
  void insertingAnExistingIdIsAConflictAndStoresNothingOfTheBatch() {
    StoredMemory existing = memory("alice", "first");
    insert(existing);
    StoredMemory fresh = memory("alice", "fresh");

    assertThatThrownBy(() -> insert(fresh, existing)).isInstanceOf(ConflictException.class);
    assertThat(store.load(key("alice"))).containsExactly(existing);
    assertThat(store.history(key("alice"), fresh.id())).isEmpty();
  }

  @Test
  void aHistoryEntryWithoutItsMemoryInTheBatchIsRejectedAndStoresNothing() {
    StoredMemory fresh = memory("alice", "fresh");
    StoredMemory elsewhere = memory("bob", "not inserted");

    assertThatThrownBy(() -> store.insert(List.of(fresh), List.of(added(fresh), added(elsewhere))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(elsewhere.id());
    assertThat(store.load(key("alice"))).isEmpty();
    assertThat(store.history(key("alice"), fresh.id())).isEmpty();
  }

  @Test
  void replaceChangesTheMemoryAndAppendsHistory() {
    StoredMemory original = memory("alice", "I like tea");
    insert(original);
    MemoryRecord changed = new MemoryRecord(original.id(), "alice", "I like coffee", List.of(),
        List.of(), null, Map.of(), T0, T0.plusSeconds(60));
    StoredMemory replacement = new StoredMemory(NAMESPACE, changed, new float[8], "test-embedder:1");
    HistoryEntry update = new HistoryEntry(original.id(), "alice", HistoryEntry.Event.UPDATE,
        "I like tea", "I like coffee", T0.plusSeconds(60));
    store.replace(replacement, update);
    store = reopenStore(store);

    assertThat(store.load(key("alice"))).containsExactly(replacement);
    assertThat(store.history(key("alice"), original.id()))
        .extracting(HistoryEntry::event)
        .containsExactly(HistoryEntry.Event.ADD, HistoryEntry.Event.UPDATE);
    assertThat(store.history(key("alice"), original.id()).get(1)).isEqualTo(update);
  }

  @Test
  void replacingAMissingMemoryIsNotFoundAndWritesNoHistory() {
    StoredMemory ghost = memory("alice", "never added");
    HistoryEntry update = new HistoryEntry(ghost.id(), "alice", HistoryEntry.Event.UPDATE, "a",
        "b", T0);

    assertThatThrownBy(() -> store.replace(ghost, update)).isInstanceOf(NotFoundException.class);
    assertThat(store.load(key("alice"))).isEmpty();
    assertThat(store.history(key("alice"), ghost.id())).isEmpty();
  }

  @Test
  void replaceEmbeddingsKeepsHistoryAndSkipsMissingMemories() {
    StoredMemory original = memory("alice", "text");
    insert(original);
    StoredMemory reembedded = new StoredMemory(NAMESPACE, original.memory(),
        new float[] {1, 0, 0}, "other-embedder:2");
    StoredMemory missing = memory("alice", "not stored");
    store.replaceEmbeddings(List.of(reembedded, missing));
    store = reopenStore(store);

    assertThat(store.load(key("alice"))).containsExactly(reembedded);
    assertThat(store.history(key("alice"), original.id())).hasSize(1);
  }

  @Test
  void deleteRemovesOnlyNamedMemoriesAndKeepsTheirHistory() {
    StoredMemory keep = memory("alice", "keep");
    StoredMemory drop = memory("alice", "drop");
    insert(keep, drop);
    HistoryEntry deletion = new HistoryEntry(drop.id(), "alice", HistoryEntry.Event.DELETE,
        "drop", null, T0.plusSeconds(5));
    String unknown = UUID.randomUUID().toString();
    HistoryEntry unknownDeletion = new HistoryEntry(unknown, "alice", HistoryEntry.Event.DELETE,
        "x", null, T0);

    int deleted = store.delete(key("alice"), List.of(drop.id(), unknown),
        List.of(deletion, unknownDeletion));
    store = reopenStore(store);

    assertThat(deleted).isEqualTo(1);
    assertThat(store.load(key("alice"))).containsExactly(keep);
    assertThat(store.history(key("alice"), drop.id()))
        .extracting(HistoryEntry::event)
        .containsExactly(HistoryEntry.Event.ADD, HistoryEntry.Event.DELETE);
    assertThat(store.history(key("alice"), unknown)).isEmpty();
  }

  @Test
  void deleteInAnotherPartitionDeletesNothing() {
    StoredMemory alice = memory("alice", "mine");
    insert(alice);

    int deleted = store.delete(key("mallory"), List.of(alice.id()), List.of(new HistoryEntry(
        alice.id(), "mallory", HistoryEntry.Event.DELETE, "mine", null, T0)));

    assertThat(deleted).isZero();
    assertThat(store.load(key("alice"))).containsExactly(alice);
  }

  @Test
  void historyIsOldestFirst() {
    StoredMemory memory = memory("alice", "v0");
    insert(memory);
    MemoryRecord record = memory.memory();
    for (int version = 1; version <= 5; version++) {
      Instant at = T0.plusSeconds(version);
      MemoryRecord next = new MemoryRecord(record.id(), "alice", "v" + version, List.of(),
          List.of(), null, Map.of(), T0, at);
      store.replace(new StoredMemory(NAMESPACE, next, memory.embedding(), "test-embedder:1"),
          new HistoryEntry(record.id(), "alice", HistoryEntry.Event.UPDATE, "v" + (version - 1),
              "v" + version, at));
    }
    store = reopenStore(store);

    assertThat(store.history(key("alice"), record.id()))
        .extracting(HistoryEntry::newContent)
        .containsExactly("v0", "v1", "v2", "v3", "v4", "v5");
  }

  @Test
  void concurrentWritersToDifferentPartitionsLoseNothing() throws Exception {
    int threads = 8;
    int perThread = 50;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String user = "user-" + t;
        futures.add(pool.submit(() -> {
          for (int i = 0; i < perThread; i++) {
            insert(memory(user, "memory " + i));
          }
        }));
      }
      for (Future<?> future : futures) {
        future.get();
      }
    } finally {
      pool.shutdown();
    }
    store = reopenStore(store);
    for (int t = 0; t < threads; t++) {
      assertThat(store.load(key("user-" + t))).hasSize(perThread);
    }
  }

  @Test
  void pingAnswersWhileOpenAndDescribeNamesTheStore() {
    store.ping();
    assertThat(store.describe()).isNotBlank();
  }

  @Test
  void callsAfterCloseAreRejected() {
    store.close();
    store.close();

    assertThatThrownBy(() -> store.load(key("alice"))).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> store.partitions(NAMESPACE, null, 10))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> store.access().projects())
        .isInstanceOf(IllegalStateException.class);
    store = openStore();
  }

  // Issue 13: scopes (agent owners, sessions, roles), validity and supersede, and commit.

  /**
   * {@code memory} with an owner and issue 13's fields: a {@code null} userId makes it the agent's
   * own memory.
   */
  private static StoredMemory scoped(StoredMemory memory, @Nullable String userId,
      @Nullable String agentId, @Nullable String sessionId, @Nullable Role role,
      Instant validFrom, @Nullable Instant invalidAt, @Nullable String supersededBy) {
    MemoryRecord r = memory.memory();
    return new StoredMemory(memory.namespace(), new MemoryRecord(r.id(), userId, r.content(),
        r.tags(), r.people(), r.topic(), r.metadata(), r.createdAt(), r.updatedAt(), agentId,
        sessionId, role, validFrom, invalidAt, supersededBy), memory.embedding(),
        memory.embedderId());
  }

  /** {@code memory} no longer current since {@code at}: {@code successor} superseded it. */
  private static StoredMemory superseded(StoredMemory memory, StoredMemory successor, Instant at) {
    MemoryRecord r = memory.memory();
    return scoped(memory, r.userId(), r.agentId(), r.sessionId(), r.role(), r.validFrom(), at,
        successor.id());
  }

  private static HistoryEntry entry(StoredMemory memory, HistoryEntry.Event event,
      @Nullable String previousContent, Instant at, @Nullable String relatedId) {
    MemoryRecord r = memory.memory();
    return new HistoryEntry(r.id(), r.userId(), event, previousContent,
        event == HistoryEntry.Event.SUPERSEDE ? null : r.content(), at, r.agentId(), relatedId);
  }

  private void insertScoped(StoredMemory... memories) {
    store.insert(List.of(memories), List.of(memories).stream()
        .map(m -> entry(m, HistoryEntry.Event.ADD, null, T0, null)).toList());
  }

  /** A supersede: {@code next} inserted, {@code old} replaced as no longer current. */
  private static ChangeSet supersede(StoredMemory old, StoredMemory next, Instant at) {
    return new ChangeSet(old.partition(), List.of(next), List.of(superseded(old, next, at)),
        List.of(entry(next, HistoryEntry.Event.ADD, null, at, old.id()),
            entry(old, HistoryEntry.Event.SUPERSEDE, old.memory().content(), at, next.id())));
  }

  @Test
  void commitIsAllOrNothing() {
    StoredMemory old = scoped(memory("alice", "I live in Paris"), "alice", "planner", "chat-1",
        Role.USER, T0, null, null);
    StoredMemory bystander = memory("alice", "I like tea");
    insertScoped(old, bystander);
    Instant later = T0.plusSeconds(3600);
    StoredMemory next = scoped(memory("alice", "I moved to Berlin"), "alice", "planner", "chat-2",
        Role.USER, later, null, null);
    ChangeSet changes = supersede(old, next, later);

    store.commit(changes);

    assertThat(store.load(key("alice")))
        .containsExactlyInAnyOrder(changes.replaced().get(0), next, bystander);
    store = reopenStore(store);
    assertThat(store.load(key("alice")))
        .containsExactlyInAnyOrder(changes.replaced().get(0), next, bystander);
    assertThat(store.history(key("alice"), old.id()))
        .containsExactly(entry(old, HistoryEntry.Event.ADD, null, T0, null),
            changes.entries().get(1));
    assertThat(store.history(key("alice"), next.id())).containsExactly(changes.entries().get(0));
    assertThat(store.history(key("alice"), bystander.id())).hasSize(1);
  }

  @Test
  void commitConflictWritesNothing() {
    StoredMemory first = memory("alice", "first");
    StoredMemory second = memory("alice", "second");
    insertScoped(first, second);
    StoredMemory fresh = memory("alice", "fresh");
    Instant later = T0.plusSeconds(60);
    ChangeSet existingInserted = new ChangeSet(key("alice"), List.of(fresh, second),
        List.of(superseded(first, fresh, later)),
        List.of(entry(fresh, HistoryEntry.Event.ADD, null, later, first.id()),
            entry(first, HistoryEntry.Event.SUPERSEDE, "first", later, fresh.id())));
    StoredMemory ghost = memory("alice", "never stored");
    ChangeSet missingReplaced = new ChangeSet(key("alice"), List.of(fresh),
        List.of(superseded(first, fresh, later), superseded(ghost, fresh, later)),
        List.of(entry(fresh, HistoryEntry.Event.ADD, null, later, first.id()),
            entry(first, HistoryEntry.Event.SUPERSEDE, "first", later, fresh.id()),
            entry(ghost, HistoryEntry.Event.SUPERSEDE, "never stored", later, fresh.id())));

    assertThatThrownBy(() -> store.commit(existingInserted))
        .isInstanceOf(ConflictException.class).hasMessageContaining(second.id());
    assertThatThrownBy(() -> store.commit(missingReplaced))
        .isInstanceOf(NotFoundException.class).hasMessageContaining(ghost.id());
    store = reopenStore(store);

    assertThat(store.load(key("alice"))).containsExactlyInAnyOrder(first, second);
    assertThat(store.history(key("alice"), first.id())).hasSize(1);
    assertThat(store.history(key("alice"), second.id())).hasSize(1);
    assertThat(store.history(key("alice"), fresh.id())).isEmpty();
    assertThat(store.history(key("alice"), ghost.id())).isEmpty();
  }

  @Test
  void newFieldsRoundTrip() {
    Instant validFrom = T0.minusSeconds(86_400);
    StoredMemory users = scoped(memory("alice", "Alice prefers window seats"), "alice",
        "travel-agent", "session-7", Role.ASSISTANT, validFrom, null, null);
    StoredMemory agents = scoped(memory("unused", "Always answer in French"), null,
        "travel-agent", "session-7", Role.SYSTEM, validFrom, null, null);
    insertScoped(users, agents);
    store = reopenStore(store);

    assertThat(store.load(key("alice"))).containsExactly(users);
    PartitionKey agentKey = PartitionKey.agent(NAMESPACE, "travel-agent");
    assertThat(store.load(agentKey)).containsExactly(agents);

    Instant at = T0.plusSeconds(120);
    StoredMemory invalidated = scoped(users, "alice", "travel-agent", null, Role.TOOL,
        validFrom, at, UUID.randomUUID().toString());
    HistoryEntry update = entry(invalidated, HistoryEntry.Event.UPDATE,
        users.memory().content(), at, null);
    store.replace(invalidated, update);
    store = reopenStore(store);

    assertThat(store.load(key("alice"))).containsExactly(invalidated);
    MemoryRecord loaded = store.load(key("alice")).get(0).memory();
    assertThat(loaded.validFrom()).isEqualTo(validFrom).isNotEqualTo(loaded.createdAt());
    assertThat(loaded.invalidAt()).isEqualTo(at);
    assertThat(loaded.isCurrent()).isFalse();
    assertThat(store.history(key("alice"), users.id()))
        .containsExactly(entry(users, HistoryEntry.Event.ADD, null, T0, null), update);
    assertThat(store.history(agentKey, agents.id()))
        .containsExactly(entry(agents, HistoryEntry.Event.ADD, null, T0, null));
  }

  @Test
  void agentOwnerIsolated() {
    StoredMemory users = memory("bot", "the user called bot");
    StoredMemory agents = scoped(memory("unused", "the agent called bot"), null, "bot", null,
        null, T0, null, null);
    insertScoped(users, agents);
    PartitionKey userKey = PartitionKey.user(NAMESPACE, "bot");
    PartitionKey agentKey = PartitionKey.agent(NAMESPACE, "bot");

    assertThat(store.delete(userKey, List.of(agents.id()), List.of(
        new HistoryEntry(agents.id(), "bot", HistoryEntry.Event.DELETE, "x", null, T0))))
        .isZero();
    store = reopenStore(store);

    assertThat(store.load(userKey)).containsExactly(users);
    assertThat(store.load(agentKey)).containsExactly(agents);
    assertThat(store.load(agentKey).get(0).memory().userId()).isNull();
    assertThat(store.load(agentKey).get(0).memory().agentId()).isEqualTo("bot");
    assertThat(store.history(userKey, agents.id())).isEmpty();
    assertThat(store.history(agentKey, users.id())).isEmpty();
    assertThat(store.history(agentKey, agents.id())).hasSize(1);
  }

  @Test
  void oneBatchMayHoldAnIdInTwoAgentsPartitions() {
    StoredMemory first = scoped(memory("unused", "first agent's"), null, "agent-a", null, null,
        T0, null, null);
    MemoryRecord r = first.memory();
    StoredMemory second = new StoredMemory(NAMESPACE, new MemoryRecord(r.id(), null,
        "second agent's", r.tags(), r.people(), r.topic(), r.metadata(), T0, T0, "agent-b", null,
        null, T0, null, null), first.embedding(), first.embedderId());
    insertScoped(first, second);
    store = reopenStore(store);

    assertThat(store.load(PartitionKey.agent(NAMESPACE, "agent-a"))).containsExactly(first);
    assertThat(store.load(PartitionKey.agent(NAMESPACE, "agent-b"))).containsExactly(second);
  }

  @Test
  void supersedeHistoryRoundTrips() {
    StoredMemory users = scoped(memory("alice", "Alice drives a Fiat"), "alice", "garage-bot",
        null, null, T0, null, null);
    StoredMemory agents = scoped(memory("unused", "Prices include VAT"), null, "garage-bot", null,
        null, T0, null, null);
    insertScoped(users, agents);
    Instant at = T0.plusSeconds(30);
    StoredMemory usersNext = scoped(memory("alice", "Alice drives a Tesla"), "alice",
        "garage-bot", null, null, at, null, null);
    StoredMemory agentsNext = scoped(memory("unused", "Prices exclude VAT"), null, "garage-bot",
        null, null, at, null, null);
    HistoryEntry userSupersede = entry(users, HistoryEntry.Event.SUPERSEDE, "Alice drives a Fiat",
        at, usersNext.id());
    store.replace(superseded(users, usersNext, at), userSupersede);
    ChangeSet agentSupersede = supersede(agents, agentsNext, at);
    store.commit(agentSupersede);
    store = reopenStore(store);

    List<HistoryEntry> userHistory = store.history(key("alice"), users.id());
    assertThat(userHistory).hasSize(2);
    assertThat(userHistory.get(1)).isEqualTo(userSupersede);
    assertThat(userHistory.get(1).event()).isEqualTo(HistoryEntry.Event.SUPERSEDE);
    assertThat(userHistory.get(1).relatedId()).isEqualTo(usersNext.id());
    assertThat(userHistory.get(1).agentId()).isEqualTo("garage-bot");
    PartitionKey agentKey = PartitionKey.agent(NAMESPACE, "garage-bot");
    assertThat(store.history(agentKey, agents.id())).last()
        .isEqualTo(agentSupersede.entries().get(1));
    assertThat(store.history(agentKey, agentsNext.id()))
        .containsExactly(agentSupersede.entries().get(0));
  }

  // Issue 16: the partitions of a namespace, for listing users and exporting a project.

  /** {@code memory} created (and valid from) {@code at}. */
  private static StoredMemory createdAt(StoredMemory memory, Instant at) {
    MemoryRecord r = memory.memory();
    return new StoredMemory(memory.namespace(), new MemoryRecord(r.id(), r.userId(), r.content(),
        r.tags(), r.people(), r.topic(), r.metadata(), at, at, r.agentId(), r.sessionId(),
        r.role(), at, r.invalidAt(), r.supersededBy()), memory.embedding(),
        memory.embedderId());
  }

  /** An agent's own memory in {@code namespace}, created {@code at}. */
  private StoredMemory agents(String namespace, String agentId, Instant at) {
    return createdAt(scoped(memory(namespace, "unused", agentId + "'s own"), null, agentId, null,
        null, T0, null, null), at);
  }

  private static HistoryEntry deletion(StoredMemory memory) {
    MemoryRecord r = memory.memory();
    return new HistoryEntry(r.id(), r.userId(), HistoryEntry.Event.DELETE, r.content(), null,
        T0.plusSeconds(86_400), r.agentId(), null);
  }

  private static PartitionSummary summary(StoredMemory newest, long memories) {
    return new PartitionSummary(newest.partition(), memories, newest.memory().createdAt());
  }

  private List<String> owners(@Nullable String after, int limit) {
    return store.partitions(NAMESPACE, after, limit).stream()
        .map(summary -> summary.partition().owner()).toList();
  }

  @Test
  void anEmptyNamespaceHasNoPartitions() {
    store.load(key("nobody"));
    store.load(PartitionKey.agent(NAMESPACE, "nobody"));
    insert(memory("elsewhere", "alice", "another namespace's"));

    assertThat(store.partitions(NAMESPACE, null, 10)).isEmpty();
    assertThat(store.partitions(NAMESPACE, "alice", 10)).isEmpty();
  }

  @Test
  void partitionsComeInOwnerOrderWithTheirCountAndNewestCreation() {
    StoredMemory bobOld = createdAt(memory("bob", "old"), T0);
    StoredMemory bobNew = createdAt(memory("bob", "new"), T0.plusSeconds(3600));
    StoredMemory bobMiddle = createdAt(memory("bob", "middle"), T0.plusSeconds(60));
    StoredMemory upperAlice = createdAt(memory("Alice", "capital"), T0.plusSeconds(5));
    StoredMemory alice = createdAt(memory("alice", "lower"), T0.plusSeconds(7));
    StoredMemory digits = createdAt(memory("9lives", "a cat"), T0.minusSeconds(86_400));
    StoredMemory zed = createdAt(memory("zed", "last user"), T0);
    StoredMemory ableAgent = agents(NAMESPACE, "able", T0.plusSeconds(1));
    StoredMemory bobAgent = agents(NAMESPACE, "bob", T0.plusSeconds(2));
    insertScoped(bobOld, zed, bobAgent, alice, bobNew, upperAlice, ableAgent, digits, bobMiddle);
    StoredMemory aliceNext = createdAt(memory("alice", "lower, superseded"),
        T0.plusSeconds(9));
    store.commit(supersede(alice, aliceNext, T0.plusSeconds(9)));
    store = reopenStore(store);

    assertThat(store.partitions(NAMESPACE, null, 100)).containsExactly(
        summary(digits, 1), summary(upperAlice, 1), summary(aliceNext, 2), summary(bobNew, 3),
        summary(zed, 1), summary(ableAgent, 1), summary(bobAgent, 1));
  }

  @Test
  void partitionsPageByOwnerFromTheLastOneSeen() {
    List<StoredMemory> stored = new ArrayList<>();
    for (String user : List.of("u5", "u1", "u7", "u3", "u2", "u6", "u4")) {
      stored.add(memory(user, user + "'s"));
    }
    stored.add(agents(NAMESPACE, "a1", T0));
    stored.add(agents(NAMESPACE, "a0", T0));
    insertScoped(stored.toArray(StoredMemory[]::new));

    List<List<String>> pages = new ArrayList<>();
    String after = null;
    while (pages.size() < 10) {
      List<String> page = owners(after, 3);
      pages.add(page);
      if (page.size() < 3) {
        break;
      }
      after = page.get(page.size() - 1);
    }

    assertThat(pages).containsExactly(List.of("u1", "u2", "u3"), List.of("u4", "u5", "u6"),
        List.of("u7", "~a0", "~a1"), List.of());
    assertThat(owners("u35", 2)).containsExactly("u4", "u5");
    assertThat(owners("u7", 1)).containsExactly("~a0");
    assertThat(owners("~a1", 5)).isEmpty();
    assertThat(owners(null, 1)).containsExactly("u1");
  }

  @Test
  void deletedMemoriesAreNotCountedAndAnEmptiedPartitionIsNotListed() {
    StoredMemory kept = createdAt(memory("alice", "kept"), T0);
    StoredMemory keptToo = createdAt(memory("alice", "kept too"), T0.plusSeconds(10));
    StoredMemory newest = createdAt(memory("alice", "newest, deleted"), T0.plusSeconds(20));
    StoredMemory bobs = memory("bob", "deleted");
    StoredMemory agentsOwn = agents(NAMESPACE, "bot", T0);
    StoredMemory carols = memory("carol", "kept");
    insertScoped(kept, keptToo, newest, bobs, agentsOwn, carols);

    store.delete(key("alice"), List.of(newest.id()), List.of(deletion(newest)));
    store.delete(key("bob"), List.of(bobs.id()), List.of(deletion(bobs)));
    store.delete(agentsOwn.partition(), List.of(agentsOwn.id()), List.of(deletion(agentsOwn)));
    store = reopenStore(store);

    assertThat(store.partitions(NAMESPACE, null, 10))
        .containsExactly(summary(keptToo, 2), summary(carols, 1));
    assertThat(owners("alice", 1)).containsExactly("carol");
  }

  @Test
  void partitionsKeepNamespacesApart() {
    StoredMemory here = memory("alice", "here");
    StoredMemory there = memory("other-project", "bob", "there");
    StoredMemory thereToo = memory("other-project", "alice", "there too");
    StoredMemory thereAgent = agents("other-project", "bot", T0);
    insertScoped(here, there, thereToo, thereAgent);

    assertThat(store.partitions(NAMESPACE, null, 10)).containsExactly(summary(here, 1));
    assertThat(store.partitions("other-project", null, 10)).containsExactly(
        summary(thereToo, 1), summary(there, 1), summary(thereAgent, 1));
    assertThat(store.partitions("other", null, 10)).isEmpty();
  }

  @Test
  void partitionsRefuseABadLimitOrNamespace() {
    insert(memory("alice", "one"));

    for (int limit : new int[] {0, -1, PartitionSummary.MAX_LIMIT + 1, Integer.MIN_VALUE}) {
      assertThatThrownBy(() -> store.partitions(NAMESPACE, null, limit))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
    }
    assertThatThrownBy(() -> store.partitions(" ", null, 10))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("namespace");
    assertThat(store.partitions(NAMESPACE, null, PartitionSummary.MAX_LIMIT)).hasSize(1);
    assertThat(store.partitions(NAMESPACE, null, 1)).hasSize(1);
  }

  // Issue 16: the histories of a partition and the partitions holding any, for export; a whole
  // history in one insert, for restore.

  private List<String> historyOwners(String namespace, @Nullable String after, int limit) {
    return store.historyPartitions(namespace, after, limit).stream().map(PartitionKey::owner)
        .toList();
  }

  @Test
  void historiesHoldEveryMemoryOfThePartitionDeletedOnesIncludedOldestFirst() {
    StoredMemory kept = memory("alice", "kept");
    StoredMemory gone = memory("alice", "deleted");
    StoredMemory old = memory("alice", "superseded");
    StoredMemory bobs = memory("bob", "another partition's");
    StoredMemory elsewhere = memory("elsewhere", "alice", "another namespace's");
    insertScoped(kept, gone, old, bobs, elsewhere);
    StoredMemory next = createdAt(memory("alice", "successor"), T0.plusSeconds(5));
    store.commit(supersede(old, next, T0.plusSeconds(5)));
    store.delete(key("alice"), List.of(gone.id()), List.of(deletion(gone)));
    store = reopenStore(store);

    Map<String, List<HistoryEntry>> histories = store.histories(key("alice"));
    assertThat(histories).containsOnlyKeys(kept.id(), gone.id(), old.id(), next.id());
    assertThat(histories.get(gone.id())).containsExactly(
        entry(gone, HistoryEntry.Event.ADD, null, T0, null), deletion(gone));
    assertThat(histories.get(old.id())).containsExactly(
        entry(old, HistoryEntry.Event.ADD, null, T0, null),
        entry(old, HistoryEntry.Event.SUPERSEDE, "superseded", T0.plusSeconds(5), next.id()));
    for (String id : histories.keySet()) {
      assertThat(histories.get(id)).isEqualTo(store.history(key("alice"), id));
    }
    assertThat(store.histories(key("nobody"))).isEmpty();
  }

  @Test
  void historyPartitionsListEveryPartitionEverWrittenEmptiedOnesIncluded() {
    StoredMemory alices = memory("alice", "deleted");
    StoredMemory bobs = memory("bob", "kept");
    StoredMemory agentsOwn = agents(NAMESPACE, "bot", T0);
    StoredMemory carols = memory("carol", "deleted");
    StoredMemory there = memory("other-project", "dave", "another namespace's, deleted");
    insertScoped(alices, bobs, agentsOwn, carols, there);
    store.delete(key("alice"), List.of(alices.id()), List.of(deletion(alices)));
    store.delete(agentsOwn.partition(), List.of(agentsOwn.id()), List.of(deletion(agentsOwn)));
    store.delete(key("carol"), List.of(carols.id()), List.of(deletion(carols)));
    store.delete(there.partition(), List.of(there.id()), List.of(deletion(there)));
    store.load(key("never-written"));
    store = reopenStore(store);

    assertThat(historyOwners(NAMESPACE, null, 10))
        .containsExactly("alice", "bob", "carol", "~bot");
    assertThat(historyOwners(NAMESPACE, null, 2)).containsExactly("alice", "bob");
    assertThat(historyOwners(NAMESPACE, "bob", 2)).containsExactly("carol", "~bot");
    assertThat(historyOwners(NAMESPACE, "~bot", 2)).isEmpty();
    assertThat(historyOwners("other-project", null, 10)).containsExactly("dave");
    assertThat(store.partitions(NAMESPACE, null, 10)).extracting(s -> s.partition().owner())
        .containsExactly("bob");
    assertThatThrownBy(() -> store.historyPartitions(NAMESPACE, null, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
  }

  @Test
  void insertTakesAWholeHistoryAndADeleteAfterItLeavesOnlyTheHistory() {
    StoredMemory restored = memory("alice", "now");
    StoredMemory tombstone = memory("alice", "placeholder of a deleted memory");
    MemoryRecord r = restored.memory();
    List<HistoryEntry> history = List.of(
        new HistoryEntry(r.id(), "alice", HistoryEntry.Event.ADD, null, "before", T0),
        new HistoryEntry(r.id(), "alice", HistoryEntry.Event.UPDATE, "before", "now",
            T0.plusSeconds(1)),
        new HistoryEntry(r.id(), "alice", HistoryEntry.Event.SUPERSEDE, "now", null,
            T0.plusSeconds(2), null, "0b6f3c52-5a3e-4c43-8f0e-000000000002"));
    HistoryEntry tombstoneAdd = entry(tombstone, HistoryEntry.Event.ADD, null, T0, null);
    List<HistoryEntry> entries = new ArrayList<>(history);
    entries.add(tombstoneAdd);
    store.insert(List.of(restored, tombstone), entries);
    store.delete(key("alice"), List.of(tombstone.id()), List.of(deletion(tombstone)));
    store = reopenStore(store);

    assertThat(store.load(key("alice"))).containsExactly(restored);
    assertThat(store.history(key("alice"), r.id())).isEqualTo(history);
    assertThat(store.histories(key("alice"))).containsOnlyKeys(r.id(), tombstone.id());
    assertThat(store.history(key("alice"), tombstone.id()))
        .containsExactly(tombstoneAdd, deletion(tombstone));
  }

  // The projects and API keys of MemoryStore#access().

  private int keyCounter;

  private Project createProject(String id, Instant createdAt) {
    Project project = new Project(id, "Project " + id, createdAt);
    store.access().createProject(project);
    return project;
  }

  private ApiKeyRecord newKey(String projectId, Instant createdAt, Instant expiresAt) {
    String secret = "im_" + UUID.randomUUID() + "-" + keyCounter;
    return ApiKeyRecord.create("key_" + (keyCounter++) + "_" + projectId, projectId,
        "key for tests", sha256(secret), secret.substring(0, 7),
        Set.of(KeyScope.READ, KeyScope.WRITE), createdAt, expiresAt);
  }

  private ApiKeyRecord createKey(String projectId) {
    ApiKeyRecord key = newKey(projectId, T0.plusSeconds(keyCounter), null);
    store.access().createKey(key);
    return key;
  }

  @Test
  void accessProjectsRoundTripInCreationOrderAndDuplicatesConflict() {
    Project later = createProject("proj-b", T0.plusSeconds(60));
    Project earlier = createProject("proj-a", T0);
    Project sameTime = createProject("proj-c", T0);

    assertThat(store.access().project("proj-b")).contains(later);
    assertThat(store.access().project("proj-unknown")).isEmpty();
    assertThatThrownBy(() -> store.access().createProject(new Project("proj-b", "other", T0)))
        .isInstanceOf(ConflictException.class);
    store = reopenStore(store);
    assertThat(store.access().projects()).containsExactly(earlier, sameTime, later);
  }

  @Test
  void accessKeysAreFoundByIdHashAndProjectWithEveryField() {
    createProject("alpha", T0);
    createProject("beta", T0);
    ApiKeyRecord first = createKey("alpha");
    ApiKeyRecord expiring = newKey("alpha", T0.plusSeconds(30), T0.plusSeconds(3600));
    expiring = new ApiKeyRecord(expiring.id(), expiring.projectId(), "ünïcode name",
        expiring.hash(), expiring.hint(), EnumSet.allOf(KeyScope.class), expiring.createdAt(),
        expiring.expiresAt(), null, null, 0);
    store.access().createKey(expiring);
    ApiKeyRecord other = createKey("beta");

    store = reopenStore(store);
    assertThat(store.access().key(expiring.id())).contains(expiring);
    assertThat(store.access().keyByHash(first.hash())).contains(first);
    assertThat(store.access().keyByHash(sha256("never issued"))).isEmpty();
    assertThat(store.access().key("missing")).isEmpty();
    assertThat(store.access().keys("alpha")).containsExactly(first, expiring);
    assertThat(store.access().keys("beta")).containsExactly(other);
    assertThat(store.access().keys("gamma")).isEmpty();
  }

  @Test
  void accessKeysNeedAnExistingProjectAndUniqueIdsAndHashes() {
    createProject("alpha", T0);
    ApiKeyRecord stored = createKey("alpha");

    assertThatThrownBy(() -> store.access().createKey(newKey("nowhere", T0, null)))
        .isInstanceOf(NotFoundException.class);
    ApiKeyRecord sameId = newKey("alpha", T0, null);
    ApiKeyRecord sameIdCopy = new ApiKeyRecord(stored.id(), "alpha", "dup", sameId.hash(),
        "im_", Set.of(KeyScope.READ), T0, null, null, null, 0);
    assertThatThrownBy(() -> store.access().createKey(sameIdCopy))
        .isInstanceOf(ConflictException.class);
    ApiKeyRecord sameHash = new ApiKeyRecord("key-other", "alpha", "dup", stored.hash(), "im_",
        Set.of(KeyScope.READ), T0, null, null, null, 0);
    assertThatThrownBy(() -> store.access().createKey(sameHash))
        .isInstanceOf(ConflictException.class);

    store = reopenStore(store);
    assertThat(store.access().keys("alpha")).containsExactly(stored);
    assertThat(store.access().keyByHash(sameId.hash())).isEmpty();
    assertThat(store.access().key("key-other")).isEmpty();
  }

  @Test
  void accessRevocationIsSeenByTheNextLookupAndKeepsTheFirstTime() {
    createProject("alpha", T0);
    ApiKeyRecord key = createKey("alpha");
    ApiKeyRecord bystander = createKey("alpha");
    Instant revokedAt = T0.plusSeconds(500);

    ApiKeyRecord revoked = store.access().revokeKey(key.id(), revokedAt).orElseThrow();

    assertThat(revoked.revokedAt()).isEqualTo(revokedAt);
    assertThat(revoked.isActiveAt(revokedAt.plusSeconds(1))).isFalse();
    assertThat(store.access().keyByHash(key.hash())).contains(revoked);
    assertThat(store.access().revokeKey(key.id(), revokedAt.plusSeconds(99)))
        .contains(revoked);
    assertThat(store.access().revokeKey("missing", revokedAt)).isEmpty();
    store = reopenStore(store);
    assertThat(store.access().keyByHash(key.hash())).contains(revoked);
    assertThat(store.access().key(bystander.id())).contains(bystander);
  }

  /**
   * A store several processes share keeps both idempotency records and an access version; the
   * version grows with a revocation, not with one of a revoked or missing key, and is durable.
   */
  @Test
  void accessVersionGrowsWithEachRevocationOnly() {
    createProject("alpha", T0);
    ApiKeyRecord key = createKey("alpha");
    ApiKeyRecord other = createKey("alpha");
    assertThat(store.access().accessVersion().isPresent())
        .as("a shared store (idempotency records in the store) also has an access version")
        .isEqualTo(store.access().idempotency().isPresent());
    if (store.access().accessVersion().isEmpty()) {
      return;
    }
    long before = store.access().accessVersion().getAsLong();
    assertThat(store.access().accessVersion()).hasValue(before);

    store.access().revokeKey(key.id(), T0.plusSeconds(1));
    long once = store.access().accessVersion().getAsLong();
    store.access().revokeKey(key.id(), T0.plusSeconds(2));
    store.access().revokeKey("missing", T0.plusSeconds(2));
    long repeated = store.access().accessVersion().getAsLong();
    store.access().revokeKey(other.id(), T0.plusSeconds(3));
    long twice = store.access().accessVersion().getAsLong();
    store = reopenStore(store);

    assertThat(once).isGreaterThan(before);
    assertThat(repeated).isEqualTo(once);
    assertThat(twice).isGreaterThan(once);
    assertThat(store.access().accessVersion()).hasValue(twice);
  }

  @Test
  void accessUsageReportsAddUpAndKeepTheLatestTime() {
    createProject("alpha", T0);
    ApiKeyRecord key = createKey("alpha");
    ApiKeyRecord idle = createKey("alpha");
    Instant noon = T0.plusSeconds(3600);

    store.access().recordUsage(List.of(new KeyUsage(key.id(), 3, noon),
        new KeyUsage(key.id(), 2, noon.minusSeconds(60)),
        new KeyUsage("unknown-key", 7, noon)));
    store.access().recordUsage(List.of(new KeyUsage(key.id(), 5, noon.minusSeconds(600))));
    store.access().recordUsage(List.of());

    store = reopenStore(store);
    ApiKeyRecord used = store.access().key(key.id()).orElseThrow();
    assertThat(used.usageCount()).isEqualTo(10);
    assertThat(used.lastUsedAt()).isEqualTo(noon);
    assertThat(store.access().key(idle.id())).contains(idle);
    assertThat(store.access().key("unknown-key")).isEmpty();
  }

  @Test
  void accessConcurrentUsageReportsLoseNoCount() throws Exception {
    createProject("alpha", T0);
    ApiKeyRecord first = createKey("alpha");
    ApiKeyRecord second = createKey("alpha");
    int threads = 8;
    int reports = 40;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Instant at = T0.plusSeconds(t);
        futures.add(pool.submit(() -> {
          for (int i = 0; i < reports; i++) {
            store.access().recordUsage(List.of(new KeyUsage(first.id(), 1, at),
                new KeyUsage(second.id(), 2, at)));
          }
        }));
      }
      for (Future<?> future : futures) {
        future.get();
      }
    } finally {
      pool.shutdown();
    }
    store = reopenStore(store);
    assertThat(store.access().key(first.id()).orElseThrow().usageCount())
        .isEqualTo(threads * reports);
    assertThat(store.access().key(second.id()).orElseThrow().usageCount())
        .isEqualTo(2L * threads * reports);
    assertThat(store.access().key(first.id()).orElseThrow().lastUsedAt())
        .isEqualTo(T0.plusSeconds(threads - 1));
  }

  @Test
  void accessRecordsAndMemoriesDoNotInterfere() {
    createProject("default", T0);
    StoredMemory memory = memory("default", "alice", "kept apart");
    insert(memory);
    ApiKeyRecord key = createKey("default");

    store = reopenStore(store);
    assertThat(store.load(memory.partition())).containsExactly(memory);
    assertThat(store.access().keys("default")).containsExactly(key);
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
