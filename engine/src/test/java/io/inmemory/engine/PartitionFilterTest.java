package io.inmemory.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.MemoryFilter;
import io.inmemory.MemoryRecord;
import io.inmemory.Page;
import io.inmemory.Role;
import io.inmemory.Scope;
import io.inmemory.SearchHit;
import io.inmemory.SearchRequest;
import io.inmemory.TagMatch;
import io.inmemory.UserStats;
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
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
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

  /**
   * Random selections — scope restrictions, legacy filters and random {@link MemoryFilter} trees
   * over every field and operator, with and without superseded memories — against the
   * brute-force reference: equal on exact-scan partitions, at the graph's recall bound (0.98, as
   * {@code HnswRecallTest}) on graph partitions.
   */
  @ParameterizedTest(name = "hnswThreshold {0}")
  @ValueSource(ints = {Integer.MAX_VALUE, 50})
  void randomSelectionsFindTheTopKOfTheMatchingMemories(int threshold) {
    Partition partition = richPartition(threshold, 400);
    double recall = 0;
    int searches = 0;
    int nonEmpty = 0;
    for (int i = 0; i < 300; i++) {
      SearchRequest request = randomRequest();
      Selection selection = Filters.of(request, Optional.empty());
      float[] query = unit();
      List<String> expected = reference(query, selection, request.limit());
      List<String> found = ids(partition.search(query, "q", request.limit(), selection, null));
      if (threshold == Integer.MAX_VALUE) {
        assertThat(found).as("%s", request).isEqualTo(expected);
      } else {
        assertThat(found).as("%s", request).hasSize(expected.size())
            .allMatch(id -> selection.test(current.get(id).memory()));
        recall += expected.isEmpty() ? 1
            : expected.stream().filter(found::contains).count() / (double) expected.size();
      }
      searches++;
      nonEmpty += expected.isEmpty() ? 0 : 1;
    }
    assertThat(nonEmpty).as("selections that match something").isGreaterThan(searches / 2);
    if (threshold != Integer.MAX_VALUE) {
      assertThat(recall / searches).isGreaterThanOrEqualTo(0.98);
    }
  }

  @ParameterizedTest(name = "hnswThreshold {0}")
  @ValueSource(ints = {Integer.MAX_VALUE, 50})
  void supersededMemoriesAreHiddenUnlessAsked(int threshold) {
    Partition partition = richPartition(threshold, 400);
    long superseded = current.values().stream().filter(m -> !m.memory().isCurrent()).count();
    assertThat(superseded).isBetween(20L, 200L);
    for (boolean include : List.of(false, true)) {
      SearchRequest request = SearchRequest.builder(USER).query("q").limit(400)
          .includeSuperseded(include).build();
      Selection selection = Filters.of(request, Optional.empty());
      assertThat(selection.narrows()).isFalse();
      float[] query = unit();
      List<String> found = ids(partition.search(query, "q", 400, selection, null));
      assertThat(found).hasSize((int) (include ? current.size() : current.size() - superseded))
          .containsExactlyInAnyOrderElementsOf(reference(query, selection, 400));
      assertThat(ids(partition.newest(selection, 400)))
          .containsExactlyElementsOf(newestReference(selection, 400));
    }
    for (Scope scope : List.of(Scope.user(USER), Scope.user(USER).withSession("s1"),
        Scope.user(USER).withAgent("a2").withSession("s3"))) {
      List<MemoryRecord> inScope = current.values().stream().map(StoredMemory::memory)
          .filter(Filters.of(scope, null, false)).toList();
      UserStats stats = partition.stats(Filters.of(scope, null, false), scope);
      assertThat(stats.supersededCount()).as("%s", scope)
          .isEqualTo(inScope.stream().filter(m -> !m.isCurrent()).count());
      assertThat(stats.memoryCount()).as("%s", scope)
          .isEqualTo(inScope.stream().filter(MemoryRecord::isCurrent).count());
      assertThat(stats.sessionId()).isEqualTo(scope.sessionId());
    }
    // Once the last superseded memory is gone, hiding them narrows nothing.
    List<String> old = current.values().stream().filter(m -> !m.memory().isCurrent())
        .map(StoredMemory::id).toList();
    partition.removed(old);
    old.forEach(current::remove);
    Selection hiding = Filters.of(SearchRequest.builder(USER).query("q").limit(10).build(),
        Optional.empty());
    float[] query = unit();
    assertThat(ids(partition.search(query, "q", 10, hiding, null)))
        .isEqualTo(reference(query, hiding, 10));
  }

  @Test
  void pagesAndNewestOfASelectionAreStableAndCountEveryMatch() {
    Partition partition = richPartition(Integer.MAX_VALUE, 300);
    for (int i = 0; i < 40; i++) {
      SearchRequest request = randomRequest();
      Selection selection = Filters.of(request, Optional.empty());
      List<String> all = newestReference(selection, Integer.MAX_VALUE);
      List<String> paged = new ArrayList<>();
      for (int offset = 0; offset <= all.size(); offset += 7) {
        Page<MemoryRecord> page = partition.page(selection, 7, offset);
        assertThat(page.total()).as("%s", request).isEqualTo(all.size());
        page.items().forEach(record -> paged.add(record.id()));
      }
      assertThat(paged).as("%s", request).isEqualTo(all);
      assertThat(ids(partition.newest(selection, 7))).as("%s", request)
          .isEqualTo(all.subList(0, Math.min(7, all.size())));
    }
  }

  @Test
  void onlyTheSmallestSourcesCandidatesAreTested() {
    Partition partition = richPartition(Integer.MAX_VALUE, 400);
    long inSession = current.values().stream()
        .filter(m -> "s1".equals(m.memory().sessionId())).count();
    long withRare = current.values().stream()
        .filter(m -> m.memory().tags().contains("rare")).count();
    assertThat(withRare).isLessThan(inSession);
    AtomicInteger tested = new AtomicInteger();
    Selection selection = new Selection(record -> tested.incrementAndGet() >= 0,
        new Source.Smallest(List.of(new Source.Posted(Source.Index.SESSIONS, List.of("s1")),
            new Source.Posted(Source.Index.TAGS, List.of("rare")))), false);

    partition.search(unit(), "q", 10, selection, null);

    assertThat(tested.get()).isEqualTo(withRare);
    tested.set(0);
    Selection union = new Selection(record -> tested.incrementAndGet() >= 0,
        new Source.Union(List.of(new Source.Posted(Source.Index.SESSIONS, List.of("s1")),
            new Source.Posted(Source.Index.AGENTS, List.of("a2")))), false);
    partition.search(unit(), "q", 10, union, null);
    long eitherCount = current.values().stream().filter(m -> "s1".equals(m.memory().sessionId())
        || "a2".equals(m.memory().agentId())).count();
    assertThat(tested.get()).isEqualTo(eitherCount).isLessThan(current.size());
  }

  private static final List<String> AGENTS = List.of("a1", "a2", "a3");
  private static final List<String> SESSIONS = List.of("s1", "s2", "s3", "s4");
  private static final List<String> NAMES = List.of("alice", "Bob", "carla", "dora");
  private static final List<String> CITIES = List.of("paris", "rome", "oslo");

  private SearchRequest randomRequest() {
    SearchRequest.Builder builder = SearchRequest.builder(new Scope(USER,
        random.nextInt(4) == 0 ? pick(AGENTS) : null,
        random.nextInt(4) == 0 ? pick(SESSIONS) : null));
    builder.query("q").limit(List.of(1, 10, 500).get(random.nextInt(3)));
    if (random.nextInt(4) == 0) {
      FILTERS.get(random.nextInt(FILTERS.size())).apply(builder);
    }
    if (random.nextInt(8) != 0) {
      builder.filter(randomFilter(0));
    }
    return builder.includeSuperseded(random.nextInt(3) == 0).build();
  }

  private MemoryFilter randomFilter(int depth) {
    int kind = depth >= 3 ? 3 : random.nextInt(6);
    switch (kind) {
      case 0:
        return new MemoryFilter.All(List.of(randomFilter(depth + 1), randomFilter(depth + 1)));
      case 1:
        return new MemoryFilter.Any(List.of(randomFilter(depth + 1), randomFilter(depth + 1)));
      case 2:
        return MemoryFilter.not(randomFilter(depth + 1));
      default:
        return randomLeaf();
    }
  }

  private MemoryFilter randomLeaf() {
    Instant time = T0.plusMillis(500L * random.nextInt(120))
        .minusSeconds(86_400L * random.nextInt(3));
    return switch (random.nextInt(22)) {
      case 0 -> MemoryFilter.metadata("n").eq(random.nextInt(5));
      case 1 -> MemoryFilter.metadata("n").ne(random.nextInt(5));
      case 2 -> MemoryFilter.metadata("n").gt(random.nextBoolean() ? 2 : 2.5);
      case 3 -> MemoryFilter.metadata("price").lte(random.nextBoolean() ? 20 : 20.5);
      case 4 -> MemoryFilter.metadata("price").gte(10.25);
      case 5 -> MemoryFilter.metadata("name").contains("a");
      case 6 -> MemoryFilter.metadata("name").in(pick(NAMES), pick(NAMES));
      case 7 -> MemoryFilter.metadata("list").contains(pick(CITIES));
      case 8 -> MemoryFilter.metadata("address.city").nin(pick(CITIES));
      case 9 -> MemoryFilter.metadata("flag").eq(random.nextBoolean());
      case 10 -> random.nextBoolean() ? MemoryFilter.createdAt().gte(time)
          : MemoryFilter.createdAt().lt(time);
      case 11 -> random.nextBoolean() ? MemoryFilter.createdAt().eq(time)
          : MemoryFilter.createdAt().lte(time);
      case 12 -> MemoryFilter.validFrom().lt(time);
      case 13 -> random.nextBoolean() ? MemoryFilter.invalidAt().gt(time)
          : MemoryFilter.invalidAt().ne(time);
      case 14 -> MemoryFilter.tags().contains(pick(TAGS));
      case 15 -> random.nextBoolean() ? MemoryFilter.tags().in(pick(TAGS), pick(TAGS))
          : MemoryFilter.tags().nin(pick(TAGS));
      case 16 -> random.nextBoolean()
          ? MemoryFilter.people().contains(pick(PEOPLE).toUpperCase(Locale.ROOT))
          : MemoryFilter.people().in(pick(PEOPLE), "nobody");
      case 17 -> random.nextBoolean() ? MemoryFilter.topic().eq("topic-" + random.nextInt(3))
          : MemoryFilter.topic().contains("1");
      case 18 -> random.nextBoolean() ? MemoryFilter.agentId().eq(pick(AGENTS))
          : MemoryFilter.agentId().nin(pick(AGENTS));
      case 19 -> random.nextBoolean()
          ? MemoryFilter.sessionId().in(pick(SESSIONS), pick(SESSIONS))
          : MemoryFilter.sessionId().ne(pick(SESSIONS));
      case 20 -> MemoryFilter.role().in(pick(List.of(Role.values())));
      default -> MemoryFilter.content().contains(random.nextBoolean() ? "M01" : "content m02");
    };
  }

  private <T> T pick(List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  /** A partition of memories using every field a filter can test, some of them superseded. */
  private Partition richPartition(int hnswThreshold, int size) {
    populate(size);
    for (String id : new ArrayList<>(current.keySet())) {
      MemoryRecord plain = current.get(id).memory();
      Map<String, Object> metadata = new LinkedHashMap<>();
      if (random.nextInt(5) != 0) {
        metadata.put("n", (long) random.nextInt(5));
      }
      if (random.nextInt(4) != 0) {
        metadata.put("price", random.nextBoolean() ? (Object) (long) random.nextInt(30)
            : (Object) (random.nextInt(120) / 4.0));
      }
      if (random.nextInt(3) != 0) {
        metadata.put("name", random.nextInt(6) == 0 ? (Object) 7L : pick(NAMES));
      }
      if (random.nextBoolean()) {
        metadata.put("list", List.of(pick(CITIES), pick(CITIES)));
      }
      if (random.nextBoolean()) {
        metadata.put("address", Map.of("city", pick(CITIES)));
      }
      if (random.nextBoolean()) {
        metadata.put("flag", random.nextBoolean());
      }
      Instant updatedAt = plain.createdAt().plusMillis(random.nextInt(3) * 250L);
      Instant invalidAt = random.nextInt(7) == 0
          ? plain.createdAt().plusMillis(500L * random.nextInt(40)) : null;
      MemoryRecord rich = new MemoryRecord(id, USER, plain.content(), plain.tags(),
          plain.people(), plain.topic(), metadata, plain.createdAt(), updatedAt,
          random.nextInt(3) == 0 ? null : pick(AGENTS),
          random.nextInt(4) == 0 ? null : pick(SESSIONS),
          random.nextInt(3) == 0 ? null : pick(List.of(Role.values())),
          plain.createdAt().minusMillis(500L * random.nextInt(20)), invalidAt,
          invalidAt == null ? null : "successor");
      current.put(id, stored(rich, current.get(id).embedding()));
    }
    return build(hnswThreshold);
  }

  /** The newest {@code limit} current memories that pass, by sorting them all. */
  private List<String> newestReference(Selection selection, int limit) {
    return current.values().stream().map(StoredMemory::memory).filter(selection)
        .sorted(Timeline.NEWEST_FIRST).limit(limit).map(MemoryRecord::id).toList();
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
    populate(size);
    return build(hnswThreshold);
  }

  /** Plain memories: tags, people, topic, a number; no agent, session or role. */
  private void populate(int size) {
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
  }

  private Partition build(int hnswThreshold) {
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
