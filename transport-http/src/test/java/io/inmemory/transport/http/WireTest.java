package io.inmemory.transport.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inmemory.AddRequest;
import io.inmemory.Health;
import io.inmemory.HistoryEntry;
import io.inmemory.InvalidRequestException;
import io.inmemory.MemoryRecord;
import io.inmemory.Page;
import io.inmemory.SearchRequest;
import io.inmemory.SearchResult;
import io.inmemory.TagMatch;
import io.inmemory.UpdateRequest;
import io.inmemory.UserStats;
import io.inmemory.transport.http.ScriptedServer.Recorded;
import io.inmemory.transport.http.ScriptedServer.Reply;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What goes on the wire and how answers come back as the API's records. */
class WireTest {
  private ScriptedServer server;
  private Inmry client;

  @BeforeEach
  void start() throws Exception {
    server = new ScriptedServer();
    client = new Clients().builder(server.baseUrl() + "/").maxRetries(0).build();
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    server.close();
  }

  private Recorded last() {
    List<Recorded> requests = server.requests();
    return requests.get(requests.size() - 1);
  }

  private static JsonNode json(String body) throws Exception {
    return new ObjectMapper().readTree(body);
  }

  @Test
  void addSendsSnakeCaseJsonWithCredentialsAndDecodesTheMemory() throws Exception {
    server.answer(Reply.json(201, Answers.added("m1")));
    MemoryRecord memory = client.add(AddRequest.builder("I love pizza", "alice")
        .tags(List.of("Food")).people(List.of("Bob")).topic("prefs")
        .metadata(Map.of("n", 1)).createdAt(Instant.parse("2025-05-06T07:08:09Z")).build())
        .memory();

    Recorded request = last();
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.target()).isEqualTo("/v1/memories");
    assertThat(request.header("Authorization")).isEqualTo("Bearer " + Clients.KEY);
    assertThat(request.header("User-Agent")).matches("inmemory-java/\\d+\\.\\d+\\.\\d+.*");
    assertThat(request.header("Content-Type")).isEqualTo("application/json");
    assertThat(json(request.body())).isEqualTo(json("{\"memory_content\":\"I love pizza\","
        + "\"user_id\":\"alice\",\"tags\":[\"food\"],\"people_mentioned\":[\"Bob\"],"
        + "\"topic_category\":\"prefs\",\"metadata\":{\"n\":1},"
        + "\"created_at\":\"2025-05-06T07:08:09Z\"}"));

    assertThat(memory.id()).isEqualTo("m1");
    assertThat(memory.userId()).isEqualTo("alice");
    assertThat(memory.content()).isEqualTo("I love pizza");
    assertThat(memory.tags()).containsExactly("food");
    assertThat(memory.people()).containsExactly("Bob");
    assertThat(memory.topic()).isEqualTo("prefs");
    assertThat(memory.metadata()).isEqualTo(Map.of("n", 1L, "nested", Map.of("ok", true)));
    assertThat(memory.createdAt()).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
    assertThat(memory.updatedAt()).isEqualTo(Instant.parse("2026-01-02T03:04:06Z"));
  }

  @Test
  void searchSendsEveryFilterAndDecodesHitsAndTimeRange() throws Exception {
    server.answer(Reply.json(200, "{\"hits\":[{\"memory\":"
        + Answers.memory("m1", "alice", "pizza") + ",\"score\":0.75}],\"ranking\":\"fused\","
        + "\"time_range\":{\"start\":\"2026-01-01T00:00:00Z\",\"end\":null}}"));
    SearchResult result = client.search(SearchRequest.builder("alice").query("food")
        .limit(5).tags(List.of("a", "b"), TagMatch.ANY).temporal("last week")
        .zone(ZoneId.of("Europe/Paris")).build());

    JsonNode sent = json(last().body());
    assertThat(last().target()).isEqualTo("/v1/memories/search");
    assertThat(sent.get("query").asText()).isEqualTo("food");
    assertThat(sent.get("limit").asInt()).isEqualTo(5);
    assertThat(sent.get("tag_match").asText()).isEqualTo("any");
    assertThat(sent.get("temporal_query").asText()).isEqualTo("last week");
    assertThat(sent.get("time_zone").asText()).isEqualTo("Europe/Paris");

    assertThat(result.ranking()).isEqualTo(SearchResult.Ranking.FUSED);
    assertThat(result.hits()).singleElement().satisfies(hit -> {
      assertThat(hit.score()).isEqualTo(0.75);
      assertThat(hit.memory().id()).isEqualTo("m1");
    });
    assertThat(result.timeRange()).hasValueSatisfying(range -> {
      assertThat(range.start()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
      assertThat(range.end()).isNull();
    });
  }

  @Test
  void pathsAndQueriesAreEncoded() {
    server.answer(Reply.json(200, "{\"deleted\":true}"), Reply.json(200,
        "{\"deleted_count\":3}"), Reply.json(200, Answers.emptyPage()));
    assertThat(client.delete("m_1", "bob+work@example.com")).isTrue();
    assertThat(last().method()).isEqualTo("DELETE");
    assertThat(last().target()).isEqualTo("/v1/memories/m_1?user_id=bob%2Bwork%40example.com");
    assertThat(client.deleteAll("bob")).isEqualTo(3);
    assertThat(last().target()).isEqualTo("/v1/memories?user_id=bob");
    client.getAll("bob", 20, 40);
    assertThat(last().target()).isEqualTo("/v1/memories?user_id=bob&limit=20&offset=40");
  }

  @Test
  void updateHistoryAndStatsRoundTrip() throws Exception {
    server.answer(Reply.json(200, Answers.memory("m1", "alice", "new")),
        Reply.json(200, "{\"entries\":[{\"memory_id\":\"m1\",\"user_id\":\"alice\","
            + "\"event\":\"update\",\"previous_content\":\"old\",\"new_content\":\"new\","
            + "\"at\":\"2026-01-02T03:04:06Z\"}]}"),
        Reply.json(200, "{\"user_id\":\"alice\",\"memory_count\":2,"
            + "\"first_created_at\":\"2026-01-01T00:00:00Z\",\"last_created_at\":null,"
            + "\"tag_counts\":{\"food\":2},\"people_counts\":{},\"topic_counts\":{}}"));

    assertThat(client.update("m1", "alice", UpdateRequest.builder().content("new").build())
        .content()).isEqualTo("new");
    assertThat(last().method()).isEqualTo("PUT");
    assertThat(json(last().body()).get("memory_content").asText()).isEqualTo("new");

    assertThat(client.history("m1", "alice")).containsExactly(new HistoryEntry("m1", "alice",
        HistoryEntry.Event.UPDATE, "old", "new", Instant.parse("2026-01-02T03:04:06Z")));
    assertThat(last().target()).isEqualTo("/v1/memories/m1/history?user_id=alice");

    UserStats stats = client.getUserStats("alice");
    assertThat(stats.memoryCount()).isEqualTo(2);
    assertThat(stats.tagCounts()).isEqualTo(Map.of("food", 2L));
    assertThat(stats.lastCreatedAt()).isNull();
  }

  @Test
  void invalidArgumentsFailBeforeAnyRequest() {
    assertThatThrownBy(() -> client.getAll("", 10, 0)).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> client.get("m1", "bad user")).isInstanceOf(
        InvalidRequestException.class);
    assertThatThrownBy(() -> client.add((AddRequest) null)).isInstanceOf(NullPointerException.class);
    assertThat(client.async().getAll("alice", 0, 0)).isCompletedExceptionally();
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void healthReportsUpAndDownAnswersAndAnUnreachableServer() throws Exception {
    String body = "{\"status\":\"%s\",\"version\":\"1.2.3\",\"components\":{\"store\":"
        + "{\"status\":\"%s\",\"latency_ms\":1.5,\"detail\":\"file\"}},"
        + "\"checked_at\":\"2026-01-02T03:04:05Z\"}";
    server.answer(Reply.json(200, body.formatted("UP", "UP")),
        Reply.json(503, body.formatted("DOWN", "DOWN")));
    Health up = client.healthCheck();
    assertThat(up.isUp()).isTrue();
    assertThat(up.version()).isEqualTo("1.2.3");
    assertThat(up.components().get("store").latency()).isEqualTo(Duration.ofNanos(1_500_000));
    assertThat(client.healthCheck().components().get("store").status())
        .isEqualTo(Health.Status.DOWN);
    assertThat(server.requests()).extracting(Recorded::target).containsOnly("/v1/health");

    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (Inmry unreachable = new Clients().builder("http://127.0.0.1:" + closedPort).build()) {
      Health down = unreachable.healthCheck();
      assertThat(down.status()).isEqualTo(Health.Status.DOWN);
      assertThat(down.components().get("server").detail()).startsWith("TransportException");
    }
  }

  @Test
  void aClosedClientRefusesCallsAndNeverShowsItsKey() {
    assertThat(client.toString()).contains(server.baseUrl()).doesNotContain(Clients.KEY);
    client.close();
    client.close();
    assertThatThrownBy(() -> client.getUserStats("alice"))
        .isInstanceOf(IllegalStateException.class);
    assertThat(client.async().getUserStats("alice")).isCompletedExceptionally();
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void callsInFlightCompleteAfterClose() {
    server.answer(Reply.json(200, Answers.emptyPage()).stalled(Duration.ofMillis(300)));
    CompletableFuture<Page<MemoryRecord>> running = client.async().getAll("alice", 10, 0);
    client.close();
    assertThat(running.join().total()).isZero();
    assertThat(client.async().getAll("alice", 10, 0)).isCompletedExceptionally();
  }

  @Test
  void oneClientServesManyThreadsAtOnce() {
    int calls = 40;
    for (int i = 0; i < calls; i++) {
      server.answer(Reply.json(200, Answers.emptyPage()));
    }
    List<CompletableFuture<Long>> totals = IntStream.range(0, calls)
        .mapToObj(i -> CompletableFuture.supplyAsync(
            () -> client.getAll("user" + i, 10, 0).total()))
        .toList();
    assertThat(totals).allSatisfy(total -> assertThat(total.join()).isZero());
    assertThat(server.requests()).hasSize(calls)
        .extracting(Recorded::target).doesNotHaveDuplicates();
  }

  @Test
  void aBasePathIsKept() throws Exception {
    try (Inmry prefixed = new Clients().builder(server.baseUrl() + "/memory/").build()) {
      server.answer(Reply.json(200, Answers.emptyPage()));
      prefixed.getAll("alice", 10, 0);
    }
    assertThat(last().target()).startsWith("/memory/v1/memories?");
  }
}
