package io.inmemory.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inmemory.AddRequest;
import io.inmemory.AddResult;
import io.inmemory.Health;
import io.inmemory.HistoryEntry;
import io.inmemory.InvalidRequestException;
import io.inmemory.InvalidRequestException.Violation;
import io.inmemory.Limits;
import io.inmemory.MemoryRecord;
import io.inmemory.Page;
import io.inmemory.SearchHit;
import io.inmemory.SearchRequest;
import io.inmemory.SearchResult;
import io.inmemory.TagMatch;
import io.inmemory.TimeRange;
import io.inmemory.TransportException;
import io.inmemory.UpdateRequest;
import io.inmemory.UserStats;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Every object the two sides exchange, written by one codec and read by the other through real
 * JSON bytes, comes back equal; and the answers' member names are those the API documents.
 */
class RoundTripTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Instant T1 = Instant.parse("2025-05-06T07:08:09.123Z");
  private static final Instant T2 = Instant.parse("2025-06-07T08:09:10Z");
  private static final Limits LIMITS = Limits.defaults();

  private static JsonNode json(Object written) throws Exception {
    return MAPPER.readTree(MAPPER.writeValueAsBytes(written));
  }

  private static JsonBody body(Object written) throws Exception {
    return JsonBody.of((ObjectNode) json(written));
  }

  private static MemoryRecord memory(String id, String topic) {
    return new MemoryRecord(id, "alice", "I love pizza", List.of("food", "likes"),
        List.of("Bob"), topic, Map.of("n", 1, "nested", Map.of("ok", true)), T1, T2);
  }

  @Test
  void memory() throws Exception {
    MemoryRecord memory = memory("m1", "prefs");
    assertThat(MemoryJson.read(json(MemoryJson.write(memory)))).isEqualTo(memory);
    MemoryRecord noTopic = memory("m2", null);
    assertThat(MemoryJson.read(json(MemoryJson.write(noTopic)))).isEqualTo(noTopic);
    assertThat(MemoryJson.write(memory)).containsOnlyKeys("id", "user_id", "memory_content",
        "tags", "people_mentioned", "topic_category", "metadata", "created_at", "updated_at",
        "agent_id", "session_id", "role", "valid_from", "invalid_at", "superseded_by");
  }

  @Test
  void addResults() throws Exception {
    AddResult one = new AddResult(memory("m1", "prefs"));
    AddResult two = new AddResult(memory("m2", null));
    assertThat(ResultJson.readAddResult(json(ResultJson.addResult(one)))).isEqualTo(one);
    assertThat(ResultJson.readAddResults(json(ResultJson.addResults(List.of(one, two)))))
        .containsExactly(one, two);
    assertThat(ResultJson.readAddResults(json(ResultJson.addResults(List.of())))).isEmpty();
  }

  @Test
  void deletions() throws Exception {
    assertThat(ResultJson.readDeleted(json(ResultJson.deleted(true)))).isTrue();
    assertThat(ResultJson.readDeleted(json(ResultJson.deleted(false)))).isFalse();
    assertThat(ResultJson.readDeletedCount(json(ResultJson.deletedCount(12_345_678_901L))))
        .isEqualTo(12_345_678_901L);
  }

  @Test
  void searchResults() throws Exception {
    SearchResult ranked = new SearchResult(List.of(new SearchHit(memory("m1", "prefs"), 0.75),
        new SearchHit(memory("m2", null), -0.25)), SearchResult.Ranking.FUSED, Optional.empty());
    assertThat(ResultJson.readSearchResult(json(ResultJson.searchResult(ranked))))
        .isEqualTo(ranked);
    for (TimeRange range : List.of(new TimeRange(T1, T2), new TimeRange(null, T2),
        new TimeRange(T1, null))) {
      SearchResult timed = new SearchResult(List.of(), SearchResult.Ranking.RECENCY,
          Optional.of(range));
      assertThat(ResultJson.readSearchResult(json(ResultJson.searchResult(timed))))
          .isEqualTo(timed);
    }
    for (SearchResult.Ranking ranking : SearchResult.Ranking.values()) {
      SearchResult empty = new SearchResult(List.of(), ranking, Optional.empty());
      assertThat(ResultJson.readSearchResult(json(ResultJson.searchResult(empty))).ranking())
          .isEqualTo(ranking);
    }
  }

  @Test
  void page() throws Exception {
    Page<MemoryRecord> page = new Page<>(List.of(memory("m1", "prefs"), memory("m2", null)), 4,
        2, 9);
    assertThat(ResultJson.readPage(json(ResultJson.page(page)))).isEqualTo(page);
    assertThat(json(ResultJson.page(page)).get("has_more").asBoolean()).isTrue();
  }

  @Test
  void history() throws Exception {
    List<HistoryEntry> entries = List.of(
        new HistoryEntry("m1", "alice", HistoryEntry.Event.ADD, null, "first", T1),
        new HistoryEntry("m1", "alice", HistoryEntry.Event.UPDATE, "first", "second", T2),
        new HistoryEntry("m1", "alice", HistoryEntry.Event.DELETE, "second", null, T2));
    assertThat(ResultJson.readHistory(json(ResultJson.history(entries)))).isEqualTo(entries);
  }

  @Test
  void userStats() throws Exception {
    UserStats stats = new UserStats("alice", 3, T1, T2, Map.of("food", 2L),
        Map.of("Bob", 1L, "Eve", 3L), Map.of("prefs", 3L));
    assertThat(ResultJson.readUserStats(json(ResultJson.userStats(stats)))).isEqualTo(stats);
    UserStats none = new UserStats("bob", 0, null, null, Map.of(), Map.of(), Map.of());
    assertThat(ResultJson.readUserStats(json(ResultJson.userStats(none)))).isEqualTo(none);
  }

  @Test
  void health() throws Exception {
    Health health = new Health(Health.Status.DOWN, "1.2.3", Map.of(
        "store", new Health.Component(Health.Status.UP, Duration.ofNanos(1_234_567), "ok"),
        "embedder", new Health.Component(Health.Status.DOWN, Duration.ofMillis(30),
            "IllegalStateException: no model")), T1);
    assertThat(ResultJson.readHealth(json(ResultJson.health(health)))).isEqualTo(health);
    assertThat(json(ResultJson.health(health)).get("components").fieldNames())
        .toIterable().containsExactly("embedder", "store");
  }

  @Test
  void ping() throws Exception {
    JsonNode ping = json(ResultJson.ping("1.2.3"));
    assertThat(ping.get("status").asText()).isEqualTo("ok");
    assertThat(ping.get("version").asText()).isEqualTo("1.2.3");
  }

  @Test
  void addRequests() throws Exception {
    AddRequest full = AddRequest.builder("I love pizza", "alice").tags(List.of("Food", "x"))
        .people(List.of("Bob")).topic("prefs").metadata(Map.of("n", 1)).createdAt(T1).build();
    AddRequest bare = AddRequest.builder("just this", "bob").build();
    for (AddRequest request : List.of(full, bare)) {
      assertThat(RequestJson.add(body(RequestJson.write(request)))).isEqualTo(request);
    }
    List<Integer> sizes = new ArrayList<>();
    assertThat(RequestJson.addAll(body(RequestJson.writeBatch(List.of(full, bare))),
        sizes::add)).containsExactly(full, bare);
    assertThat(sizes).containsExactly(2);
  }

  @Test
  void batchProblemsNameTheElement() throws Exception {
    Map<String, Object> batch = Map.of("memories", List.of(
        RequestJson.write(AddRequest.builder("fine", "alice").build()),
        Map.of("memory_content", 7, "user_id", "alice")));
    assertThatThrownBy(() -> RequestJson.addAll(body(batch), size -> { }))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.violations())
            .containsExactly(new Violation("requests[1].content", "must be a string")));
  }

  @Test
  void searchRequests() throws Exception {
    SearchRequest full = SearchRequest.builder("alice").query("pizza").limit(7).threshold(0.5)
        .tags(List.of("food", "likes"), TagMatch.ANY).people(List.of("Bob")).topic("prefs")
        .metadata(Map.of("n", 1)).createdAfter(T1).createdBefore(T2).temporal("last week")
        .referenceTime(T2).zone(ZoneId.of("Europe/Paris")).build();
    SearchRequest bare = SearchRequest.builder("bob").build();
    for (SearchRequest request : List.of(full, bare,
        SearchRequest.forTime("yesterday", "alice", "pizza", 3),
        SearchRequest.forTags(List.of("food"), "alice", null, false, 4),
        SearchRequest.forPeople(List.of("Bob"), "alice", "pizza", 5))) {
      assertThat(RequestJson.search(body(RequestJson.write(request)), LIMITS))
          .isEqualTo(request);
    }
  }

  @Test
  void shortcutSearchesReadTheirOwnMembers() throws Exception {
    assertThat(RequestJson.temporalSearch(body(Map.of("temporal_query", "yesterday",
        "user_id", "alice", "semantic_query", "pizza", "limit", 3)), LIMITS))
        .isEqualTo(SearchRequest.forTime("yesterday", "alice", "pizza", 3));
    assertThat(RequestJson.tagSearch(body(Map.of("tags", "food, likes", "user_id", "alice",
        "match_all", false)), LIMITS))
        .isEqualTo(SearchRequest.forTags(List.of("food", "likes"), "alice", null, false,
            SearchRequest.DEFAULT_LIMIT));
    assertThat(RequestJson.peopleSearch(body(Map.of("people", List.of("Bob"),
        "user_id", "alice")), LIMITS))
        .isEqualTo(SearchRequest.forPeople(List.of("Bob"), "alice", null,
            SearchRequest.DEFAULT_LIMIT));
  }

  @Test
  void updateRequests() throws Exception {
    UpdateRequest full = UpdateRequest.builder().content("changed").tags(List.of("a"))
        .people(List.of("Bob")).topic("").metadata(Map.of("n", 2)).build();
    UpdateRequest content = UpdateRequest.builder().content("only this").build();
    for (UpdateRequest request : List.of(full, content)) {
      assertThat(RequestJson.update(body(RequestJson.write(request)))).isEqualTo(request);
    }
  }

  @Test
  void aMissingAnswerMemberIsATransportException() throws Exception {
    JsonNode memory = json(MemoryJson.write(memory("m1", "prefs")));
    ((ObjectNode) memory).remove("memory_content");
    assertThatThrownBy(() -> MemoryJson.read(memory)).isInstanceOf(TransportException.class)
        .hasMessageContaining("lacks 'memory_content'");
  }
}
