package io.inmemory.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.InMemoryConfig;
import io.inmemory.MemoryRecord;
import io.inmemory.Page;
import io.inmemory.SearchRequest;
import io.inmemory.engine.index.IndexSettings;
import io.inmemory.engine.retrieval.RetrievalSettings;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoredMemory;
import io.inmemory.engine.tck.HashingEmbedder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link Partition#refresh} and {@link Partition#reset}, how another process's writes reach a
 * partition held here: afterwards the partition answers every kind of question (records, time
 * order, tags and people, superseded memories hidden, de-duplication, vector and lexical scores,
 * estimated footprint) exactly as one freshly loaded from the store does.
 */
class PartitionRefreshTest {
  private static final Instant T = Instant.parse("2024-01-01T00:00:00Z");
  private static final PartitionKey KEY = PartitionKey.user(PartitionKey.DEFAULT_NAMESPACE, "u");
  private static final HashingEmbedder EMBEDDER = new HashingEmbedder();
  private static final List<String> QUERIES = List.of("tea", "coffee", "Rome", "job at Acme",
      "dog walks", "chess");

  /** What the store held when the partition was loaded. */
  private static final List<StoredMemory> BEFORE = List.of(
      stored("m1", "I like tea", List.of("drink"), List.of("Ann"), 1, null),
      stored("m2", "I live in Rome", List.of("home"), List.of(), 2, null),
      stored("m3", "My job at Acme", List.of("work"), List.of("Bob"), 3, T.plusSeconds(9)),
      stored("m4", "I play chess", List.of("games"), List.of("Ann"), 4, null));

  /**
   * What another process made of it: m1 updated (text, tags, people), m2 deleted, m3 current
   * again, m5 added; m4 untouched.
   */
  private static final List<StoredMemory> AFTER = List.of(
      stored("m1", "I like coffee", List.of("morning"), List.of("Bob"), 1, null),
      stored("m3", "My job at Acme", List.of("work"), List.of("Bob"), 3, null),
      BEFORE.get(3),
      stored("m5", "The dog walks me", List.of("drink"), List.of("Cy"), 5, null));

  @Test
  void aRefreshOfTheWrittenIdsLeavesThePartitionAsAFreshLoadOfTheStore() {
    Partition partition = partition(BEFORE);
    List<String> written = List.of("m1", "m2", "m3", "m5");

    partition.refresh(AFTER.stream().filter(memory -> written.contains(memory.id())).toList(),
        written);

    assertThat(answers(partition)).isEqualTo(answers(partition(AFTER)));
    assertThat(partition.footprint()).isEqualTo(partition(AFTER).footprint());
  }

  @Test
  void aRefreshIgnoresMemoriesItWasNotAskedAbout() {
    Partition partition = partition(BEFORE);

    partition.refresh(AFTER, List.of("m2"));

    assertThat(partition.ids()).containsExactlyInAnyOrder("m1", "m3", "m4");
    assertThat(partition.get("m1").orElseThrow().memory().content()).isEqualTo("I like tea");
  }

  @Test
  void aResetHoldsTheStoredPartitionInsteadOfEverythingHeld() {
    Partition partition = partition(BEFORE);

    partition.reset(AFTER);

    assertThat(answers(partition)).isEqualTo(answers(partition(AFTER)));
    assertThat(partition.footprint()).isEqualTo(partition(AFTER).footprint());
  }

  /**
   * Every answer the partition gives, as text: its records and listings, searches (ids and
   * scores) with and without superseded memories, by tag and by person, and the memories found
   * as duplicates of each text.
   */
  private static List<String> answers(Partition partition) {
    List<String> answers = new ArrayList<>();
    answers.add("ids " + Set.copyOf(partition.ids()));
    for (boolean superseded : List.of(false, true)) {
      Selection all = Filters.of(SearchRequest.builder("u").includeSuperseded(superseded)
          .build(), Optional.empty());
      Page<MemoryRecord> page = partition.page(all, 10, 0);
      answers.add("page " + page.total() + " " + page.items());
      for (String query : QUERIES) {
        answers.add(search(partition, SearchRequest.builder("u").query(query)
            .includeSuperseded(superseded)));
      }
    }
    for (String tag : List.of("drink", "morning", "home", "work")) {
      answers.add(search(partition, SearchRequest.builder("u").query("I").tags(List.of(tag))));
    }
    for (String person : List.of("Ann", "Bob", "Cy")) {
      answers.add(search(partition, SearchRequest.builder("u").query("I").people(List.of(person))));
    }
    for (StoredMemory memory : BEFORE) {
      answers.add("duplicate of " + memory.memory().content() + ": "
          + partition.duplicate(Dedup.Key.of(memory.memory().content()), null, null));
    }
    for (StoredMemory memory : AFTER) {
      answers.add("duplicate of " + memory.memory().content() + ": "
          + partition.duplicate(Dedup.Key.of(memory.memory().content()), null, null));
    }
    return answers;
  }

  private static String search(Partition partition, SearchRequest.Builder builder) {
    SearchRequest request = builder.limit(10).build();
    return request.query() + " " + request.tags() + " " + request.people() + ": "
        + partition.search(EMBEDDER.embedQuery(request.query()), request.query(), 10,
            Filters.of(request, Optional.empty()), null).stream()
            .map(hit -> hit.memory().id() + String.format(Locale.ROOT, "=%.6f", hit.score()))
            .toList();
  }

  private static Partition partition(List<StoredMemory> memories) {
    return new Partition(KEY, EMBEDDER.dimension(), IndexSettings.defaults(),
        RetrievalSettings.from(InMemoryConfig.builder().isolated().build()), memories,
        vectors -> null);
  }

  private static StoredMemory stored(String id, String content, List<String> tags,
      List<String> people, int minute, Instant invalidAt) {
    Instant at = T.plusSeconds(60L * minute);
    MemoryRecord record = new MemoryRecord(id, "u", content, tags, people, null, Map.of(), at, at,
        null, null, null, at, invalidAt, invalidAt == null ? null : "m9");
    return new StoredMemory(KEY.namespace(), record,
        EMBEDDER.embedDocuments(List.of(content)).get(0), EMBEDDER.id());
  }
}
