package io.inmemory.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inmemory.server.TestServer.Answer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every memory endpoint over HTTP, in snake_case JSON. */
class MemoryEndpointsTest {
  private static TestServer server;
  private static String key;

  @BeforeAll
  static void start() {
    server = new TestServer();
    key = server.newKey("proj-a");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static List<String> texts(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(node -> values.add(node.asText()));
    return values;
  }

  @Test
  void addGetUpdateHistoryDelete() {
    Answer added = server.post("/v1/memories", key, Map.of(
        "memory_content", "Meeting with Bob about Q4 planning", "user_id", "alice",
        "tags", "Work, planning ,work", "people_mentioned", List.of("Bob"),
        "topic_category", "Meetings", "metadata", Map.of("priority", 2),
        "created_at", "2024-05-01T12:00:00Z"));
    assertThat(added.status()).isEqualTo(201);
    JsonNode memory = added.json().get("memory");
    String id = memory.get("id").asText();
    assertThat(memory.get("user_id").asText()).isEqualTo("alice");
    assertThat(memory.get("memory_content").asText()).isEqualTo(
        "Meeting with Bob about Q4 planning");
    assertThat(texts(memory.get("tags"))).containsExactly("work", "planning");
    assertThat(texts(memory.get("people_mentioned"))).containsExactly("Bob");
    assertThat(memory.get("topic_category").asText()).isEqualTo("meetings");
    assertThat(memory.get("metadata").get("priority").asLong()).isEqualTo(2);
    assertThat(memory.get("created_at").asText()).isEqualTo("2024-05-01T12:00:00Z");

    Answer got = server.get("/v1/memories/" + id + "?user_id=alice", key);
    assertThat(got.status()).isEqualTo(200);
    assertThat(got.json()).isEqualTo(memory);
    assertThat(server.get("/v1/memories/" + id + "/?user_id=alice", key).status())
        .isEqualTo(200);
    assertThat(server.get("/v1/memories/" + id + "?user_id=bob", key).problemType())
        .isEqualTo("urn:inmemory:problem:not-found");

    Answer updated = server.send("PUT", "/v1/memories/" + id + "?user_id=alice", key,
        Map.of("memory_content", "Meeting with Bob and Carol", "tags", List.of("q4")));
    assertThat(updated.status()).isEqualTo(200);
    assertThat(updated.json().get("memory_content").asText()).isEqualTo(
        "Meeting with Bob and Carol");
    assertThat(texts(updated.json().get("tags"))).containsExactly("q4");
    assertThat(texts(updated.json().get("people_mentioned"))).containsExactly("Bob");

    Answer deleted = server.send("DELETE", "/v1/memories/" + id + "?user_id=alice", key, null);
    assertThat(deleted.json().get("deleted").asBoolean()).isTrue();
    assertThat(server.send("DELETE", "/v1/memories/" + id + "?user_id=alice", key, null)
        .json().get("deleted").asBoolean()).isFalse();

    JsonNode history = server.get("/v1/memories/" + id + "/history?user_id=alice", key).json();
    assertThat(history.get("entries")).hasSize(3);
    assertThat(history.get("entries").get(0).get("event").asText()).isEqualTo("add");
    assertThat(history.get("entries").get(1).get("previous_content").asText())
        .isEqualTo("Meeting with Bob about Q4 planning");
    assertThat(history.get("entries").get(2).get("event").asText()).isEqualTo("delete");
  }

  @Test
  void listPagesNewestFirstAndDeleteAllClearsOneUser() {
    for (int i = 0; i < 5; i++) {
      server.add(key, "lister", "note " + i, Map.of("created_at", "2024-01-0" + (i + 1)
          + "T00:00:00Z"));
    }
    server.add(key, "other", "keep me", Map.of());
    JsonNode page = server.get("/v1/memories?user_id=lister&limit=2&offset=1", key).json();
    assertThat(page.get("total").asLong()).isEqualTo(5);
    assertThat(page.get("has_more").asBoolean()).isTrue();
    assertThat(page.get("items")).extracting(item -> item.get("memory_content").asText())
        .containsExactly("note 3", "note 2");

    Answer cleared = server.send("DELETE", "/v1/memories/?user_id=lister", key, null);
    assertThat(cleared.json().get("deleted_count").asLong()).isEqualTo(5);
    assertThat(server.get("/v1/memories?user_id=lister", key).json().get("total").asLong())
        .isZero();
    assertThat(server.get("/v1/memories?user_id=other", key).json().get("total").asLong())
        .isEqualTo(1);
  }

  @Test
  void searchesRankAndFilter() {
    server.add(key, "searcher", "I love pizza with olives", Map.of("tags", "food,italian",
        "people_mentioned", "Carol"));
    server.add(key, "searcher", "The train to Paris leaves at noon", Map.of("tags", "travel",
        "created_at", "2020-03-01T10:00:00Z"));

    Answer search = server.post("/v1/memories/search", key, Map.of("query", "pizza olives",
        "user_id", "searcher", "limit", 1));
    assertThat(search.status()).isEqualTo(200);
    assertThat(search.json().get("hits")).hasSize(1);
    assertThat(search.json().at("/hits/0/memory/memory_content").asText())
        .isEqualTo("I love pizza with olives");
    assertThat(search.json().at("/hits/0/score").isNumber()).isTrue();
    assertThat(search.json().get("ranking").asText()).isEqualTo("relevance");

    JsonNode filtered = server.post("/v1/memories/search", key, Map.of("user_id", "searcher",
        "tags", List.of("travel"))).json();
    assertThat(filtered.get("hits")).hasSize(1);
    assertThat(filtered.get("ranking").asText()).isEqualTo("recency");

    JsonNode byTags = server.post("/v1/memories/tag-search", key, Map.of("tags", "food,travel",
        "user_id", "searcher", "match_all", false)).json();
    assertThat(byTags.get("hits")).hasSize(2);
    JsonNode allTags = server.post("/v1/memories/tag-search", key, Map.of("tags", "food,travel",
        "user_id", "searcher")).json();
    assertThat(allTags.get("hits")).isEmpty();

    JsonNode byPeople = server.post("/v1/memories/people-search", key, Map.of(
        "people", List.of("carol"), "user_id", "searcher", "semantic_query", "pizza")).json();
    assertThat(byPeople.get("hits")).hasSize(1);

    JsonNode byTime = server.post("/v1/memories/temporal-search", key, Map.of(
        "temporal_query", "march 2020", "user_id", "searcher")).json();
    assertThat(byTime.get("hits")).extracting(hit -> hit.at("/memory/memory_content").asText())
        .containsExactly("The train to Paris leaves at noon");
    assertThat(byTime.at("/time_range/start").asText()).startsWith("2020-0");

    JsonNode stats = server.get("/v1/users/searcher/stats", key).json();
    assertThat(stats.get("memory_count").asLong()).isEqualTo(2);
    assertThat(stats.get("tag_counts").get("food").asLong()).isEqualTo(1);
    assertThat(stats.get("first_created_at").asText()).isEqualTo("2020-03-01T10:00:00Z");
  }

  @Test
  void batchAddStoresAllInOrder() {
    Answer answer = server.post("/v1/memories/batch", key, Map.of("memories", List.of(
        Map.of("memory_content", "first", "user_id", "batcher"),
        Map.of("memory_content", "second", "user_id", "batcher"))));
    assertThat(answer.status()).isEqualTo(201);
    assertThat(answer.json().get("results")).extracting(
        result -> result.at("/memory/memory_content").asText()).containsExactly("first", "second");
  }

  @Test
  void unknownPhraseListsSupportedForms() {
    Answer answer = server.post("/v1/memories/temporal-search", key, Map.of(
        "temporal_query", "when pigs fly", "user_id", "searcher"));
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json().at("/violations/0/field").asText()).isEqualTo("temporal");
  }

  @Test
  void aPhraseBeyondTheTimeLineAtTheReferenceIsABadReferenceTime() {
    for (String reference : List.of("+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z")) {
      Answer answer = server.post("/v1/memories/search", key, Map.of("user_id", "searcher",
          "temporal_query", reference.startsWith("+") ? "today" : "yesterday",
          "reference_time", reference, "time_zone", "Asia/Tokyo"));
      assertThat(answer.status()).as(reference).isEqualTo(400);
      assertThat(answer.json().at("/violations/0/field").asText()).isEqualTo("referenceTime");
    }
  }

  @Test
  void pingAndHealthNeedNoKey() {
    Answer ping = server.get("/v1/ping", null);
    assertThat(ping.status()).isEqualTo(200);
    assertThat(ping.json().get("status").asText()).isEqualTo("ok");
    Answer health = server.get("/v1/health/", null);
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().get("status").asText()).isEqualTo("UP");
    assertThat(health.json().at("/components/store/status").asText()).isEqualTo("UP");
    assertThat(health.response().body()).doesNotContain(TestServer.ADMIN);
  }
}
