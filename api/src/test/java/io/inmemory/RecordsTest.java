package io.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The value records clients return. */
class RecordsTest {

  private static final Instant T = Instant.parse("2024-06-15T12:00:00.123456Z");
  private static final Instant T_MS = Instant.parse("2024-06-15T12:00:00.123Z");

  private static MemoryRecord record(String id, List<String> tags, List<String> people) {
    return new MemoryRecord(id, "u", "content", tags, people, " Topic ", Map.of("n", 1), T, T);
  }

  @Test
  void memoryRecordsAreNormalizedAndTruncatedToMilliseconds() {
    MemoryRecord memory = record("m1", List.of(" A", "a"), List.of("Bob", "bob"));

    assertThat(memory.tags()).containsExactly("a");
    assertThat(memory.people()).containsExactly("Bob");
    assertThat(memory.topic()).isEqualTo("topic");
    assertThat(memory.metadata()).isEqualTo(Map.of("n", 1L));
    assertThat(memory.createdAt()).isEqualTo(T_MS);
    assertThat(memory.updatedAt()).isEqualTo(T_MS);
  }

  @Test
  void recordsFromDifferentSourcesAreEqualAfterNormalization() {
    // What a JSON decoder produces (Integer, mixed case) equals what the engine produces.
    assertThat(new MemoryRecord("m", "u", "c", List.of("A"), List.of(), null, Map.of("n", 1), T, T))
        .isEqualTo(new MemoryRecord("m", "u", "c", List.of("a"), null, " ", Map.of("n", 1L), T_MS,
            T_MS));
  }

  @Test
  void memoryRecordsRequireTheirIdentity() {
    assertThatThrownBy(() -> new MemoryRecord(null, "u", "c", null, null, null, null, T, T))
        .isInstanceOf(NullPointerException.class).hasMessage("id");
    assertThatThrownBy(() -> new MemoryRecord("m", null, "c", null, null, null, null, T, T))
        .isInstanceOf(NullPointerException.class).hasMessage("userId");
    assertThatThrownBy(() -> new MemoryRecord("m", "u", null, null, null, null, null, T, T))
        .isInstanceOf(NullPointerException.class).hasMessage("content");
    assertThatThrownBy(() -> new MemoryRecord("m", "u", "c", null, null, null, null, null, T))
        .isInstanceOf(NullPointerException.class).hasMessage("createdAt");
    assertThatThrownBy(() -> new MemoryRecord("m", "u", "c", null, null, null, null, T, null))
        .isInstanceOf(NullPointerException.class).hasMessage("updatedAt");
  }

  @Test
  void mentionsComparesPeopleIgnoringCaseAndPadding() {
    MemoryRecord memory = record("m", List.of(), List.of("Carol", "Bob"));

    assertThat(memory.mentions("bob")).isTrue();
    assertThat(memory.mentions(" CAROL ")).isTrue();
    assertThat(memory.mentions("Bo")).isFalse();
  }

  @Test
  void addResultExposesTheId() {
    AddResult result = new AddResult(record("m9", List.of(), List.of()));

    assertThat(result.id()).isEqualTo("m9");
    assertThatThrownBy(() -> new AddResult(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void searchResultsCopyTheirHits() {
    List<SearchHit> hits = new ArrayList<>(List.of(
        new SearchHit(record("a", List.of(), List.of()), 0.9),
        new SearchHit(record("b", List.of(), List.of()), 0.5)));
    SearchResult result = new SearchResult(hits, SearchResult.Ranking.RELEVANCE, Optional.empty());
    hits.clear();

    assertThat(result.size()).isEqualTo(2);
    assertThat(result.isEmpty()).isFalse();
    assertThat(result.memories()).extracting(MemoryRecord::id).containsExactly("a", "b");
    assertThat(new SearchResult(List.of(), SearchResult.Ranking.RECENCY, Optional.empty())
        .isEmpty()).isTrue();
    assertThatThrownBy(() -> new SearchResult(List.of(), null, Optional.empty()))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new SearchHit(null, 1)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void pagesKnowWhetherMoreFollow() {
    assertThat(new Page<>(List.of(1, 2), 0, 2, 5).hasMore()).isTrue();
    assertThat(new Page<>(List.of(5), 4, 2, 5).hasMore()).isFalse();
    assertThat(new Page<>(List.of(), 10, 2, 5).hasMore()).isFalse();
    assertThatThrownBy(() -> new Page<>(List.of(), -1, 2, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Page<>(List.of(), 0, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Page<>(List.of(), 0, 1, -1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void timeRangesAreHalfOpen() {
    Instant start = Instant.parse("2024-06-14T00:00:00Z");
    Instant end = Instant.parse("2024-06-15T00:00:00Z");
    TimeRange day = new TimeRange(start, end);

    assertThat(day.contains(start)).isTrue();
    assertThat(day.contains(end.minusMillis(1))).isTrue();
    assertThat(day.contains(end)).isFalse();
    assertThat(day.contains(start.minusMillis(1))).isFalse();
    assertThat(new TimeRange(null, end).contains(Instant.EPOCH)).isTrue();
    assertThat(new TimeRange(start, null).contains(Instant.MAX)).isTrue();
    assertThat(new TimeRange(null, null).startInstant()).isEmpty();
    assertThat(day.endInstant()).contains(end);
    assertThatThrownBy(() -> new TimeRange(end, start))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TimeRange(start, start))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void userStatsOrderCountsMostFrequentFirstThenByName() {
    Map<String, Long> tags = new HashMap<>(Map.of("b", 2L, "a", 2L, "z", 5L, "c", 1L));
    UserStats stats = new UserStats("u", 3, T, T, tags, Map.of(), Map.of("t", 1L));
    tags.clear();

    assertThat(stats.tagCounts()).containsExactly(
        Map.entry("z", 5L), Map.entry("a", 2L), Map.entry("b", 2L), Map.entry("c", 1L));
    assertThat(stats.firstCreated()).contains(T);
    assertThat(new UserStats("u", 0, null, null, Map.of(), Map.of(), Map.of()).lastCreated())
        .isEmpty();
    assertThatThrownBy(() -> stats.tagCounts().put("x", 1L))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void historyEntriesAreTruncatedToMilliseconds() {
    HistoryEntry entry = new HistoryEntry("m", "u", HistoryEntry.Event.ADD, null, "c", T);

    assertThat(entry.at()).isEqualTo(T_MS);
    assertThatThrownBy(() -> new HistoryEntry("m", "u", null, null, "c", T))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void healthIsUpOnlyWhenItSaysSo() {
    Health.Component store = new Health.Component(Health.Status.UP, Duration.ofMillis(2), "file");
    Health up = new Health(Health.Status.UP, "0.1.0", Map.of("store", store), T);
    Health down = new Health(Health.Status.DOWN, "0.1.0", Map.of("store",
        new Health.Component(Health.Status.DOWN, Duration.ZERO, "disk full")), T);

    assertThat(up.isUp()).isTrue();
    assertThat(down.isUp()).isFalse();
    assertThatThrownBy(() -> up.components().put("x", store))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> new Health.Component(Health.Status.UP, null, "x"))
        .isInstanceOf(NullPointerException.class);
  }
}
