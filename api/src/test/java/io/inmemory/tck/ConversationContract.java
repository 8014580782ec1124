package io.inmemory.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.ConversationRequest;
import io.inmemory.ConversationResult;
import io.inmemory.EventType;
import io.inmemory.MemoryEvent;
import io.inmemory.MemoryRecord;
import io.inmemory.Message;
import io.inmemory.Role;
import io.inmemory.Scope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The conversation contract without a model: each message of the requested roles (user and
 * assistant by default) becomes one memory keeping its role, speaker, time, session and metadata;
 * a text the scope already holds, normalized, is not stored again ({@link EventType#NONE}); bad
 * input stores nothing. Runtimes with an extractor configured are not for this contract.
 */
public abstract class ConversationContract extends ClientContractSupport {

  private static final Instant T = Instant.parse("2024-05-07T18:30:00Z");

  private static Scope newUser() {
    return Scope.user(newUserId());
  }

  private ConversationResult remember(Scope scope, Message... messages) {
    return client.add(ConversationRequest.builder(scope).messages(messages).build());
  }

  private static List<MemoryRecord> memories(ConversationResult result) {
    return result.events().stream().map(MemoryEvent::memory).toList();
  }

  private static List<String> contents(ConversationResult result) {
    return memories(result).stream().map(MemoryRecord::content).toList();
  }

  private static List<EventType> types(ConversationResult result) {
    return result.events().stream().map(MemoryEvent::type).toList();
  }

  private long total(Scope scope) {
    return client.getAll(scope.userId(), 100, 0).total();
  }

  @Test
  void eachUserAndAssistantMessageIsAMemory() {
    Scope scope = newUser();

    ConversationResult result = remember(scope, Message.user("I moved to Berlin last month"),
        Message.assistant("Nice! How do you like it?"), Message.user("The winters are cold"));

    assertThat(result.extracted()).isFalse();
    assertThat(result.storedRaw()).isFalse();
    assertThat(result.extractionError()).isNull();
    assertThat(types(result)).containsOnly(EventType.ADD).hasSize(3);
    assertThat(contents(result)).containsExactly("I moved to Berlin last month",
        "Nice! How do you like it?", "The winters are cold");
    for (MemoryRecord memory : memories(result)) {
      assertThat(client.get(memory.id(), scope)).contains(memory);
    }
    assertThat(total(scope)).isEqualTo(3);
  }

  @Test
  void roleKept() {
    ConversationResult result = remember(newUser(), Message.user("I have two sisters"),
        Message.assistant("Do you see them often?"));

    assertThat(memories(result)).extracting(MemoryRecord::role)
        .containsExactly(Role.USER, Role.ASSISTANT);
  }

  @Test
  void speakerNameAmongPeople() {
    ConversationResult result = remember(newUser(),
        Message.user("I start my new job on Monday").withName("John"),
        Message.assistant("Good luck!"));

    assertThat(memories(result).get(0).people()).containsExactly("John");
    assertThat(memories(result).get(1).people()).isEmpty();
  }

  @Test
  void timestampIsCreatedAt() {
    MemoryRecord memory = memories(remember(newUser(),
        Message.user("We adopted a puppy").withTimestamp(T))).get(0);

    assertThat(memory.createdAt()).isEqualTo(T);
    assertThat(memory.validFrom()).isEqualTo(T);
  }

  @Test
  void untimedMessagesKeepTheirOrder() {
    Scope scope = newUser();

    ConversationResult result = remember(scope, Message.user("First, I woke up"),
        Message.assistant("Then?"), Message.user("Then I made coffee"));

    List<Instant> times = memories(result).stream().map(MemoryRecord::createdAt).toList();
    assertThat(times).isSortedAccordingTo(Instant::compareTo).doesNotHaveDuplicates();
    List<String> newestFirst = new ArrayList<>(contents(result));
    Collections.reverse(newestFirst);
    assertThat(client.getAll(scope.userId(), 10, 0).items()).extracting(MemoryRecord::content)
        .containsExactlyElementsOf(newestFirst);
  }

  @Test
  void sessionRecorded() {
    Scope scope = newUser().withAgent("agent-" + UUID.randomUUID())
        .withSession("chat-" + UUID.randomUUID());

    MemoryRecord memory = memories(remember(scope, Message.user("My flight leaves at noon")))
        .get(0);

    assertThat(memory.scope()).isEqualTo(scope);
    assertThat(client.get(memory.id(), scope)).contains(memory);
  }

  @Test
  void systemAndToolSkippedByDefault() {
    Scope scope = newUser();

    ConversationResult result = remember(scope, Message.system("You are a helpful assistant"),
        Message.user("What is the weather?"), Message.tool("{\"temp\": 21}"),
        Message.assistant("It is 21 degrees"));

    assertThat(contents(result)).containsExactly("What is the weather?", "It is 21 degrees");
    assertThat(total(scope)).isEqualTo(2);
  }

  @Test
  void systemStoredWhenAsked() {
    ConversationResult result = client.add(ConversationRequest.builder(newUser())
        .messages(Message.system("The user prefers metric units"), Message.user("Hello"),
            Message.assistant("Hi!"))
        .roles(Role.SYSTEM, Role.USER).build());

    assertThat(memories(result)).extracting(MemoryRecord::role)
        .containsExactly(Role.SYSTEM, Role.USER);
  }

  @Test
  void repeatedTextIsNonePointingAtTheFirst() {
    Scope scope = newUser();

    ConversationResult first = remember(scope, Message.user("I love pizza"),
        Message.assistant("Noted"), Message.user("I love pizza"));
    ConversationResult again = remember(scope, Message.user("I love pizza"));

    MemoryRecord pizza = memories(first).get(0);
    assertThat(types(first)).containsExactly(EventType.ADD, EventType.ADD, EventType.NONE);
    assertThat(memories(first).get(2)).isEqualTo(pizza);
    assertThat(first.events().get(2).previousId()).isNull();
    assertThat(types(again)).containsExactly(EventType.NONE);
    assertThat(memories(again)).containsExactly(pizza);
    assertThat(total(scope)).isEqualTo(2);
  }

  @Test
  void normalizationIgnoresCaseSpacesAndTrailingPunctuation() {
    Scope scope = newUser();
    MemoryRecord pizza = memories(remember(scope, Message.user("I love pizza!"))).get(0);

    ConversationResult result = remember(scope, Message.user("i  love\tPIZZA"),
        Message.user("  I love pizza?!… "), Message.user("I love ｐｉｚｚａ."),
        Message.user("I love pizzas"), Message.user("I, love pizza"));

    assertThat(types(result)).containsExactly(EventType.NONE, EventType.NONE, EventType.NONE,
        EventType.ADD, EventType.ADD);
    assertThat(memories(result).subList(0, 3)).containsOnly(pizza);
  }

  @Test
  void sameTextInAnotherSessionIsStoredWhenSessionGiven() {
    Scope user = newUser();
    Scope first = user.withSession("s-" + UUID.randomUUID());
    Scope second = user.withSession("s-" + UUID.randomUUID());
    MemoryRecord inFirst = memories(remember(first, Message.user("See you tomorrow"))).get(0);

    ConversationResult inSecond = remember(second, Message.user("See you tomorrow"));
    ConversationResult anySession = remember(user, Message.user("see you tomorrow"));

    assertThat(types(inSecond)).containsExactly(EventType.ADD);
    assertThat(memories(inSecond).get(0).sessionId()).isEqualTo(second.sessionId());
    assertThat(types(anySession)).containsExactly(EventType.NONE);
    assertThat(memories(anySession).get(0)).isIn(inFirst, memories(inSecond).get(0));
    assertThat(total(user)).isEqualTo(2);
  }

  @Test
  void messageMetadataOverridesRequestMetadata() {
    ConversationResult result = client.add(ConversationRequest.builder(newUser())
        .metadata(Map.of("source", "chat", "lang", "en"))
        .tags("Travel").topic("Plans")
        .messages(Message.user("Bonjour").withId("m-1").withMetadata(Map.of("lang", "fr")),
            Message.assistant("Hello"))
        .build());

    assertThat(memories(result).get(0).metadata())
        .isEqualTo(Map.of("source", "chat", "lang", "fr", "message_id", "m-1"));
    assertThat(memories(result).get(1).metadata()).isEqualTo(Map.of("source", "chat", "lang", "en",
        Message.FOLLOWS_METADATA_KEY, memories(result).get(0).id()));
    assertThat(memories(result)).allSatisfy(memory -> {
      assertThat(memory.tags()).containsExactly("travel");
      assertThat(memory.topic()).isEqualTo("plans");
    });
  }

  @Test
  void eachMessageLinksToTheOneRememberedBeforeItInItsSession() {
    Scope scope = newUser().withSession("s-" + UUID.randomUUID());

    List<MemoryRecord> first = memories(remember(scope,
        Message.user("I adopted a cat").withTimestamp(T),
        Message.assistant("What is its name?").withTimestamp(T.plusSeconds(1)),
        Message.user("Miso").withTimestamp(T.plusSeconds(2))));
    List<MemoryRecord> later = memories(remember(scope,
        Message.assistant("Lovely name").withTimestamp(T.plusSeconds(3))));
    List<MemoryRecord> otherSession = memories(remember(
        scope.withSession("s-" + UUID.randomUUID()),
        Message.user("Hello again").withTimestamp(T.plusSeconds(4))));

    assertThat(first.get(0).metadata()).doesNotContainKey(Message.FOLLOWS_METADATA_KEY);
    assertThat(first.get(1).metadata())
        .containsEntry(Message.FOLLOWS_METADATA_KEY, first.get(0).id());
    assertThat(first.get(2).metadata())
        .containsEntry(Message.FOLLOWS_METADATA_KEY, first.get(1).id());
    assertThat(later.get(0).metadata())
        .containsEntry(Message.FOLLOWS_METADATA_KEY, first.get(2).id());
    assertThat(otherSession.get(0).metadata()).doesNotContainKey(Message.FOLLOWS_METADATA_KEY);
    assertThat(client.get(first.get(2).id(), scope)).contains(first.get(2));
  }

  @Test
  void aMessageAfterADuplicateLinksToTheMemoryThatAnsweredIt() {
    Scope scope = newUser();
    MemoryRecord pizza = memories(remember(scope,
        Message.user("I love pizza").withTimestamp(T))).get(0);

    List<MemoryRecord> result = memories(remember(scope,
        Message.assistant("Which kind?").withTimestamp(T.plusSeconds(1)),
        Message.user("I love pizza").withTimestamp(T.plusSeconds(2)),
        Message.assistant("Margherita, then").withTimestamp(T.plusSeconds(3))));

    assertThat(result.get(0).metadata()).containsEntry(Message.FOLLOWS_METADATA_KEY, pizza.id());
    assertThat(result.get(1)).isEqualTo(pizza);
    assertThat(result.get(2).metadata()).containsEntry(Message.FOLLOWS_METADATA_KEY, pizza.id());
  }

  @Test
  void anEarlierConversationDoesNotContinueALaterOne() {
    Scope scope = newUser();
    remember(scope, Message.user("Today I ran ten kilometres").withTimestamp(T));

    MemoryRecord older = memories(remember(scope,
        Message.user("Last year I could not run at all").withTimestamp(T.minusSeconds(86_400))))
        .get(0);

    assertThat(older.metadata()).doesNotContainKey(Message.FOLLOWS_METADATA_KEY);
  }

  @Test
  void inferTrueWithoutExtractorIsInvalid() {
    Scope scope = newUser();

    assertInvalid(() -> client.add(ConversationRequest.builder(scope)
        .messages(Message.user("I moved to Berlin")).infer(true).build()), "infer");
    ConversationResult offline = client.add(ConversationRequest.builder(scope)
        .messages(Message.user("I moved to Berlin")).infer(false).build());

    assertThat(offline.extracted()).isFalse();
    assertThat(total(scope)).isEqualTo(1);
  }

  @Test
  void optionsOfAModelCallAreInvalidWithoutAModel() {
    Scope scope = newUser();

    assertInvalid(() -> client.add(ConversationRequest.builder(scope)
        .messages(Message.user("I moved to Berlin")).instructions("remember places only")
        .storeRawOnFailure(true).build()), "instructions", "storeRawOnFailure");
    // listed together with infer's own problem
    assertThat(assertInvalid(() -> client.add(ConversationRequest.builder(scope)
        .messages(Message.user("I moved to Berlin")).infer(true).instructions("places")
        .build()), "infer", "instructions").violations()).hasSize(2);
    assertThat(total(scope)).isZero();
  }

  @Test
  void tooManyMessagesIsContentTooLarge() {
    Scope scope = newUser();
    List<Message> messages = new ArrayList<>();
    for (int i = 0; i <= limits().maxMessages(); i++) {
      messages.add(Message.user("message " + i));
    }
    ConversationRequest request = ConversationRequest.builder(scope).messages(messages).build();

    assertOverLimits(() -> client.add(request), () -> limits().check(request));
    assertThat(total(scope)).isZero();
  }

  @Test
  void blankMessageIsInvalid() {
    Scope scope = newUser();

    assertInvalid(() -> client.add(ConversationRequest.builder(scope)
        .messages(Message.user("Fine"), Message.assistant("  ")).build()),
        "messages[1].content");
    assertThat(total(scope)).isZero();
  }
}
