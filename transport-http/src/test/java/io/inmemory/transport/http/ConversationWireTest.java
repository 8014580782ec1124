package io.inmemory.transport.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inmemory.ConversationRequest;
import io.inmemory.ConversationResult;
import io.inmemory.EventType;
import io.inmemory.ExtractionException;
import io.inmemory.InMemoryConfig;
import io.inmemory.ListRequest;
import io.inmemory.MemoryFilter;
import io.inmemory.Message;
import io.inmemory.Role;
import io.inmemory.Scope;
import io.inmemory.StorageException;
import io.inmemory.TransportException;
import io.inmemory.UpdateRequest;
import io.inmemory.transport.http.ScriptedServer.Recorded;
import io.inmemory.transport.http.ScriptedServer.Reply;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13's calls on the wire: conversation adds (their body, idempotency key, timeout and
 * retries), the extraction failure rebuilt, and the scoped calls' paths and queries.
 */
class ConversationWireTest {
  private static final ConversationRequest CONVERSATION = ConversationRequest.builder(
          Scope.user("john").withSession("chat-42"))
      .messages(Message.user("I moved to Berlin").withName("John"),
          Message.assistant("Nice!"))
      .roles(Role.USER).build();
  private static final String EXTRACTION_FAILED = "\"reason\":\"timeout\","
      + "\"upstream_status\":504,\"retry_after_seconds\":30";

  private ScriptedServer server;
  private Clients clients;

  @BeforeEach
  void start() throws Exception {
    server = new ScriptedServer();
    clients = new Clients();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Inmry client(int retries) {
    return clients.builder(server.baseUrl()).maxRetries(retries).build();
  }

  private static JsonNode json(String body) throws Exception {
    return new ObjectMapper().readTree(body);
  }

  private static String conversationResult() {
    return "{\"events\":[{\"event\":\"add\",\"memory\":"
        + Answers.memory("m1", "john", "I moved to Berlin") + "},{\"event\":\"supersede\","
        + "\"memory\":" + Answers.memory("m2", "john", "lives in Berlin") + ","
        + "\"previous_memory_id\":\"m0\",\"previous_content\":\"lives in Paris\"}],"
        + "\"extracted\":true,\"stored_raw\":false,\"extraction_error\":null}";
  }

  @Test
  void aConversationIsSentWithItsKeyAndItsEventsComeBack() throws Exception {
    server.answer(Reply.json(201, conversationResult()));
    try (Inmry client = client(0)) {
      ConversationResult result = client.add(CONVERSATION);

      Recorded request = server.requests().get(0);
      assertThat(request.method()).isEqualTo("POST");
      assertThat(request.target()).isEqualTo("/v1/memories");
      assertThat(request.header("Idempotency-Key")).isNotBlank();
      JsonNode sent = json(request.body());
      assertThat(sent.get("user_id").asText()).isEqualTo("john");
      assertThat(sent.get("session_id").asText()).isEqualTo("chat-42");
      assertThat(sent.get("roles")).hasSize(1);
      assertThat(sent.get("roles").get(0).asText()).isEqualTo("user");
      assertThat(sent.get("messages").get(0).get("role").asText()).isEqualTo("user");
      assertThat(sent.get("messages").get(0).get("content").asText())
          .isEqualTo("I moved to Berlin");
      assertThat(sent.get("messages").get(0).get("name").asText()).isEqualTo("John");
      assertThat(sent.has("memory_content")).isFalse();

      assertThat(result.extracted()).isTrue();
      assertThat(result.events()).extracting(e -> e.type())
          .containsExactly(EventType.ADD, EventType.SUPERSEDE);
      assertThat(result.events().get(1).previousId()).isEqualTo("m0");
      assertThat(result.events().get(1).previousContent()).isEqualTo("lives in Paris");
    }
  }

  @Test
  void aFailedExtractionIsRebuiltAndNeverRetried() {
    server.answer(Reply.problem(502, "extraction-failed", EXTRACTION_FAILED),
        Reply.json(201, conversationResult()));
    try (Inmry client = client(3)) {
      assertThatThrownBy(() -> client.add(CONVERSATION))
          .isInstanceOfSatisfying(ExtractionException.class, e -> {
            assertThat(e.reason()).isEqualTo(ExtractionException.Reason.TIMEOUT);
            assertThat(e.upstreamStatus()).hasValue(504);
            assertThat(e.retryAfter()).contains(Duration.ofSeconds(30));
          });
    }
    assertThat(server.requests()).hasSize(1);
    assertThat(clients.delays).isEmpty();
  }

  @Test
  void aConversationIsRetriedWithItsKeyOnlyAfterOtherFailures() throws Exception {
    server.answer(Reply.json(502, "{}"), Reply.problem(503, "storage-unavailable", ""),
        Reply.json(201, conversationResult()));
    try (Inmry client = client(3)) {
      assertThat(client.add(CONVERSATION).events()).hasSize(2);
    }
    List<Recorded> sent = server.requests();
    assertThat(sent).hasSize(3);
    assertThat(sent).extracting(r -> r.header("Idempotency-Key")).containsOnly(
        sent.get(0).header("Idempotency-Key"));

    // without idempotency keys a conversation add is never repeated: it could store twice
    server.answer(Reply.problem(503, "storage-unavailable", ""));
    try (Inmry client = clients.builder(server.baseUrl()).maxRetries(3).idempotencyKeys(false)
        .build()) {
      assertThatThrownBy(() -> client.add(CONVERSATION)).isInstanceOf(StorageException.class);
    }
    assertThat(server.requests()).hasSize(4);
  }

  @Test
  void aConversationWaitsTheConversationTimeoutOtherCallsTheRequestTimeout() {
    server.answer(Reply.json(201, conversationResult()).stalled(Duration.ofMillis(1500)),
        Reply.json(200, Answers.emptyPage()).stalled(Duration.ofMillis(1500)));
    try (Inmry client = clients.builder(server.baseUrl()).maxRetries(0)
        .requestTimeout(Duration.ofMillis(500)).conversationTimeout(Duration.ofSeconds(30))
        .build()) {
      assertThat(client.add(CONVERSATION).extracted()).isTrue();
      assertThatThrownBy(() -> client.list(ListRequest.builder(Scope.user("john")).build()))
          .isInstanceOf(TransportException.class).hasMessageContaining("no answer within PT0.5S");
    }
  }

  @Test
  void theConversationTimeoutIsConfigured() {
    assertThat(clients.builder(server.baseUrl()).settings().conversationTimeout())
        .isEqualTo(Duration.ofMillis(200_000));
    assertThat(Inmry.builder().baseUrl(server.baseUrl()).apiKey(Clients.KEY)
        .config(InMemoryConfig.builder().isolated()
            .set(Inmry.CONVERSATION_TIMEOUT_MS, 1234).build())
        .settings().conversationTimeout()).isEqualTo(Duration.ofMillis(1234));
  }

  @Test
  void scopedCallsCarryTheScopeInTheirQuery() throws Exception {
    String memory = Answers.memory("m1", "u", "x");
    server.answer(Reply.json(200, memory),
        Reply.problem(404, "not-found", ""),
        Reply.json(200, memory),
        Reply.json(200, "{\"deleted\":true}"),
        Reply.json(200, "{\"deleted_count\":2}"),
        Reply.json(200, "{\"entries\":[]}"),
        Reply.json(200, "{\"user_id\":null,\"agent_id\":\"bot\",\"session_id\":\"s+1\","
            + "\"memory_count\":1,\"first_created_at\":null,\"last_created_at\":null,"
            + "\"tag_counts\":{},\"people_counts\":{},\"topic_counts\":{},"
            + "\"superseded_count\":4}"),
        Reply.json(200, "{\"user_id\":\"u\",\"memory_count\":0,\"tag_counts\":{},"
            + "\"people_counts\":{},\"topic_counts\":{}}"),
        Reply.json(200, Answers.emptyPage()));
    Scope agentSession = Scope.agent("bot").withSession("s+1");
    try (Inmry client = client(0)) {
      assertThat(client.get("m1", agentSession)).isPresent();
      assertThat(client.get("m-2", Scope.user("u").withAgent("bot"))).isEmpty();
      client.update("m1", agentSession, UpdateRequest.builder().content("y").build());
      assertThat(client.delete("m1", agentSession)).isTrue();
      assertThat(client.deleteAll(Scope.user("u").withSession("s1"))).isEqualTo(2);
      assertThat(client.history("m1", agentSession)).isEmpty();
      assertThat(client.stats(agentSession).supersededCount()).isEqualTo(4);
      assertThat(client.stats(Scope.user("u").withAgent("bot")).userId()).isEqualTo("u");
      client.list(ListRequest.builder(agentSession)
          .filter(MemoryFilter.metadata("price").gt(3)).includeSuperseded(true).offset(20)
          .build());
    }
    assertThat(server.requests()).extracting(r -> r.method() + " " + r.target()).containsExactly(
        "GET /v1/memories/m1?agent_id=bot&session_id=s%2B1",
        "GET /v1/memories/m-2?user_id=u&agent_id=bot",
        "PUT /v1/memories/m1?agent_id=bot&session_id=s%2B1",
        "DELETE /v1/memories/m1?agent_id=bot&session_id=s%2B1",
        "DELETE /v1/memories?user_id=u&session_id=s1",
        "GET /v1/memories/m1/history?agent_id=bot&session_id=s%2B1",
        "GET /v1/agents/bot/stats?session_id=s%2B1",
        "GET /v1/users/u/stats?agent_id=bot",
        "POST /v1/memories/list");
    JsonNode list = json(server.requests().get(8).body());
    assertThat(list.get("filters")).isEqualTo(json("{\"metadata\":{\"price\":{\"gt\":3}}}"));
    assertThat(list.get("include_superseded").asBoolean()).isTrue();
    assertThat(list.get("offset").asInt()).isEqualTo(20);
    assertThat(list.get("agent_id").asText()).isEqualTo("bot");
  }

  @Test
  void theAsyncClientFailsWithTheExtractionItself() throws Exception {
    server.answer(Reply.problem(502, "extraction-failed", EXTRACTION_FAILED));
    try (Inmry client = client(2)) {
      assertThatThrownBy(() -> client.async().add(CONVERSATION).get(30, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class).cause()
          .isInstanceOf(ExtractionException.class);
    }
  }
}
