package io.inmemory.store.h2;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.inmemory.HistoryEntry;
import io.inmemory.HistoryEntry.Event;
import io.inmemory.MemoryRecord;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoredMemory;
import io.inmemory.engine.tenant.ApiKeyRecord;
import io.inmemory.engine.tenant.KeyScope;
import io.inmemory.engine.tenant.Project;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The schema-1 database in {@code src/test/resources/schema-v1/inmemory.mv.db}: what it holds
 * (read by {@link SchemaV1MigrationTest}) and how it was written, by the store's own code of
 * schema 1, through its public methods. Not a test: its name does not match the surefire
 * patterns, so it runs only when named. To write the fixture again, check out the commit that
 * added this class (the last with schema 1, see the module README) and run
 * {@code mvn -B -q -pl store-h2 -am verify -Dtest=SchemaV1Fixture
 * -Dsurefire.failIfNoSpecifiedTests=false}; with a later schema it is skipped.
 *
 * <p>Contents: three users in two namespaces, an update, a delete (its history kept), a project
 * and an API key.
 */
class SchemaV1Fixture {
  /** Where the fixture lives, relative to the module directory (surefire's working directory). */
  static final Path DIRECTORY = Path.of("src/test/resources/schema-v1");
  static final String PROJECT_NAMESPACE = "proj-1";
  static final PartitionKey ALICE = PartitionKey.user(PartitionKey.DEFAULT_NAMESPACE, "alice");
  static final PartitionKey BOB = PartitionKey.user(PartitionKey.DEFAULT_NAMESPACE, "bob");
  static final PartitionKey CAROL = PartitionKey.user(PROJECT_NAMESPACE, "carol");

  private static final Instant T0 = Instant.parse("2025-03-01T09:30:00.125Z");
  private static final String EMBEDDER = "fixture:4";

  static final StoredMemory TEA = memory(ALICE, "m-tea", "Alice likes green tea",
      List.of("drinks"), List.of(), "food", Map.of("source", "chat", "turn", 3L), 0, 0);
  static final StoredMemory OOLONG = memory(ALICE, "m-tea", "Alice prefers oolong tea",
      List.of("drinks", "tea"), List.of(), "food", Map.of("source", "chat", "turn", 9L), 0, 60);
  static final StoredMemory SISTER = memory(ALICE, "m-sister", "Alice's sister is Jane",
      List.of(), List.of("Jane"), null, Map.of(), 5, 5);
  static final StoredMemory RUNS = memory(BOB, "m-runs", "Bob runs on Sundays",
      List.of("sport", "weekend"), List.of(), "health", Map.of("km", 10.5), 10, 10);
  static final StoredMemory DENTIST = memory(BOB, "m-dentist", "Bob sees the dentist on May 3",
      List.of("health"), List.of("Dr. Lee"), null, Map.of(), 20, 20);
  static final StoredMemory ACME = memory(CAROL, "m-acme", "Carol works at Acme",
      List.of("work"), List.of("Carol"), "career",
      Map.of("nested", Map.of("ok", true, "list", List.of(1L, "two"))), 30, 30);

  static final Project PROJECT = new Project(PROJECT_NAMESPACE, "Fixture project", T0);
  static final ApiKeyRecord KEY = new ApiKeyRecord("key-1", PROJECT_NAMESPACE, "ci key",
      "0".repeat(63) + "1", "imk_…abcd", EnumSet.of(KeyScope.READ, KeyScope.WRITE),
      T0.plusSeconds(1), T0.plusSeconds(86_400), null, null, 0);

  /** The memories stored at the end, by partition. */
  static final Map<PartitionKey, List<StoredMemory>> MEMORIES = Map.of(
      ALICE, List.of(OOLONG, SISTER), BOB, List.of(RUNS), CAROL, List.of(ACME));

  /** The history of every memory, deleted ones included, by memory id. */
  static final Map<String, List<HistoryEntry>> HISTORY = Map.of(
      "m-tea", List.of(added(TEA), new HistoryEntry("m-tea", "alice", Event.UPDATE,
          TEA.memory().content(), OOLONG.memory().content(), OOLONG.memory().updatedAt())),
      "m-sister", List.of(added(SISTER)),
      "m-runs", List.of(added(RUNS)),
      "m-dentist", List.of(added(DENTIST), new HistoryEntry("m-dentist", "bob", Event.DELETE,
          DENTIST.memory().content(), null, T0.plusSeconds(90))),
      "m-acme", List.of(added(ACME)));

  private static StoredMemory memory(PartitionKey partition, String id, String content,
      List<String> tags, List<String> people, String topic, Map<String, Object> metadata,
      int createdSecond, int updatedSecond) {
    MemoryRecord record = new MemoryRecord(id, partition.owner(), content, tags, people, topic,
        metadata, T0.plusSeconds(createdSecond), T0.plusSeconds(updatedSecond));
    float[] vector = {0.5f, -0.5f, 0.5f, id.length() % 2 == 0 ? 0.5f : -0.5f};
    return new StoredMemory(partition.namespace(), record, vector, EMBEDDER);
  }

  private static HistoryEntry added(StoredMemory memory) {
    return new HistoryEntry(memory.id(), memory.memory().userId(), Event.ADD, null,
        memory.memory().content(), memory.memory().createdAt());
  }

  /** The partition of a memory id of the fixture. */
  static PartitionKey partitionOf(String memoryId) {
    return memoryId.equals("m-acme") ? CAROL
        : memoryId.equals("m-runs") || memoryId.equals("m-dentist") ? BOB : ALICE;
  }

  /**
   * Writes the database in a temporary directory and then replaces the fixture; skipped (the
   * fixture left unchanged) by code of a later schema.
   */
  @Test
  void write(@TempDir Path temp) throws IOException {
    assumeTrue(Schema.CURRENT_VERSION == 1,
        "the schema-1 fixture is written by the code of schema 1: run this at the commit that"
            + " added it");
    try (H2MemoryStore store = H2MemoryStore.open(temp)) {
      store.access().createProject(PROJECT);
      store.access().createKey(KEY);
      List<StoredMemory> first = List.of(TEA, SISTER, RUNS, DENTIST);
      store.insert(first, first.stream().map(SchemaV1Fixture::added).toList());
      store.insert(List.of(ACME), List.of(added(ACME)));
      store.replace(OOLONG, HISTORY.get("m-tea").get(1));
      store.delete(BOB, List.of("m-dentist"), List.of(HISTORY.get("m-dentist").get(1)));
    }
    Files.createDirectories(DIRECTORY);
    Files.copy(temp.resolve("inmemory.mv.db"), DIRECTORY.resolve("inmemory.mv.db"),
        StandardCopyOption.REPLACE_EXISTING);
  }
}
