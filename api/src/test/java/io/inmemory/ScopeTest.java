package io.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScopeTest {

  private static List<String> fields(InvalidRequestException e) {
    return e.violations().stream().map(InvalidRequestException.Violation::field).toList();
  }

  @Test
  void factoriesAndWithersKeepTheOtherParts() {
    Scope scope = Scope.user("alice").withAgent("planner").withSession("chat-42");

    assertThat(scope).isEqualTo(new Scope("alice", "planner", "chat-42"));
    assertThat(scope.agentOwn()).isFalse();
    assertThat(scope.withSession(null)).isEqualTo(new Scope("alice", "planner", null));
    assertThat(Scope.agent("planner")).isEqualTo(new Scope(null, "planner", null));
    assertThat(Scope.agent("planner").agentOwn()).isTrue();
  }

  @Test
  void neitherUserNorAgentIsAViolationOfTheScope() {
    InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class,
        () -> new Scope(null, null, "s"));

    assertThat(e.violations()).containsExactly(
        new InvalidRequestException.Violation("scope", "give userId, agentId or both"),
        new InvalidRequestException.Violation("userId", "is required"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "~bot", "has space", "-dash"})
  void agentAndSessionIdsFollowTheUserIdCharset(String bad) {
    InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class,
        () -> new Scope("alice", bad, bad));

    assertThat(fields(e)).containsExactly("agentId", "sessionId");
  }

  @Test
  void agentAndSessionIdsAreAtMostAHundredCharacters() {
    String hundred = "a".repeat(100);
    assertThat(new Scope(null, hundred, hundred).agentId()).isEqualTo(hundred);

    InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class,
        () -> Scope.agent(hundred + "a"));
    assertThat(fields(e)).containsExactly("agentId");
    assertThat(e.getMessage()).contains("101 characters, over the maximum of 100");
  }

  @Test
  void aBadUserIdIsReportedAsBefore() {
    InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class,
        () -> new Scope("bad user", "ok", null));

    assertThat(fields(e)).containsExactly("userId");
  }

  @Test
  void requestsCarryTheirScope() {
    Scope scope = Scope.user("alice").withAgent("planner").withSession("s1");

    assertThat(AddRequest.builder("x", scope).build().scope()).isEqualTo(scope);
    assertThat(SearchRequest.builder(scope).build().scope()).isEqualTo(scope);
    assertThat(AddRequest.builder("x", Scope.agent("bot")).build().userId()).isNull();
    assertThat(SearchRequest.builder(scope).build().hasFilters()).isTrue();
    assertThat(SearchRequest.builder(Scope.agent("bot")).build().hasFilters()).isFalse();
  }

  @Test
  void requestsWithoutUserOrAgentNameTheScopeAndStillTheUserId() {
    InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class,
        () -> AddRequest.builder("x", (String) null).build());

    assertThat(e.violations()).containsExactly(
        new InvalidRequestException.Violation("scope", "give userId, agentId or both"),
        new InvalidRequestException.Violation("userId", "is required"));
  }

  @Test
  void anAddRequestOfAnAgentAloneIsValid() {
    AddRequest request = AddRequest.builder("x", Scope.agent("bot").withSession("s")).build();

    assertThat(request.userId()).isNull();
    assertThat(request.scope()).isEqualTo(new Scope(null, "bot", "s"));
  }

  @Test
  void oldRecordConstructorsMakeAUsersCurrentMemory() {
    Instant t = Instant.parse("2024-01-02T03:04:05.678912Z");
    MemoryRecord record = new MemoryRecord("m", "u", "c", null, null, null, Map.of(), t, t);

    assertThat(record.validFrom()).isEqualTo(Instant.parse("2024-01-02T03:04:05.678Z"));
    assertThat(record.isCurrent()).isTrue();
    assertThat(record.scope()).isEqualTo(Scope.user("u"));
    assertThat(new HistoryEntry("m", "u", HistoryEntry.Event.ADD, null, "c", t).relatedId())
        .isNull();
    assertThat(new AddResult(record).event()).isEqualTo(EventType.ADD);
    assertThat(new UserStats("u", 0, null, null, Map.of(), Map.of(), Map.of()).supersededCount())
        .isZero();
  }
}
