package io.inmemory.store.h2;

import static io.inmemory.store.h2.SchemaV1Fixture.HISTORY;
import static io.inmemory.store.h2.SchemaV1Fixture.KEY;
import static io.inmemory.store.h2.SchemaV1Fixture.MEMORIES;
import static io.inmemory.store.h2.SchemaV1Fixture.PROJECT;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening the schema-1 database that {@link SchemaV1Fixture} wrote with the schema-1 code. */
class SchemaV1MigrationTest {
  @TempDir
  Path dir;

  @BeforeEach
  void copyFixture() throws IOException {
    Files.copy(SchemaV1Fixture.DIRECTORY.resolve("inmemory.mv.db"), dir.resolve("inmemory.mv.db"));
  }

  /** Every memory, history entry, project and key of the fixture, read through {@code store}. */
  static void assertFixtureData(H2MemoryStore store) {
    MEMORIES.forEach((partition, memories) ->
        assertThat(store.load(partition)).as("memories of %s", partition)
            .containsExactlyInAnyOrderElementsOf(memories));
    HISTORY.forEach((id, entries) ->
        assertThat(store.history(SchemaV1Fixture.partitionOf(id), id)).as("history of %s", id)
            .isEqualTo(entries));
    assertThat(store.access().projects()).containsExactly(PROJECT);
    assertThat(store.access().key(KEY.id())).contains(KEY);
    assertThat(store.access().keyByHash(KEY.hash())).contains(KEY);
  }

  @Test
  void everyRecordOfTheFixtureReadsBack() {
    try (H2MemoryStore store = H2MemoryStore.open(dir)) {
      assertFixtureData(store);
    }
  }
}
