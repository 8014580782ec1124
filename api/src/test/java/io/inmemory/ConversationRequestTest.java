package io.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConversationRequestTest {

  private static final Scope SCOPE = Scope.user("john").withSession("chat-42");

  private static List<String> fields(InvalidRequestException e) {
    return e.violations().stream().map(InvalidRequestException.Violation::field).toList();
  }

  @Test
  void theBuilderKeepsEverythingAndDefaultsTheRoles() {
    ConversationRequest request = ConversationRequest.builder(SCOPE)
        .messages(Message.user("I moved to Berlin"), Message.assistant("Nice!"))
        .tags(" Moves ", "moves").topic(" Life ").metadata(Map.of("n", 2))
        .infer(false).instructions("Only facts about places").storeRawOnFailure(true)
        .zone(ZoneId.of("Europe/Berlin")).build();

    assertThat(request.messages()).extracting(Message::content)
        .containsExactly("I moved to Berlin", "Nice!");
    assertThat(request.scope()).isEqualTo(SCOPE);
    assertThat(request.tags()).containsExactly("moves");
    assertThat(request.topic()).isEqualTo("life");
    assertThat(request.metadata()).isEqualTo(Map.of("n", 2L));
    assertThat(request.roles()).isEqualTo(ConversationRequest.DEFAULT_ROLES)
        .containsExactlyInAnyOrder(Role.USER, Role.ASSISTANT);
    assertThat(request.infer()).isFalse();
    assertThat(request.storeRawOnFailure()).isTrue();
    assertThat(request.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
  }

  @Test
  void rolesAreCopiedAndMayBeWidened() {
    ConversationRequest request = ConversationRequest.builder(SCOPE)
        .messages(Message.tool("42")).roles(Role.TOOL, Role.USER).build();

    assertThat(request.roles()).containsExactly(Role.USER, Role.TOOL);
    assertThatThrownBy(() -> request.roles().add(Role.SYSTEM))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void everyProblemIsListedAtOnce() {
    InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class,
        () -> new ConversationRequest(List.of(), null, List.of(" "), null, Map.of(), Set.of(),
            null, " ", false, null));

    assertThat(fields(e)).containsExactly("messages", "scope", "tags", "roles", "instructions");
  }

  @Test
  void nullMessagesAreRefusedEvenInListsThatRefuseContainsNull() {
    InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class,
        () -> ConversationRequest.builder(SCOPE)
            .messages(Arrays.asList(Message.user("a"), null)).build());

    assertThat(fields(e)).containsExactly("messages");
    assertThatThrownBy(() -> new ConversationRequest(List.of(Message.user("a")), SCOPE, null,
        null, null, Set.of(), null, null, false, null))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("roles");
  }

  @Test
  void aBlankMessageIsNamedByItsIndex() {
    InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class,
        () -> ConversationRequest.builder(SCOPE)
            .messages(Message.user("fine"), Message.assistant(" \n"), Message.user("")).build());

    assertThat(fields(e)).containsExactly("messages[1].content", "messages[2].content");
  }

  @Test
  void theMessagesAreACopy() {
    List<Message> messages = new java.util.ArrayList<>(List.of(Message.user("a")));
    ConversationRequest request = new ConversationRequest(messages, SCOPE, null, null, null, null,
        null, null, false, null);
    messages.add(Message.user("b"));

    assertThat(request.messages()).hasSize(1);
    assertThat(request.tags()).isEmpty();
    assertThat(request.metadata()).isEmpty();
  }

  @Test
  void resultsAndEventsCheckTheirForm() {
    MemoryRecord memory = new MemoryRecord("m", "john", "c", null, null, null, Map.of(),
        java.time.Instant.EPOCH, java.time.Instant.EPOCH);

    assertThat(MemoryEvent.added(memory).type()).isEqualTo(EventType.ADD);
    assertThat(MemoryEvent.unchanged(memory).type()).isEqualTo(EventType.NONE);
    assertThatThrownBy(() -> new MemoryEvent(EventType.SUPERSEDE, memory, null, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs previousId");
    assertThatThrownBy(() -> new MemoryEvent(EventType.ADD, memory, "old", null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new ConversationResult(List.of(MemoryEvent.added(memory)), false, false, null)
        .events()).hasSize(1);
    assertThatThrownBy(() -> new ConversationResult(List.of(), true, true, "timeout"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ConversationResult(List.of(), false, false, "timeout"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AddResult(memory, EventType.SUPERSEDE))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void listRequestsCheckTheirPage() {
    ListRequest request = ListRequest.builder(SCOPE).limit(5).offset(10)
        .filter(MemoryFilter.tags().contains("x")).includeSuperseded(true).build();
    assertThat(request.offset()).isEqualTo(10);

    InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class,
        () -> new ListRequest(null, null, false, 0, -1));
    assertThat(fields(e)).containsExactly("scope", "limit", "offset");
  }

  @Test
  void extractionExceptionsCarryTheirReason() {
    ExtractionException e = new ExtractionException(ExtractionException.Reason.RATE_LIMITED,
        "slow down", 429, java.time.Duration.ofSeconds(3), null);

    assertThat(e.reason()).isEqualTo(ExtractionException.Reason.RATE_LIMITED);
    assertThat(e.upstreamStatus()).hasValue(429);
    assertThat(e.retryAfter()).contains(java.time.Duration.ofSeconds(3));
    assertThat(e.getCause()).isNull();
    assertThat(new ExtractionException(ExtractionException.Reason.MALFORMED, "x").upstreamStatus())
        .isEmpty();
  }
}
