package io.inmemory.store.mongo;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import io.inmemory.HistoryEntry;
import io.inmemory.HistoryEntry.Event;
import io.inmemory.MemoryRecord;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoredMemory;
import io.inmemory.engine.tenant.ApiKeyRecord;
import io.inmemory.engine.tenant.KeyScope;
import io.inmemory.engine.tenant.KeyUsage;
import io.inmemory.engine.tenant.Project;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.bson.BsonDocument;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import org.junit.jupiter.api.Test;

/**
 * A schema-2 database as the schema-2 store wrote it, kept as canonical Extended JSON (one
 * document per line, one file per collection) in {@code src/test/resources/schema-v2/}: what it
 * holds, how it was written (by the store's own schema-2 code, through its public methods), and
 * how a test loads it into a fresh database ({@link #load}). Not a test: its name does not match
 * the surefire patterns, so it runs only when named. To write the files again, check out the
 * commit that added this class (the last with schema 2, see the module README) and run
 * {@code mvn -B -q -pl store-mongo -am verify -Dtest=SchemaV2Fixture
 * -Dsurefire.failIfNoSpecifiedTests=false}; with a later schema it is skipped.
 *
 * <p>Contents: three users in two namespaces, an update, a delete (a tombstone with its
 * history), a project and a revoked API key that was used.
 */
class SchemaV2Fixture {
  static final Path DIRECTORY = Path.of("src/test/resources/schema-v2");
  static final List<String> COLLECTIONS = List.of(Schema.MEMORIES, Schema.HISTORY,
      Schema.PROJECTS, Schema.API_KEYS, Schema.META);
  static final PartitionKey ANN = PartitionKey.user(PartitionKey.DEFAULT_NAMESPACE, "ann");
  static final PartitionKey BEN = PartitionKey.user(PartitionKey.DEFAULT_NAMESPACE, "ben");
  static final PartitionKey CID = PartitionKey.user("proj-9", "cid");

  private static final Instant T0 = Instant.parse("2025-04-02T08:00:00.250Z");

  static final StoredMemory BERLIN = memory(ANN, "m-city", "Ann lives in Berlin",
      List.of("home"), "places", 0);
  static final StoredMemory MUNICH = new StoredMemory(BERLIN.namespace(), new MemoryRecord(
      "m-city", "ann", "Ann moved to Munich", List.of("home", "move"), List.of("Ann"), "places",
      Map.of("confidence", 0.75), T0, T0.plusSeconds(40)), new float[] {0.0f, 1.0f, -0.0f},
      "fixture:3");
  static final StoredMemory CHESS = memory(BEN, "m-chess", "Ben plays chess", List.of(), null, 7);
  static final StoredMemory FLIGHT = memory(BEN, "m-flight", "Ben flies to Oslo on Friday",
      List.of("travel"), "trips", 8);
  static final StoredMemory GARDEN = memory(CID, "m-garden", "Cid grows tomatoes",
      List.of("garden"), null, 9);
  static final Project PROJECT = new Project("proj-9", "Fixture project", T0);
  static final ApiKeyRecord KEY = new ApiKeyRecord("key-9", "proj-9", "ops key",
      "ab".repeat(32), "imk_…9f9f", EnumSet.of(KeyScope.READ), T0.plusSeconds(2), null,
      T0.plusSeconds(3), T0.plusSeconds(2), 4);

  static final Map<PartitionKey, List<StoredMemory>> MEMORIES = Map.of(
      ANN, List.of(MUNICH), BEN, List.of(CHESS), CID, List.of(GARDEN));
  static final Map<String, List<HistoryEntry>> HISTORY = Map.of(
      "m-city", List.of(added(BERLIN), new HistoryEntry("m-city", "ann", Event.UPDATE,
          BERLIN.memory().content(), MUNICH.memory().content(), T0.plusSeconds(40))),
      "m-chess", List.of(added(CHESS)),
      "m-flight", List.of(added(FLIGHT), new HistoryEntry("m-flight", "ben", Event.DELETE,
          FLIGHT.memory().content(), null, T0.plusSeconds(50))),
      "m-garden", List.of(added(GARDEN)));

  private static StoredMemory memory(PartitionKey partition, String id, String content,
      List<String> tags, String topic, int second) {
    Instant at = T0.plusSeconds(second);
    return new StoredMemory(partition.namespace(), new MemoryRecord(id, partition.owner(),
        content, tags, List.of(), topic, Map.of("n", (long) second), at, at),
        new float[] {0.6f, 0.8f, (float) second}, "fixture:3");
  }

  private static HistoryEntry added(StoredMemory memory) {
    return new HistoryEntry(memory.id(), memory.memory().userId(), Event.ADD, null,
        memory.memory().content(), memory.memory().createdAt());
  }

  static PartitionKey partitionOf(String memoryId) {
    return memoryId.equals("m-city") ? ANN : memoryId.equals("m-garden") ? CID : BEN;
  }

  /** Inserts the fixture's documents, unchanged, into {@code database}. */
  static void load(MongoDatabase database) throws IOException {
    load(database, DIRECTORY);
  }

  /** Inserts the documents kept in {@code directory}, unchanged, into {@code database}. */
  static void load(MongoDatabase database, Path directory) throws IOException {
    for (String collection : COLLECTIONS) {
      List<BsonDocument> documents = Files.readAllLines(directory.resolve(collection + ".jsonl"))
          .stream().map(BsonDocument::parse).toList();
      database.getCollection(collection, BsonDocument.class).insertMany(documents);
    }
  }

  /** Skipped (the files left unchanged) by code of a later schema. */
  @Test
  void write() throws IOException {
    assumeTrue(Schema.VERSION == 2, "the schema-2 fixture is written by the code of schema 2:"
        + " run this at the commit that added it");
    writeFiles(DIRECTORY);
  }

  /**
   * Writes the fixture's contents through the current code's public methods into a fresh
   * database, then each collection into {@code directory}.
   */
  static void writeFiles(Path directory) throws IOException {
    String database = MongoFixture.newDatabase();
    try (MongoMemoryStore store = MongoFixture.openStore(database)) {
      store.access().createProject(PROJECT);
      store.access().createKey(new ApiKeyRecord(KEY.id(), KEY.projectId(), KEY.name(),
          KEY.hash(), KEY.hint(), KEY.scopes(), KEY.createdAt(), null, null, null, 0));
      store.access().recordUsage(List.of(new KeyUsage(KEY.id(), 4, KEY.lastUsedAt())));
      store.access().revokeKey(KEY.id(), KEY.revokedAt());
      List<StoredMemory> first = List.of(BERLIN, CHESS, FLIGHT);
      store.insert(first, first.stream().map(SchemaV2Fixture::added).toList());
      store.insert(List.of(GARDEN), List.of(added(GARDEN)));
      store.replace(MUNICH, HISTORY.get("m-city").get(1));
      store.delete(BEN, List.of("m-flight"), List.of(HISTORY.get("m-flight").get(1)));
    }
    JsonWriterSettings canonical = JsonWriterSettings.builder().outputMode(JsonMode.EXTENDED)
        .build();
    try (MongoClient client = MongoClients.create(MongoFixture.uri())) {
      MongoDatabase db = client.getDatabase(database);
      Files.createDirectories(directory);
      for (String collection : COLLECTIONS) {
        List<String> lines = new ArrayList<>();
        db.getCollection(collection, BsonDocument.class).find()
            .forEach(document -> lines.add(document.toJson(canonical)));
        Files.write(directory.resolve(collection + ".jsonl"), lines, StandardCharsets.UTF_8);
      }
    }
  }
}
