package io.inmemory.store.h2;

import static io.inmemory.store.h2.SchemaV1Fixture.ALICE;
import static io.inmemory.store.h2.SchemaV1Fixture.HISTORY;
import static io.inmemory.store.h2.SchemaV1Fixture.KEY;
import static io.inmemory.store.h2.SchemaV1Fixture.MEMORIES;
import static io.inmemory.store.h2.SchemaV1Fixture.OOLONG;
import static io.inmemory.store.h2.SchemaV1Fixture.PROJECT;
import static io.inmemory.store.h2.SchemaV1Fixture.SISTER;
import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.HistoryEntry;
import io.inmemory.HistoryEntry.Event;
import io.inmemory.MemoryRecord;
import io.inmemory.Role;
import io.inmemory.Scope;
import io.inmemory.engine.spi.ChangeSet;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoredMemory;
import io.inmemory.engine.tck.StoreContents;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening the schema-1 database that {@link SchemaV1Fixture} wrote with the schema-1 code: it is
 * migrated to the current schema, reads with the new fields' defaults, and takes the new fields.
 */
class SchemaV1MigrationTest {
  @TempDir
  Path dir;

  @BeforeEach
  void copyFixture() throws IOException {
    Files.copy(SchemaV1Fixture.DIRECTORY.resolve("inmemory.mv.db"), dir.resolve("inmemory.mv.db"));
  }

  /** Every memory, history entry, project and key of the fixture, read through {@code store}. */
  static void assertFixtureData(H2MemoryStore store) {
    StoreContents.assertHolds(store, MEMORIES, HISTORY, SchemaV1Fixture::partitionOf);
    assertThat(store.access().projects()).containsExactly(PROJECT);
    assertThat(store.access().key(KEY.id())).contains(KEY);
    assertThat(store.access().keyByHash(KEY.hash())).contains(KEY);
  }

  @Test
  void everyRecordReadsWithTheNewFieldsDefaultsAndNoRowIsRewritten() throws SQLException {
    try (H2MemoryStore store = H2MemoryStore.open(dir)) {
      assertFixtureData(store);
      assertThat(store.load(ALICE)).allSatisfy(memory -> {
        assertThat(memory.memory().validFrom()).isEqualTo(memory.memory().createdAt());
        assertThat(memory.memory().scope()).isEqualTo(Scope.user("alice"));
        assertThat(memory.memory().isCurrent()).isTrue();
      });
    }
    assertThat(column("SELECT version FROM inmemory_schema"))
        .containsExactly(String.valueOf(Schema.CURRENT_VERSION));
    assertThat(column("SELECT COUNT(*) FROM inmemory_memories WHERE valid_from IS NOT NULL"))
        .containsExactly("0");
    try (H2MemoryStore store = H2MemoryStore.open(dir)) {
      assertFixtureData(store);
    }
  }

  @Test
  void newFieldsAreWritableAndSurviveAReopen() {
    Instant now = OOLONG.memory().updatedAt().plusSeconds(600);
    MemoryRecord old = OOLONG.memory();
    MemoryRecord successor = new MemoryRecord("m-matcha", "alice", "Alice now drinks matcha",
        List.of("drinks"), List.of(), "food", Map.of(), now, now, "barista", "chat-7",
        Role.USER, now.minusSeconds(86_400), null, null);
    MemoryRecord superseded = new MemoryRecord(old.id(), old.userId(), old.content(), old.tags(),
        old.people(), old.topic(), old.metadata(), old.createdAt(), now, null, null, null,
        old.validFrom(), now, successor.id());
    StoredMemory inserted = new StoredMemory("default", successor, new float[] {1, 0, 0, 0},
        "fixture:4");
    StoredMemory replaced = new StoredMemory("default", superseded, OOLONG.embedding(),
        "fixture:4");
    HistoryEntry add = new HistoryEntry(successor.id(), "alice", Event.ADD, null,
        successor.content(), now, "barista", old.id());
    HistoryEntry supersede = new HistoryEntry(old.id(), "alice", Event.SUPERSEDE, old.content(),
        old.content(), now, null, successor.id());
    MemoryRecord own = new MemoryRecord("m-own", null, "Summaries go in bullet points",
        List.of(), List.of(), null, Map.of(), now, now, "barista", null, Role.SYSTEM, now, null,
        null);
    StoredMemory agentMemory = new StoredMemory("default", own, new float[] {0, 1, 0, 0},
        "fixture:4");
    HistoryEntry ownAdd = new HistoryEntry(own.id(), null, Event.ADD, null, own.content(), now,
        "barista", null);

    try (H2MemoryStore store = H2MemoryStore.open(dir)) {
      store.commit(new ChangeSet(ALICE, List.of(inserted), List.of(replaced),
          List.of(add, supersede)));
      store.insert(List.of(agentMemory), List.of(ownAdd));
    }
    try (H2MemoryStore store = H2MemoryStore.open(dir)) {
      assertThat(store.load(ALICE)).containsExactlyInAnyOrder(inserted, replaced, SISTER);
      assertThat(store.history(ALICE, old.id())).containsExactly(
          HISTORY.get(old.id()).get(0), HISTORY.get(old.id()).get(1), supersede);
      assertThat(store.history(ALICE, successor.id())).containsExactly(add);
      PartitionKey barista = PartitionKey.agent("default", "barista");
      assertThat(store.load(barista)).containsExactly(agentMemory);
      assertThat(store.history(barista, own.id())).containsExactly(ownAdd);
      assertThat(store.load(PartitionKey.user("default", "barista"))).isEmpty();
    }
  }

  /**
   * H2 commits each DDL statement by itself, so a crash can stop step 1 to 2 after any of its
   * statements, before the version row: the next open runs the whole step again. Stopped after
   * the first statement, after the memory table's last (the history table's not yet), and after
   * the last one (only the version row missing).
   */
  @Test
  void aMigrationInterruptedAfterSomeStatementsIsCompletedOnTheNextOpen() throws IOException,
      SQLException {
    List<String> step = Schema.STEPS.get(1);
    int memoryStatements = (int) step.stream().filter(sql -> sql.contains("inmemory_memories "))
        .count();
    for (int done : new int[] {1, memoryStatements, step.size()}) {
      Path copy = dir.resolve("interrupted-" + done);
      Files.createDirectories(copy);
      Files.copy(dir.resolve("inmemory.mv.db"), copy.resolve("inmemory.mv.db"));
      try (Connection connection = DriverManager.getConnection(H2Url.inDirectory(copy).url(),
              H2StoreSettings.DEFAULT_USER, "");
          Statement statement = connection.createStatement()) {
        for (String sql : step.subList(0, done)) {
          statement.execute(sql);
        }
      }
      try (H2MemoryStore store = H2MemoryStore.open(copy)) {
        assertFixtureData(store);
      }
      assertThat(column(copy, "SELECT version FROM inmemory_schema")).as("after %s", done)
          .containsExactly(String.valueOf(Schema.CURRENT_VERSION));
    }
  }

  private List<String> column(String query) throws SQLException {
    return column(dir, query);
  }

  private static List<String> column(Path directory, String query) throws SQLException {
    List<String> values = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection(H2Url.inDirectory(directory).url(),
            H2StoreSettings.DEFAULT_USER, "");
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(query)) {
      while (rows.next()) {
        values.add(rows.getString(1));
      }
    }
    return values;
  }
}
