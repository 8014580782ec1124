package io.inmemory.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.MemoryRecord;
import io.inmemory.SearchHit;
import io.inmemory.SearchRequest;
import io.inmemory.TagMatch;
import io.inmemory.engine.index.IndexSettings;
import io.inmemory.engine.lexical.Bm25;
import io.inmemory.engine.retrieval.Fusion;
import io.inmemory.engine.retrieval.RetrievalMode;
import io.inmemory.engine.retrieval.RetrievalSettings;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoredMemory;
import io.inmemory.engine.temporal.TemporalParser;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Filtered searches of a {@link Partition}, which find their candidates through tag and person
 * postings and the time order, against a brute-force reference that tests every memory — also
 * after updates that change tags and people, and after deletes.
 */
class PartitionFilterTest {
  private static final int DIM = 16;
  private static final String USER = "u";
  private static final Instant T0 = Instant.parse("2024-03-01T00:00:00Z");
  private static final List<String> TAGS = List.of("work", "home", "travel", "food", "rare");
  private static final List<String> PEOPLE = List.of("Alice", "bob", "Carol", "DAN");

  private final Random random = new Random(42);
  private final Map<String, StoredMemory> current = new LinkedHashMap<>();

  /** Filters over every indexed part, alone and combined, plus unindexed ones. */
  private static final List<UnaryOperator<SearchRequest.Builder>> FILTERS = List.of(
      b -> b.tags(List.of("work")),
      b -> b.tags(List.of("Work ", "home")),
      b -> b.tags(List.of("work", "rare"), TagMatch.ANY),
      b -> b.tags(List.of("missing")),
      b -> b.tags(List.of("missing", "rare"), TagMatch.ANY),
      b -> b.people(List.of(" alice")),
      b -> b.people(List.of("BOB", "carol")),
      b -> b.createdAfter(T0.plusSeconds(40)),
      b -> b.createdBefore(T0.plusSeconds(7)),
      b -> b.createdAfter(T0.plusSeconds(10)).createdBefore(T0.plusSeconds(12)),
      b -> b.createdAfter(T0.plusSeconds(30)).createdBefore(T0.plusSeconds(31)),
      b -> b.tags(List.of("travel")).createdAfter(T0.plusSeconds(20)),
      b -> b.tags(List.of("food")).people(List.of("dan")).createdBefore(T0.plusSeconds(50)),
      b -> b.topic("topic-1"),
      b -> b.metadata(Map.of("n", 3L)),
      b -> b.tags(List.of("home")).metadata(Map.of("n", 1L)));

  @ParameterizedTest(name = "hnswThreshold {0}")
  @ValueSource(ints = {Integer.MAX_VALUE, 50})
  void filteredSearchesFindTheTopKOfTheMatchingMemories(int threshold) {
    Partition partition = partition(threshold, 400);
    assertMatchesReference(partition);
  }

  @ParameterizedTest(name = "hnswThreshold {0}")
  @ValueSource(ints = {Integer.MAX_VALUE, 50})
  void postingsFollowUpdatesAndDeletes(int threshold) {
    Partition partition = partition(threshold, 400);
    List<String> ids = new ArrayList<>(current.keySet());
    // New tags and people (a tag and a person no memory had before), same vectors.
    for (String id : ids.subList(0, 120)) {
      StoredMemory before = current.get(id);
      StoredMemory after = stored(record(id, List.of("rare", "fresh"), List.of("Erin", "alice"),
          before.memory().createdAt()), before.embedding());
      current.put(id, after);
      partition.replaced(after);
    }
    // Tags and people dropped altogether.
    for (String id : ids.subList(120, 160)) {
      StoredMemory before = current.get(id);
      StoredMemory after = stored(record(id, List.of(), List.of(), before.memory().createdAt()),
          before.embedding());
      current.put(id, after);
      partition.replaced(after);
    }
    List<String> gone = ids.subList(160, 260);
    partition.removed(gone);
    gone.forEach(current::remove);
    assertMatchesReference(partition);
    assertThat(search(partition, b -> b.tags(List.of("fresh")))).hasSize(10)
        .allMatch(hit -> hit.memory().tags().contains("fresh"));
    assertThat(search(partition, b -> b.people(List.of("ERIN")))).hasSize(10);

    // Deleting every carrier of a tag empties its results.
    List<String> fresh = ids.subList(0, 120);
    partition.removed(fresh);
    fresh.forEach(current::remove);
    assertThat(search(partition, b -> b.tags(List.of("fresh")))).isEmpty();
    assertThat(search(partition, b -> b.people(List.of("erin")))).isEmpty();
    assertMatchesReference(partition);
  }

  @ParameterizedTest(name = "hnswThreshold {0}")
  @ValueSource(ints = {Integer.MAX_VALUE, 50})
  void temporalPhrasesNarrowByTheirBoundsAndTestTheRest(int threshold) {
    Partition partition = partition(threshold, 400);
    TemporalParser parser = new TemporalParser();
    Instant reference = T0.plusSeconds(3_600);
    for (String phrase : List.of("today", "past 2 hours", "since 2024-03-01", "before 2024-03-01",
        "this morning", "weekends", "yesterday")) {
      SearchRequest request = SearchRequest.builder(USER).query("q").limit(10).temporal(phrase)
          .tags(List.of("home")).build();
      Selection filter = Filters.of(request,
          Optional.of(parser.parse(phrase, reference, ZoneOffset.UTC)));
      float[] query = unit();
      assertThat(ids(partition.search(query, "q", 10, filter, null)))
          .as(phrase).isEqualTo(reference(query, filter, 10));
    }
  }

  private void assertMatchesReference(Partition partition) {
    for (UnaryOperator<SearchRequest.Builder> filterOf : FILTERS) {
      for (int limit : List.of(1, 10, 500)) {
        SearchRequest request = filterOf.apply(SearchRequest.builder(USER).query("q").limit(limit))
            .build();
        Selection filter = Filters.of(request, Optional.empty());
        float[] query = unit();
        assertThat(ids(partition.search(query, "q", limit, filter, null)))
            .as("%s limit %d", request, limit).isEqualTo(reference(query, filter, limit));
      }
    }
  }

  private List<SearchHit> search(Partition partition, UnaryOperator<SearchRequest.Builder> filter) {
    SearchRequest request = filter.apply(SearchRequest.builder(USER).query("q").limit(10)).build();
    return partition.search(unit(), "q", 10, Filters.of(request, Optional.empty()), null);
  }

  /** The top {@code limit} of every current memory that passes, by a plain double loop. */
  private List<String> reference(float[] query, Selection filter, int limit) {
    record Scored(String id, double score) {}
    return current.values().stream()
        .filter(memory -> filter.test(memory.memory()))
        .map(memory -> new Scored(memory.id(), dot(memory.embedding(), query)))
        .sorted(Comparator.comparingDouble(Scored::score).reversed().thenComparing(Scored::id))
        .limit(limit)
        .map(Scored::id)
        .toList();
  }

  private Partition partition(int hnswThreshold, int size) {
    for (int i = 0; i < size; i++) {
      String id = String.format("m%04d", i);
      List<String> tags = new ArrayList<>();
      for (String tag : TAGS.subList(0, 4)) {
        if (random.nextInt(3) == 0) {
          tags.add(tag);
        }
      }
      if (random.nextInt(40) == 0) {
        tags.add("rare");
      }
      List<String> people = new ArrayList<>();
      for (String person : PEOPLE) {
        if (random.nextInt(4) == 0) {
          people.add(random.nextBoolean() ? person : person.toUpperCase());
        }
      }
      // Whole and half seconds over a minute and across days: many memories share a millisecond.
      Instant createdAt = T0.plusMillis(500L * random.nextInt(120))
          .minusSeconds(86_400L * random.nextInt(3));
      current.put(id, stored(record(id, tags, people, createdAt), unit()));
    }
    return new Partition(new PartitionKey(PartitionKey.DEFAULT_NAMESPACE, USER), DIM,
        IndexSettings.defaults().withHnswThreshold(hnswThreshold),
        new RetrievalSettings(RetrievalMode.DENSE, Fusion.RRF, 0.3, 60, 50, new Bm25(1.2, 0.75)),
        new ArrayList<>(current.values()), vectors -> null);
  }

  private MemoryRecord record(String id, List<String> tags, List<String> people,
      Instant createdAt) {
    return new MemoryRecord(id, USER, "content " + id, tags, people, "topic-" + random.nextInt(3),
        Map.of("n", (long) random.nextInt(5)), createdAt, createdAt);
  }

  private static StoredMemory stored(MemoryRecord record, float[] embedding) {
    return new StoredMemory(PartitionKey.DEFAULT_NAMESPACE, record, embedding, "test");
  }

  private float[] unit() {
    float[] vector = new float[DIM];
    double norm = 0;
    for (int i = 0; i < DIM; i++) {
      vector[i] = (float) random.nextGaussian();
      norm += (double) vector[i] * vector[i];
    }
    for (int i = 0; i < DIM; i++) {
      vector[i] /= (float) Math.sqrt(norm);
    }
    return vector;
  }

  private static double dot(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += (double) a[i] * b[i];
    }
    return sum;
  }

  private static List<String> ids(List<SearchHit> hits) {
    return hits.stream().map(hit -> hit.memory().id()).toList();
  }
}
