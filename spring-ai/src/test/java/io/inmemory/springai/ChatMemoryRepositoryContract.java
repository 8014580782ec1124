package io.inmemory.springai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inmemory.AddRequest;
import io.inmemory.ContentTooLargeException;
import io.inmemory.InMemoryConfig;
import io.inmemory.InvalidRequestException;
import io.inmemory.ListRequest;
import io.inmemory.MemoryClient;
import io.inmemory.MemoryRecord;
import io.inmemory.Role;
import io.inmemory.Scope;
import io.inmemory.SearchRequest;
import io.inmemory.springai.testing.ScriptedChatModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.advisor.MessageChatMemoryAdvisor;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.memory.MessageWindowChatMemory;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.MessageType;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.content.Media;
import org.springframework.util.MimeTypeUtils;

/**
 * The repository's contract, run against each runtime (a hashing embedder: no meaning is
 * checked here). Each test writes as an agent of its own, so runtimes may be shared.
 */
abstract class ChatMemoryRepositoryContract {
  private static final AtomicInteger AGENTS = new AtomicInteger();
  private MemoryClient client;
  private MemoryClientChatMemoryRepository repository;

  /** A client of the runtime under test, closed after the test. */
  protected abstract MemoryClient openClient();

  @BeforeEach
  void open() {
    client = openClient();
    repository = MemoryClientChatMemoryRepository.builder(client).agentId(newAgent()).build();
  }

  private static String newAgent() {
    return "chat-" + AGENTS.incrementAndGet();
  }

  @Test
  void theDefaultAgentHoldsTranscripts() {
    MemoryClientChatMemoryRepository defaults = MemoryClientChatMemoryRepository.builder(client)
        .build();
    assertThat(defaults.agentId()).isEqualTo(MemoryClientChatMemoryRepository.DEFAULT_AGENT_ID);
    defaults.saveAll("d", List.of(new UserMessage("hello")));
    assertThat(client.list(ListRequest.builder(new Scope(null,
        MemoryClientChatMemoryRepository.DEFAULT_AGENT_ID, "d")).build()).items())
        .extracting(MemoryRecord::content).containsExactly("hello");
    defaults.deleteByConversationId("d");
  }

  @AfterEach
  void close() {
    if (client != null) {
      client.close();
    }
  }

  @Test
  void everyMessageTypeComesBackInOrderWithItsDetails() {
    AssistantMessage.ToolCall call =
        new AssistantMessage.ToolCall("call-1", "function", "get_weather", "{\"city\":\"Paris\"}");
    List<Message> messages = List.of(
        SystemMessage.builder().text("You are terse.").metadata(Map.of("source", "config")).build(),
        UserMessage.builder().text("Weather in Paris?").metadata(Map.of("n", 1, "tags",
            List.of("a", "b"), "set", Set.of("x"), "odd", Duration.ofSeconds(5), "array",
            new String[] {"c", "d"}, "ints", new int[] {1, 2})).build(),
        AssistantMessage.builder().content(null).toolCalls(List.of(call)).build(),
        ToolResponseMessage.builder().responses(List.of(
            new ToolResponseMessage.ToolResponse("call-1", "get_weather", "{\"temp\":21}"),
            new ToolResponseMessage.ToolResponse("call-2", "get_time", ""))).build(),
        AssistantMessage.builder().content("21 degrees.").properties(Map.of("model", "m1"))
            .build(),
        UserMessage.builder().text("ok").build(),
        UserMessage.builder().text("ok").build());

    repository.saveAll("c-1", messages);
    List<Message> read = repository.findByConversationId("c-1");

    assertThat(read).extracting(Message::getMessageType).containsExactly(MessageType.SYSTEM,
        MessageType.USER, MessageType.ASSISTANT, MessageType.TOOL, MessageType.ASSISTANT,
        MessageType.USER, MessageType.USER);
    assertThat(read).extracting(Message::getText).containsExactly("You are terse.",
        "Weather in Paris?", null, "", "21 degrees.", "ok", "ok");
    assertThat(read.get(0).getMetadata()).containsEntry("source", "config");
    // an int is kept as a long (a JSON number), a set or an array as a list, any other value as
    // its text
    assertThat(read.get(1).getMetadata()).containsEntry("n", 1L)
        .containsEntry("tags", List.of("a", "b")).containsEntry("set", List.of("x"))
        .containsEntry("odd", "PT5S").containsEntry("array", List.of("c", "d"))
        .containsEntry("ints", List.of(1L, 2L));
    assertThat(((AssistantMessage) read.get(2)).getToolCalls()).containsExactly(call);
    assertThat(((ToolResponseMessage) read.get(3)).getResponses()).containsExactly(
        new ToolResponseMessage.ToolResponse("call-1", "get_weather", "{\"temp\":21}"),
        new ToolResponseMessage.ToolResponse("call-2", "get_time", ""));
    assertThat(read.get(4).getMetadata()).containsEntry("model", "m1");
    assertThat(read).allSatisfy(message -> assertThat(message.getMetadata())
        .containsKeys(MemoryClientChatMemoryRepository.MEMORY_ID,
            MemoryClientChatMemoryRepository.SEQUENCE));

    // stored as the agent's own memories of the conversation, with their roles
    List<MemoryRecord> stored = memories("c-1");
    assertThat(stored).hasSize(8).allSatisfy(memory -> {
      assertThat(memory.userId()).isNull();
      assertThat(memory.agentId()).isEqualTo(repository.agentId());
      assertThat(memory.sessionId()).isEqualTo("c-1");
    });
    assertThat(stored).extracting(MemoryRecord::content)
        .contains("tool calls get_weather {\"city\":\"Paris\"}");
    assertThat(stored).extracting(MemoryRecord::role).contains(Role.SYSTEM, Role.TOOL);
    // what is read back saves as it is: nothing rewritten
    repository.saveAll("c-1", read);
    assertThat(ids("c-1")).isEqualTo(stored.stream().map(MemoryRecord::id)
        .collect(Collectors.toSet()));
  }

  @Test
  void aWindowChatMemoryAddsOnlyTheNewMessagesAndDeletesTheEvicted() {
    ChatMemory memory = MessageWindowChatMemory.builder().chatMemoryRepository(repository)
        .maxMessages(4).build();
    memory.add("w", List.of(new UserMessage("one"), new AssistantMessage("two")));
    Set<String> first = ids("w");
    memory.add("w", List.of(new UserMessage("three"), new AssistantMessage("four")));
    Set<String> second = ids("w");
    assertThat(second).hasSize(4).containsAll(first);

    memory.add("w", List.of(new UserMessage("five")));

    // Spring AI's window cuts at a user message: "one" and "two" go
    assertThat(memory.get("w")).extracting(Message::getText)
        .containsExactly("three", "four", "five");
    Set<String> third = ids("w");
    assertThat(third).hasSize(3);
    Set<String> kept = new HashSet<>(second);
    kept.retainAll(third);
    // "three" and "four" kept as stored (not re-added), "five" added
    assertThat(kept).hasSize(2);
    assertThat(memories("w")).extracting(MemoryRecord::content)
        .containsExactlyInAnyOrder("three", "four", "five");
  }

  @Test
  void aChatClientWithSpringAisMemoryAdvisorRemembersTheConversation() {
    ScriptedChatModel model = new ScriptedChatModel().answer("Hello Ada.", "Your name is Ada.");
    ChatMemory memory = MessageWindowChatMemory.builder().chatMemoryRepository(repository).build();
    ChatClient chat = ChatClient.builder(model)
        .defaultAdvisors(MessageChatMemoryAdvisor.builder(memory).build()).build();

    chat.prompt().user("My name is Ada.")
        .advisors(a -> a.param(ChatMemory.CONVERSATION_ID, "chat-1")).call().content();
    String answer = chat.prompt().user("What is my name?")
        .advisors(a -> a.param(ChatMemory.CONVERSATION_ID, "chat-1")).call().content();

    assertThat(answer).isEqualTo("Your name is Ada.");
    assertThat(model.prompts().get(1).getInstructions()).extracting(Message::getText)
        .containsExactly("My name is Ada.", "Hello Ada.", "What is my name?");
    assertThat(memories("chat-1")).extracting(MemoryRecord::role)
        .containsExactlyInAnyOrder(Role.USER, Role.ASSISTANT, Role.USER, Role.ASSISTANT);
  }

  @Test
  void aReorderedOrChangedListIsRewritten() {
    repository.saveAll("r", List.of(new UserMessage("a"), new UserMessage("b")));
    List<Message> read = repository.findByConversationId("r");

    repository.saveAll("r", List.of(new UserMessage("first"), read.get(1), read.get(0)));
    assertThat(repository.findByConversationId("r")).extracting(Message::getText)
        .containsExactly("first", "b", "a");
    assertThat(memories("r")).hasSize(3);

    // a message carrying a stored position but another text is a new message, not the stored one
    List<Message> again = repository.findByConversationId("r");
    Message changed = UserMessage.builder().text("b, edited")
        .metadata(again.get(1).getMetadata()).build();
    repository.saveAll("r", List.of(again.get(0), changed, again.get(2)));
    assertThat(repository.findByConversationId("r")).extracting(Message::getText)
        .containsExactly("first", "b, edited", "a");
    assertThat(memories("r")).hasSize(3);

    repository.saveAll("r", List.of());
    assertThat(repository.findByConversationId("r")).isEmpty();
  }

  @Test
  void conversationsAreListedAndDeletedApart() {
    repository.saveAll("a", List.of(new UserMessage("in a")));
    repository.saveAll("b", List.of(new UserMessage("in b")));
    MemoryClientChatMemoryRepository other =
        MemoryClientChatMemoryRepository.builder(client).agentId(newAgent()).build();
    other.saveAll("c", List.of(new UserMessage("in c")));

    assertThat(repository.findConversationIds()).containsExactlyInAnyOrder("a", "b");
    assertThat(other.findConversationIds()).containsExactly("c");

    repository.deleteByConversationId("a");
    assertThat(repository.findByConversationId("a")).isEmpty();
    assertThat(repository.findConversationIds()).containsExactly("b");
    assertThat(repository.findByConversationId("unknown")).isEmpty();
    repository.deleteByConversationId("unknown");
  }

  @Test
  void refusalsChangeNothing() {
    repository.saveAll("x", List.of(new UserMessage("kept")));
    Media image = new Media(MimeTypeUtils.IMAGE_PNG, java.net.URI.create("https://example.com/a.png"));

    assertRefusedAsMessages(() -> repository.saveAll("x", List.of(new UserMessage("new"),
        UserMessage.builder().text("see").media(image).build())),
        problem -> assertThat(problem).contains("media (images, audio) is not stored"));
    assertThat(repository.findByConversationId("x")).extracting(Message::getText)
        .containsExactly("kept");

    assertThatThrownBy(() -> repository.saveAll("not a valid id!", List.of(new UserMessage("x"))))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("session");
    assertThatThrownBy(() -> repository.findByConversationId(" "))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("conversationId");
    assertThatThrownBy(() -> MemoryClientChatMemoryRepository.builder(client).agentId("bad id"))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void aTooLargeMessageIsRefusedAndNothingChanges() {
    repository.saveAll("big", List.of(new UserMessage("kept")));
    List<Message> read = repository.findByConversationId("big");
    String huge = "x".repeat(Math.toIntExact(InMemoryConfig.MAX_MEMORY_SIZE.defaultValue().orElseThrow()) + 1);

    assertThatThrownBy(() -> repository.saveAll("big", List.of(read.get(0),
        new UserMessage("fine"), new AssistantMessage(huge))))
        .isInstanceOf(ContentTooLargeException.class);
    assertThat(repository.findByConversationId("big")).extracting(Message::getText)
        .containsExactly("kept");
  }

  @Test
  void aMemoryAddedToTheConversationOtherwiseIsReadAsAMessageOfItsRole() {
    Scope scope = new Scope(null, repository.agentId(), "mixed");
    client.add(AddRequest.builder("added by hand", scope).role(Role.ASSISTANT).build());

    List<Message> read = repository.findByConversationId("mixed");
    assertThat(read).singleElement().isInstanceOf(AssistantMessage.class)
        .extracting(Message::getText).isEqualTo("added by hand");

    // saving it with a new message rewrites it as this repository's own message, kept in order
    List<Message> next = new ArrayList<>(read);
    next.add(new UserMessage("hi"));
    repository.saveAll("mixed", next);
    assertThat(repository.findByConversationId("mixed")).extracting(Message::getText)
        .containsExactly("added by hand", "hi");
    assertThat(memories("mixed")).hasSize(2);
  }

  @Test
  void memoriesWithDetailsOfAnotherShapeAreReadAsMessagesOfTheirRoleNotAFailure() {
    Scope scope = new Scope(null, repository.agentId(), "foreign");
    client.add(AddRequest.builder("unknown type", scope).role(Role.USER)
        .metadata(Map.of("spring_ai", Map.of("seq", 0, "type", "BOGUS"))).build());
    client.add(AddRequest.builder("odd tool calls", scope).role(Role.ASSISTANT)
        .metadata(Map.of("spring_ai", Map.of("seq", 1, "type", "ASSISTANT",
            "tool_calls", List.of(1, 2)))).build());
    client.add(AddRequest.builder("odd tool", scope).role(Role.TOOL)
        .metadata(Map.of("spring_ai", Map.of("seq", 2, "type", "TOOL",
            "tool", Map.of("id", 7)))).build());

    List<Message> read = repository.findByConversationId("foreign");

    assertThat(read).extracting(Message::getText)
        .containsExactlyInAnyOrder("unknown type", "odd tool calls", "odd tool");
    assertThat(read).extracting(Message::getMessageType)
        .containsExactlyInAnyOrder(MessageType.USER, MessageType.ASSISTANT, MessageType.USER);
  }

  @Test
  void concurrentSavesOfOneConversationDoNotInterleave() throws Exception {
    List<Message> messages = List.of(new UserMessage("a"), new AssistantMessage("b"),
        new UserMessage("c"));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> saves = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        // each save reads the stored messages, adds and deletes: two interleaved saves would
        // both see the same stored set and leave both their additions
        saves.add(pool.submit(() -> repository.saveAll("busy", messages)));
      }
      for (Future<?> save : saves) {
        save.get();
      }
    } finally {
      pool.shutdown();
    }
    assertThat(repository.findByConversationId("busy")).extracting(Message::getText)
        .containsExactly("a", "b", "c");
    assertThat(memories("busy")).hasSize(3);
  }

  @Test
  void concurrentSavesOfDifferentListsThroughTwoRepositoriesLeaveOneListWhole() throws Exception {
    // two repository objects over one runtime (a Boot bean and one built by hand): their saves of
    // one conversation must not interleave either. Each round starts two saves together and
    // checks what they leave: a later save would tidy an interleaved one's leftovers away.
    MemoryClientChatMemoryRepository twin = MemoryClientChatMemoryRepository.builder(client)
        .agentId(repository.agentId()).build();
    repository.saveAll("race", List.of(new UserMessage("start")));
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 8; round++) {
        List<List<String>> lists = List.of(List.of("q" + round, "a" + round),
            List.of("Q" + round, "A" + round));
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> saves = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
          MemoryClientChatMemoryRepository target = i == 0 ? repository : twin;
          List<String> texts = lists.get(i);
          saves.add(pool.submit(() -> {
            start.await();
            target.saveAll("race", List.of(new UserMessage(texts.get(0)),
                new AssistantMessage(texts.get(1))));
            return null;
          }));
        }
        start.countDown();
        for (Future<?> save : saves) {
          save.get();
        }
        assertThat(lists).as("round %d", round).contains(repository.findByConversationId("race")
            .stream().map(Message::getText).toList());
        assertThat(memories("race")).as("round %d", round).hasSize(2);
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void aConversationLongerThanOneBatchIsSavedAndReadWhole() {
    // more memories than one addAll takes by default (inmemory.max-batch-size, 1000)
    List<Message> messages = new ArrayList<>();
    for (int i = 0; i < 1100; i++) {
      messages.add(i % 2 == 0 ? new UserMessage("question " + i)
          : new AssistantMessage("answer " + i));
    }
    repository.saveAll("long", messages);

    List<Message> read = repository.findByConversationId("long");
    assertThat(read).extracting(Message::getText)
        .containsExactlyElementsOf(messages.stream().map(Message::getText).toList());
    // the window moves on: the first two evicted, one appended
    List<Message> next = new ArrayList<>(read.subList(2, read.size()));
    next.add(new UserMessage("question 1100"));
    repository.saveAll("long", next);
    assertThat(repository.findByConversationId("long")).hasSize(1099)
        .extracting(Message::getText).startsWith("question 2").endsWith("question 1100");
  }

  static List<String> badConversationIds() {
    return java.util.Arrays.asList(null, "", "   ", "x".repeat(101), "has space", "a/b",
        "tab\tid", "é");
  }

  @ParameterizedTest
  @MethodSource("badConversationIds")
  void aBadConversationIdIsRefusedByEveryOperation(String conversationId) {
    List<Message> messages = List.of(new UserMessage("hello"));
    assertThatThrownBy(() -> repository.saveAll(conversationId, messages))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.violations())
            .extracting(InvalidRequestException.Violation::field)
            .containsAnyOf("conversationId", "sessionId"));
    assertThatThrownBy(() -> repository.findByConversationId(conversationId))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> repository.deleteByConversationId(conversationId))
        .isInstanceOf(InvalidRequestException.class);
    assertThat(repository.findConversationIds()).isEmpty();
  }

  @Test
  void moreShapesOfSpringAisMessagesComeBackAsTheyWere() {
    AssistantMessage.ToolCall call =
        new AssistantMessage.ToolCall("c-9", "function", "lookup", "{}");
    List<Message> messages = List.of(
        new UserMessage(""),
        SystemMessage.builder().text(" ").build(),
        AssistantMessage.builder().content("Let me look that up.").toolCalls(List.of(call))
            .build(),
        ToolResponseMessage.builder().responses(List.of(
            new ToolResponseMessage.ToolResponse("c-9", "lookup", null))).build(),
        ToolResponseMessage.builder().responses(List.of()).build(),
        // a subclass is kept as its Spring AI class
        new AssistantMessage("thinking done") { });

    repository.saveAll("shapes", messages);
    List<Message> read = repository.findByConversationId("shapes");

    assertThat(read).extracting(Message::getText)
        .containsExactly("", " ", "Let me look that up.", "", "", "thinking done");
    assertThat(((AssistantMessage) read.get(2)).getToolCalls()).containsExactly(call);
    assertThat(((ToolResponseMessage) read.get(3)).getResponses()).containsExactly(
        new ToolResponseMessage.ToolResponse("c-9", "lookup", null));
    assertThat(((ToolResponseMessage) read.get(4)).getResponses()).isEmpty();
    assertThat(read.get(5).getClass()).isEqualTo(AssistantMessage.class);
    repository.saveAll("shapes", read);
    assertThat(repository.findByConversationId("shapes")).extracting(Message::getMetadata)
        .extracting(metadata -> metadata.get(MemoryClientChatMemoryRepository.MEMORY_ID))
        .containsExactlyElementsOf(read.stream()
            .map(message -> message.getMetadata().get(MemoryClientChatMemoryRepository.MEMORY_ID))
            .toList());
  }

  @Test
  void aMessageOfAnotherClassOrAnAnswerWithMediaIsRefusedNamingWhatIsStored() {
    repository.saveAll("odd", List.of(new UserMessage("kept")));
    Message custom = new Message() {
      @Override
      public String getText() {
        return "from elsewhere";
      }

      @Override
      public Map<String, Object> getMetadata() {
        return Map.of();
      }

      @Override
      public MessageType getMessageType() {
        return MessageType.USER;
      }
    };
    assertRefusedAsMessages(() -> repository.saveAll("odd", List.of(new UserMessage("new"),
        custom)), problem -> assertThat(problem).contains(custom.getClass().getName())
        .contains("only UserMessage, AssistantMessage, SystemMessage and ToolResponseMessage"));
    Media image = new Media(MimeTypeUtils.IMAGE_PNG, java.net.URI.create("https://example.com/b.png"));
    assertThatThrownBy(() -> repository.saveAll("odd", List.of(
        AssistantMessage.builder().content("here").media(List.of(image)).build())))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("media (images, audio) is not stored; the assistant message holds 1");
    Map<String, Object> cycle = new java.util.HashMap<>();
    cycle.put("self", cycle);
    assertThatThrownBy(() -> repository.saveAll("odd", List.of(repository
        .findByConversationId("odd").get(0), UserMessage.builder().text("loop").metadata(cycle)
        .build())))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("message metadata nested deeper than 14 levels");
    assertThatThrownBy(() -> repository.saveAll("odd", java.util.Arrays.asList(
        new UserMessage("x"), null)))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("without null");
    assertThat(repository.findByConversationId("odd")).extracting(Message::getText)
        .containsExactly("kept");
  }

  @Test
  void messageMetadataAsDeepAsAMemoryTakesIsKeptAndDeeperIsRefusedAsTheMessages() {
    UserMessage deepest = UserMessage.builder().text("deep").metadata(nested(14)).build();
    repository.saveAll("deep", List.of(deepest));
    assertThat(repository.findByConversationId("deep").get(0).getMetadata())
        .containsEntry("level", nested(14).get("level"));

    // one level more is refused naming the message, not the memory's own metadata path
    assertRefusedAsMessages(() -> repository.saveAll("deep", List.of(UserMessage.builder()
        .text("deeper").metadata(nested(15)).build())),
        problem -> assertThat(problem).startsWith("message metadata nested deeper than 14 levels"));
    assertThat(repository.findByConversationId("deep")).extracting(Message::getText)
        .containsExactly("deep");
  }

  /** {@code save} fails with one violation, of field {@code messages}, whose problem passes. */
  private static void assertRefusedAsMessages(ThrowingCallable save, Consumer<String> problem) {
    assertThatThrownBy(save).isInstanceOfSatisfying(InvalidRequestException.class,
        e -> assertThat(e.violations()).singleElement().satisfies(v -> {
          assertThat(v.field()).isEqualTo("messages");
          problem.accept(v.problem());
        }));
  }

  /** Message metadata whose text value lies {@code levels} maps deep. */
  private static Map<String, Object> nested(int levels) {
    Object value = "bottom";
    for (int i = 1; i < levels; i++) {
      value = Map.of("level", value);
    }
    return Map.of("level", value);
  }

  private List<MemoryRecord> memories(String conversationId) {
    return client.list(ListRequest.builder(new Scope(null, repository.agentId(), conversationId))
        .limit(SearchRequest.MAX_LIMIT).build()).items();
  }

  private Set<String> ids(String conversationId) {
    return memories(conversationId).stream().map(MemoryRecord::id).collect(Collectors.toSet());
  }
}
