package io.inmemory.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inmemory.AddRequest;
import io.inmemory.AddResult;
import io.inmemory.ContentTooLargeException;
import io.inmemory.ConversationRequest;
import io.inmemory.ConversationResult;
import io.inmemory.EventType;
import io.inmemory.HistoryEntry;
import io.inmemory.InvalidRequestException;
import io.inmemory.InvalidRequestException.Violation;
import io.inmemory.Limits;
import io.inmemory.ListRequest;
import io.inmemory.MemoryEvent;
import io.inmemory.MemoryFilter;
import io.inmemory.MemoryRecord;
import io.inmemory.Message;
import io.inmemory.Role;
import io.inmemory.Scope;
import io.inmemory.SearchRequest;
import io.inmemory.UserStats;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 13's objects (scopes, roles, validity, supersede, conversations, listings) written by one
 * codec and read by the other through real JSON bytes come back equal, both ways.
 */
class ConversationRoundTripTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Instant T1 = Instant.parse("2025-05-06T07:08:09.123Z");
  private static final Instant T2 = Instant.parse("2025-06-07T08:09:10Z");
  private static final Limits LIMITS = Limits.defaults();
  private static final MemoryFilter FILTER = MemoryFilter.and(
      MemoryFilter.metadata("price").gt(3), MemoryFilter.tags().contains("food"));

  private static JsonNode json(Object written) throws Exception {
    return MAPPER.readTree(MAPPER.writeValueAsBytes(written));
  }

  private static JsonBody body(Object written) throws Exception {
    return JsonBody.of((ObjectNode) json(written));
  }

  /** A superseded agent memory of a session, with a role and its own validity. */
  private static MemoryRecord scoped(String id, String userId) {
    return new MemoryRecord(id, userId, "I live in Paris", List.of("home"), List.of(), null,
        Map.of(), T1, T2, "planner", "s-1", Role.USER, T1.minusSeconds(60), T2, "m9");
  }

  private static MemoryRecord agentOwn() {
    return new MemoryRecord("m2", null, "prefers short answers", List.of(), List.of(), null,
        Map.of(), T1, T1, "planner", null, null, T1, null, null);
  }

  @Test
  void memoriesWithScopeRoleAndValidity() throws Exception {
    for (MemoryRecord memory : List.of(scoped("m1", "alice"), agentOwn())) {
      assertThat(MemoryJson.read(json(MemoryJson.write(memory)))).isEqualTo(memory);
    }
    assertThat(MemoryJson.write(agentOwn())).containsEntry("user_id", null)
        .containsEntry("agent_id", "planner").containsKeys("session_id", "role", "valid_from",
            "invalid_at", "superseded_by");
    assertThat(json(MemoryJson.write(scoped("m1", "alice"))).get("role").asText())
        .isEqualTo("user");
  }

  @Test
  void anEarlierServersMemoryIsValidFromItsCreation() throws Exception {
    ObjectNode old = (ObjectNode) json(MemoryJson.write(new MemoryRecord("m1", "alice", "x",
        List.of(), List.of(), null, Map.of(), T1, T2)));
    List.of("agent_id", "session_id", "role", "valid_from", "invalid_at", "superseded_by")
        .forEach(old::remove);
    MemoryRecord read = MemoryJson.read(old);
    assertThat(read.validFrom()).isEqualTo(T1);
    assertThat(read.isCurrent()).isTrue();
  }

  @Test
  void addResultsCarryTheirEvent() throws Exception {
    AddResult none = new AddResult(scoped("m1", "alice"), EventType.NONE);
    assertThat(ResultJson.readAddResult(json(ResultJson.addResult(none)))).isEqualTo(none);
    assertThat(json(ResultJson.addResult(none)).get("event").asText()).isEqualTo("none");
    ObjectNode old = (ObjectNode) json(ResultJson.addResult(none));
    old.remove("event");
    assertThat(ResultJson.readAddResult(old).event()).isEqualTo(EventType.ADD);
  }

  @Test
  void scopedAddRequests() throws Exception {
    AddRequest agent = AddRequest.builder("prefers short answers", Scope.agent("planner")
        .withSession("s-1")).role(Role.ASSISTANT).validFrom(T1).deduplicate(true).build();
    AddRequest both = AddRequest.builder("x", Scope.user("alice").withAgent("planner"))
        .createdAt(T2).build();
    for (AddRequest request : List.of(agent, both)) {
      assertThat(RequestJson.add(body(RequestJson.write(request)))).isEqualTo(request);
    }
  }

  @Test
  void conversationRequests() throws Exception {
    ConversationRequest full = ConversationRequest.builder(Scope.user("john").withAgent("bot")
            .withSession("chat-42"))
        .messages(Message.user("I moved to Berlin").withName("John").withTimestamp(T1)
                .withId("msg-1").withMetadata(Map.of("lang", "en")),
            Message.assistant("Nice!"), Message.system("be brief"), Message.tool("{}"))
        .tags("travel").topic("home").metadata(Map.of("channel", "web"))
        .roles(Role.USER, Role.SYSTEM).infer(false).instructions("facts about places only")
        .storeRawOnFailure(true).zone(ZoneId.of("Europe/Berlin")).build();
    ConversationRequest bare = ConversationRequest.builder(Scope.agent("bot"))
        .messages(Message.user("hi")).build();
    for (ConversationRequest request : List.of(full, bare)) {
      assertThat(RequestJson.conversation(body(RequestJson.write(request)), LIMITS))
          .isEqualTo(request);
    }
  }

  @Test
  void conversationProblemsNameTheMessage() throws Exception {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("messages", List.of(Map.of("role", "user", "content", "fine"),
        Map.of("role", "robot", "content", "x"), Map.of("role", "user")));
    json.put("user_id", "john");
    json.put("roles", List.of("user", "narrator"));
    assertThatThrownBy(() -> RequestJson.conversation(body(json), LIMITS))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.violations())
            .contains(new Violation("messages[1].role",
                    "'robot' is not a role: user, assistant, system or tool"),
                new Violation("messages[2].content", "is required"),
                new Violation("roles", "'narrator' is not a role: user, assistant, system or"
                    + " tool")));
  }

  @Test
  void tooManyMessagesAreRefusedBeforeAnyIsRead() throws Exception {
    Limits two = Limits.from(io.inmemory.InMemoryConfig.builder().isolated()
        .set(Limits.MAX_MESSAGES, 2).build());
    Map<String, Object> json = Map.of("user_id", "john", "messages", List.of(
        Map.of("role", "user", "content", "a"), Map.of("role", "user", "content", "b"),
        Map.of("bad", true)));
    assertThatThrownBy(() -> RequestJson.conversation(body(json), two))
        .isInstanceOfSatisfying(ContentTooLargeException.class, e -> {
          assertThat(e.size()).isEqualTo(3);
          assertThat(e.maxSize()).isEqualTo(2);
          assertThat(e.violations().get(0).field()).isEqualTo("messages");
          assertThat(e.violations().get(0).problem()).contains("inmemory.max-messages");
        });
  }

  @Test
  void conversationResults() throws Exception {
    MemoryRecord old = scoped("m1", "alice");
    MemoryRecord successor = new MemoryRecord("m9", "alice", "I live in Berlin", List.of(),
        List.of(), null, Map.of(), T2, T2);
    ConversationResult extracted = new ConversationResult(List.of(MemoryEvent.added(old),
        MemoryEvent.unchanged(old), new MemoryEvent(EventType.SUPERSEDE, successor, "m1",
            "I live in Paris"), new MemoryEvent(EventType.UPDATE, successor, "m1", null)),
        true, false, null);
    ConversationResult raw = new ConversationResult(List.of(MemoryEvent.added(old)), false,
        true, "the model timed out");
    for (ConversationResult result : List.of(extracted, raw)) {
      assertThat(ResultJson.readConversationResult(json(ResultJson.conversationResult(result))))
          .isEqualTo(result);
    }
  }

  @Test
  void scopedSearchesAndListings() throws Exception {
    SearchRequest agentOwn = SearchRequest.builder(Scope.agent("planner").withSession("s-1"))
        .query("answers").filter(FILTER).includeSuperseded(true).build();
    SearchRequest user = SearchRequest.builder(Scope.user("alice").withAgent("planner"))
        .build();
    for (SearchRequest request : List.of(agentOwn, user)) {
      assertThat(RequestJson.search(body(RequestJson.write(request)), LIMITS))
          .isEqualTo(request);
    }
    ListRequest list = ListRequest.builder(Scope.user("alice").withSession("s-1"))
        .filter(FILTER).includeSuperseded(true).limit(5).offset(10).build();
    ListRequest plain = ListRequest.builder(Scope.agent("planner")).build();
    for (ListRequest request : List.of(list, plain)) {
      assertThat(RequestJson.list(body(RequestJson.write(request)), LIMITS)).isEqualTo(request);
    }
  }

  @Test
  void shortcutSearchesTakeAnAgentInsteadOfAUser() throws Exception {
    assertThat(RequestJson.tagSearch(body(Map.of("tags", "food", "agent_id", "planner",
        "filters", Map.of("topic", "prefs"))), LIMITS))
        .isEqualTo(SearchRequest.builder(Scope.agent("planner")).tags(List.of("food"))
            .filter(MemoryFilter.topic().eq("prefs")).build());
    assertThat(RequestJson.peopleSearch(body(Map.of("people", "Bob", "agent_id", "planner",
        "session_id", "s-1", "include_superseded", true)), LIMITS))
        .isEqualTo(SearchRequest.builder(Scope.agent("planner").withSession("s-1"))
            .people(List.of("Bob")).includeSuperseded(true).build());
    assertThat(RequestJson.temporalSearch(body(Map.of("temporal_query", "yesterday",
        "agent_id", "planner")), LIMITS))
        .isEqualTo(SearchRequest.builder(Scope.agent("planner")).temporal("yesterday").build());
  }

  @Test
  void aSearchWithNeitherUserNorAgentNamesTheScopeAndTheUser() throws Exception {
    assertThatThrownBy(() -> RequestJson.search(body(Map.of("query", "x")), LIMITS))
        .isInstanceOfSatisfying(InvalidRequestException.class, e ->
            assertThat(e.violations()).extracting(Violation::field)
                .containsExactly("scope", "userId"));
    assertThatThrownBy(() -> RequestJson.list(body(Map.of()), LIMITS))
        .isInstanceOfSatisfying(InvalidRequestException.class, e ->
            assertThat(e.violations()).extracting(Violation::field)
                .containsExactly("scope", "userId"));
  }

  @Test
  void historyAndStatsWithAgentsAndSupersede() throws Exception {
    List<HistoryEntry> entries = List.of(
        new HistoryEntry("m1", "alice", HistoryEntry.Event.SUPERSEDE, "Paris", null, T2,
            "planner", "m9"),
        new HistoryEntry("m2", null, HistoryEntry.Event.ADD, null, "x", T1, "planner", null));
    assertThat(ResultJson.readHistory(json(ResultJson.history(entries)))).isEqualTo(entries);
    UserStats stats = new UserStats(null, 2, T1, T2, Map.of(), Map.of(), Map.of(), "planner",
        "s-1", 3);
    assertThat(ResultJson.readUserStats(json(ResultJson.userStats(stats)))).isEqualTo(stats);
    assertThat(json(ResultJson.userStats(stats)).get("superseded_count").asLong()).isEqualTo(3);
  }

  @Test
  void requestsWithoutIssue13FeaturesCarryOnlyTheEarlierMembers() {
    assertThat(RequestJson.write(AddRequest.builder("x", "alice").build())).containsOnlyKeys(
        "memory_content", "user_id", "tags", "people_mentioned", "topic_category", "metadata",
        "created_at");
    assertThat(RequestJson.write(SearchRequest.builder("alice").query("q").build()))
        .doesNotContainKeys("agent_id", "session_id", "filters", "include_superseded");
  }

  @Test
  void instantsBeyondTheMillisecondsOfALongAreRefusedOnTheirField() throws Exception {
    String late = "+1000000000-01-01T00:00:00Z";
    String early = "-999999999-01-01T00:00:00Z";
    assertThatThrownBy(() -> RequestJson.add(body(Map.of("memory_content", "x", "user_id", "u",
        "created_at", late, "valid_from", early))))
        .isInstanceOfSatisfying(InvalidRequestException.class, e ->
            assertThat(e.violations()).extracting(Violation::field)
                .containsExactly("createdAt", "validFrom"));
    assertThatThrownBy(() -> RequestJson.conversation(body(Map.of("user_id", "u", "messages",
        List.of(Map.of("role", "user", "content", "hi", "timestamp", early)))), LIMITS))
        .isInstanceOfSatisfying(InvalidRequestException.class, e ->
            assertThat(e.violations()).singleElement().satisfies(v -> {
              assertThat(v.field()).isEqualTo("messages[0].timestamp");
              assertThat(v.problem()).startsWith("must lie between");
            }));
  }

  @Test
  void rolesAreSpelledInLowerCase() throws Exception {
    ConversationRequest request = ConversationRequest.builder(Scope.user("u"))
        .messages(Message.tool("t")).roles(Set.of(Role.TOOL)).build();
    JsonNode json = json(RequestJson.write(request));
    assertThat(json.get("roles").get(0).asText()).isEqualTo("tool");
    assertThat(json.get("messages").get(0).get("role").asText()).isEqualTo("tool");
  }
}
