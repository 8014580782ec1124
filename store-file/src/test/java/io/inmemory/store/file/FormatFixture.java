package io.inmemory.store.file;

import io.inmemory.HistoryEntry;
import io.inmemory.MemoryRecord;
import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.spi.PartitionKey;
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
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A small, deterministic store written through the public API: the data of the format fixtures
 * ({@code src/test/resources/format-v2/}, written by the code of format 2 with
 * {@link FormatFixtureTest}) and what a migrated fixture must hold. Two projects with three API
 * keys (one revoked, one used, one expiring); in project {@code acme} the users {@code alice}
 * (an update twice, a delete), {@code bob} (unicode, nested metadata, a replaced embedding) and
 * {@code carol}; in project {@code globex} another {@code alice}. The first half is compacted into
 * a snapshot, the second half stays in the log after it, so a fixture has both kinds of file.
 */
final class FormatFixture {
  static final String ACME = "acme";
  static final String GLOBEX = "globex";
  /** Every partition the fixture writes to. */
  static final List<PartitionKey> PARTITIONS = List.of(new PartitionKey(ACME, "alice"),
      new PartitionKey(ACME, "bob"), new PartitionKey(ACME, "carol"),
      new PartitionKey(GLOBEX, "alice"));
  /** The ids of every memory the fixture ever added, deleted ones included. */
  static final List<String> MEMORY_IDS = List.of("a-1", "a-2", "a-3", "b-1", "b-2", "c-1",
      "g-1");
  static final String DELETED = "a-3";
  static final String UPDATED_TWICE = "a-1";
  static final String REVOKED_KEY = "key-acme-1";
  static final String USED_KEY = "key-acme-2";
  static final String EXPIRING_KEY = "key-globex-1";
  private static final Instant T0 = Instant.parse("2025-11-03T09:30:00.250Z");

  private FormatFixture() {}

  /** Writes the fixture's data into an empty store, compacting once halfway. */
  static void write(FileMemoryStore store) {
    store.access().createProject(new Project(ACME, "Acme Corp", T0));
    store.access().createProject(new Project(GLOBEX, "Globex ünïcode", T0.plusSeconds(1)));
    store.access().createKey(key(REVOKED_KEY, ACME, null));
    store.access().createKey(key(USED_KEY, ACME, null));
    store.access().createKey(key(EXPIRING_KEY, GLOBEX, T0.plusSeconds(86_400 * 30)));
    add(store, memory(ACME, "alice", "a-1", "Alice likes green tea", 1),
        memory(ACME, "alice", "a-2", "Alice's dog is called Rex", 2),
        memory(ACME, "alice", "a-3", "Alice works at the harbour", 3));
    add(store, memory(ACME, "bob", "b-1", "Bob fährt gern Fahrrad 🚲 in Köln", 4),
        memory(ACME, "bob", "b-2", "Bob's meeting with Dana is on Friday", 5));
    update(store, memory(ACME, "alice", "a-1", "Alice likes jasmine tea", 6),
        "Alice likes green tea", 60);

    store.compact();

    add(store, memory(ACME, "carol", "c-1", "Carol plays the violin", 7));
    add(store, memory(GLOBEX, "alice", "g-1", "Globex's Alice is a different person", 8));
    update(store, memory(ACME, "alice", "a-1", "Alice likes oolong tea", 9),
        "Alice likes jasmine tea", 120);
    store.delete(new PartitionKey(ACME, "alice"), List.of(DELETED), List.of(new HistoryEntry(
        DELETED, "alice", HistoryEntry.Event.DELETE, "Alice works at the harbour", null,
        T0.plusSeconds(180))));
    StoredMemory bob = memory(ACME, "bob", "b-2", "Bob's meeting with Dana is on Friday", 10);
    store.replaceEmbeddings(List.of(new StoredMemory(bob.namespace(), bob.memory(),
        bob.embedding(), "fixture-embedder:2")));
    store.access().revokeKey(REVOKED_KEY, T0.plusSeconds(240));
    store.access().recordUsage(List.of(new KeyUsage(USED_KEY, 3, T0.plusSeconds(300)),
        new KeyUsage(EXPIRING_KEY, 1, T0.plusSeconds(301))));
  }

  /**
   * What {@code store} holds of the fixture, comparable with {@code equals} (records compare
   * every field, embeddings included): projects, keys, then per partition its memories by id and
   * the histories of every fixture id.
   */
  static List<Object> dump(MemoryStore store) {
    List<Object> out = new ArrayList<>();
    out.add(store.access().projects());
    for (String project : List.of(ACME, GLOBEX)) {
      out.add(store.access().keys(project));
    }
    for (PartitionKey partition : PARTITIONS) {
      List<StoredMemory> memories = new ArrayList<>(store.load(partition));
      memories.sort(Comparator.comparing(StoredMemory::id));
      out.add(memories);
      for (String id : MEMORY_IDS) {
        out.add(store.history(partition, id));
      }
    }
    return out;
  }

  private static void add(FileMemoryStore store, StoredMemory... memories) {
    List<HistoryEntry> added = new ArrayList<>();
    for (StoredMemory memory : memories) {
      MemoryRecord record = memory.memory();
      added.add(new HistoryEntry(record.id(), record.userId(), HistoryEntry.Event.ADD, null,
          record.content(), record.createdAt()));
    }
    store.insert(List.of(memories), added);
  }

  private static void update(FileMemoryStore store, StoredMemory changed, String before,
      int afterSeconds) {
    MemoryRecord r = changed.memory();
    Instant at = T0.plusSeconds(afterSeconds);
    StoredMemory updated = new StoredMemory(changed.namespace(), new MemoryRecord(r.id(),
        r.userId(), r.content(), r.tags(), r.people(), r.topic(), r.metadata(), T0, at),
        changed.embedding(), changed.embedderId());
    store.replace(updated, new HistoryEntry(r.id(), r.userId(), HistoryEntry.Event.UPDATE,
        before, r.content(), at));
  }

  /** A memory whose labels and 4-float embedding follow from {@code seed}. */
  private static StoredMemory memory(String namespace, String userId, String id, String content,
      int seed) {
    List<String> tags = seed % 2 == 0 ? List.of("home", "t" + seed) : List.of();
    List<String> people = content.contains("Dana") ? List.of("Dana") : List.of();
    Map<String, Object> metadata = seed % 3 == 0 ? Map.of() : Map.of("source", "fixture",
        "seed", (long) seed, "nested", Map.of("ratio", seed / 8.0, "flags", List.of(true, false)));
    MemoryRecord record = new MemoryRecord(id, userId, content, tags, people,
        seed % 2 == 0 ? "topic-" + seed : null, metadata, T0, T0);
    float[] embedding = {seed / 10f, -seed / 20f, 0.5f, (float) Math.sqrt(seed)};
    return new StoredMemory(namespace, record, embedding, "fixture-embedder:1");
  }

  private static ApiKeyRecord key(String id, String projectId, @Nullable Instant expiresAt) {
    try {
      String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(id.getBytes(StandardCharsets.UTF_8)));
      return ApiKeyRecord.create(id, projectId, "fixture key " + id, hash, "im_" + id.substring(4,
          8), Set.of(KeyScope.READ, KeyScope.WRITE), T0.plusSeconds(id.length()), expiresAt);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
