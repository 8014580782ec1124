package io.inmemory.engine.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.AddRequest;
import io.inmemory.AddResult;
import io.inmemory.HistoryEntry;
import io.inmemory.InMemoryConfig;
import io.inmemory.MemoryRecord;
import io.inmemory.SearchHit;
import io.inmemory.SearchRequest;
import io.inmemory.UpdateRequest;
import io.inmemory.engine.Memory;
import io.inmemory.engine.spi.MemoryStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A durable store keeps what the engine wrote across a close and reopen: 10,000 memories of ten
 * users, with updates and deletes, come back with every record, every listing page, every
 * search result and every history the same. A store's test extends this class and opens its
 * storage in {@link #openStore(Path)}.
 */
public abstract class StoreRestartContract {
  private static final int USERS = 10;
  private static final int PER_USER = 1_000;
  private static final int BATCH = 250;
  private static final String[] TOPICS = {
      "cooking pasta with garlic", "hiking in the alps", "quarterly planning with the team",
      "the dog needs a vet visit", "reading a novel about space", "learning the violin"};

  @TempDir
  protected Path dir;

  /** Opens the storage at {@code dir}; two calls with the same directory open the same data. */
  protected abstract MemoryStore openStore(Path dir);

  /** Store-specific checks of what the first run left behind (files, tables); none by default. */
  protected void checkStorageAfterFirstRun(Path dir) {}

  @Test
  void tenThousandMemoriesSurviveARestartWithListingsSearchAndHistory() {
    List<String> users = new ArrayList<>();
    for (int u = 0; u < USERS; u++) {
      users.add("user-" + u);
    }
    List<String> changed = new ArrayList<>();
    Observed before;
    try (Memory memory = engine()) {
      for (String user : users) {
        List<String> ids = add(memory, user);
        for (int i = 0; i < 10; i++) {
          String id = ids.get(i * 7);
          memory.update(id, user, UpdateRequest.builder()
              .content("rewritten note " + i + " about gardening and tomatoes").tags("edited")
              .build());
          changed.add(user + "/" + id);
        }
        for (int i = 0; i < 5; i++) {
          String id = ids.get(500 + i);
          assertThat(memory.delete(id, user)).isTrue();
          changed.add(user + "/" + id);
        }
      }
      before = observe(memory, users, changed);
    }
    assertThat(before.records).hasSize(USERS * (PER_USER - 5));
    checkStorageAfterFirstRun(dir);

    try (Memory memory = engine()) {
      Observed after = observe(memory, users, changed);
      assertThat(after.records).containsExactlyElementsOf(before.records);
      assertThat(after.searches).isEqualTo(before.searches);
      assertThat(after.histories).isEqualTo(before.histories);
    }
  }

  private Memory engine() {
    return Memory.builder().config(InMemoryConfig.builder().isolated().build())
        .store(openStore(dir)).embedder(new HashingEmbedder("hashing:1", 128)).build();
  }

  private static List<String> add(Memory memory, String user) {
    List<String> ids = new ArrayList<>();
    for (int from = 0; from < PER_USER; from += BATCH) {
      List<AddRequest> batch = new ArrayList<>();
      for (int i = from; i < from + BATCH; i++) {
        batch.add(AddRequest.builder("note " + i + " of " + user + ": " + TOPICS[i % TOPICS.length]
                + " item" + i + " detail" + (i * 31 % 97), user)
            .tags("t" + i % 5).people(i % 3 == 0 ? List.of("Bob") : List.of())
            .topic(TOPICS[i % TOPICS.length].split(" ")[0])
            .metadata(Map.of("index", i, "ratio", i / 7.0)).build());
      }
      memory.addAll(batch).stream().map(AddResult::id).forEach(ids::add);
    }
    return ids;
  }

  /** What a user sees: every record in listing order, search results, histories. */
  private record Observed(List<MemoryRecord> records, Map<String, List<String>> searches,
      Map<String, List<HistoryEntry>> histories) {}

  private static Observed observe(Memory memory, List<String> users, List<String> changed) {
    List<MemoryRecord> records = new ArrayList<>();
    Map<String, List<String>> searches = new LinkedHashMap<>();
    for (String user : users) {
      for (int offset = 0; ; offset += 100) {
        List<MemoryRecord> page = memory.getAll(user, 100, offset).items();
        if (page.isEmpty()) {
          break;
        }
        records.addAll(page);
      }
      for (String query : TOPICS) {
        for (SearchRequest request : List.of(
            SearchRequest.builder(user).query(query).limit(20).build(),
            SearchRequest.builder(user).query(query).tags(List.of("t2")).limit(5).build())) {
          searches.put(user + " " + request, memory.search(request).hits().stream()
              .map(SearchHit::toString).toList());
        }
      }
    }
    Map<String, List<HistoryEntry>> histories = new LinkedHashMap<>();
    for (String key : changed) {
      String[] parts = key.split("/");
      histories.put(key, memory.history(parts[1], parts[0]));
    }
    return new Observed(records, searches, histories);
  }
}
