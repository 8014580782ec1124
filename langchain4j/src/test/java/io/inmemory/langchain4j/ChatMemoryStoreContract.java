package io.inmemory.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.CustomMessage;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.memory.ChatMemory;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.memory.chat.TokenWindowChatMemory;
import dev.langchain4j.model.TokenCountEstimator;
import io.inmemory.AddRequest;
import io.inmemory.ContentTooLargeException;
import io.inmemory.InvalidRequestException;
import io.inmemory.ListRequest;
import io.inmemory.MemoryClient;
import io.inmemory.MemoryFilter;
import io.inmemory.MemoryRecord;
import io.inmemory.Role;
import io.inmemory.Scope;
import io.inmemory.SearchRequest;
import io.inmemory.StorageException;
import io.inmemory.engine.Memory;
import io.inmemory.engine.tck.HashingEmbedder;
import io.inmemory.store.file.FileMemoryStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store on one InMemory runtime over the file store in a temporary directory, driven by
 * LangChain4j's own chat memories. Subclasses give the runtime.
 */
abstract class ChatMemoryStoreContract {

  @TempDir
  Path dir;

  MemoryClient client;
  InMemoryChatMemoryStore store;

  /** A client of a new runtime over the file store in {@code dir}. */
  abstract MemoryClient open(Path dir);

  /** Closes the runtime {@link #open} started, and the client. */
  abstract void shut();

  /** The local engine over the file store in {@code dir}, hashing embeddings. */
  static Memory engine(Path dir) {
    return Memory.builder().store(FileMemoryStore.open(dir)).embedder(new HashingEmbedder()).build();
  }

  @BeforeEach
  void start() {
    client = open(dir);
    store = InMemoryChatMemoryStore.of(client);
  }

  @AfterEach
  void stop() {
    shut();
  }

  private static Scope window(Object chat) {
    return Scope.agent(InMemoryChatMemoryStore.DEFAULT_AGENT).withSession(SessionKeys.of(chat));
  }

  private List<MemoryRecord> stored(Object chat) {
    return client.list(ListRequest.builder(window(chat)).limit(1000).build()).items();
  }

  static List<ChatMessage> everyKind() {
    ToolExecutionRequest call = ToolExecutionRequest.builder().id("call-1").name("weather")
        .arguments("{\"city\":\"Paris\"}").build();
    return List.of(
        SystemMessage.from("You are terse.\n  Keep   spaces. "),
        UserMessage.from("alice", List.of(TextContent.from("what is this? 🥜"),
            ImageContent.from("https://example.com/cat.png"))),
        AiMessage.from("let me look", List.of(call)),
        AiMessage.from(call),
        ToolExecutionResultMessage.builder().id("call-1").toolName("weather").text("")
            .isError(true).build(),
        ToolExecutionResultMessage.from(call, "sunny"),
        AiMessage.from("ok"),
        AiMessage.from("ok"),
        CustomMessage.from(Map.of("kind", "note", "n", 3)));
  }

  @Test
  void everyMessageKindComesBackEqualAndInOrder() {
    List<ChatMessage> messages = everyKind();
    store.updateMessages("chat", messages);

    assertThat(store.getMessages("chat")).isEqualTo(messages);
    assertThat(stored("chat")).extracting(MemoryRecord::role).containsExactlyInAnyOrder(
        Role.SYSTEM, Role.USER, Role.ASSISTANT, Role.ASSISTANT, Role.TOOL, Role.TOOL,
        Role.ASSISTANT, Role.ASSISTANT, null);
  }

  @Test
  void textThatIsNotWellFormedUnicodeComesBackExactly() {
    // a string cut inside a surrogate pair (an emoji truncated by a length limit, say), in a
    // message, in tool-call arguments, in a tool result: the window keeps it as given
    ToolExecutionRequest call = ToolExecutionRequest.builder().id("call-\ud83e").name("note")
        .arguments("{\"text\":\"nuts \ud83e\"}").build();
    List<ChatMessage> messages = List.of(UserMessage.from("I love \ud83e"),
        AiMessage.from("cut \udd5c here", List.of(call)),
        ToolExecutionResultMessage.from(call, "kept \ud83e\ud83e"),
        AiMessage.from("a whole 🥜 stays"));
    store.updateMessages("chat", messages);
    store.updateMessages("chat", messages);

    assertThat(store.getMessages("chat")).isEqualTo(messages);
    assertThat(stored("chat")).hasSize(4);
  }

  @Test
  void anUnknownChatIsAnEmptyMutableList() {
    List<ChatMessage> messages = store.getMessages("nobody");
    assertThat(messages).isEmpty();
    messages.add(UserMessage.from("x"));
  }

  @Test
  void aMessageWindowKeepsTheLastMessagesAndOnlyRewritesWhatChanged() {
    ChatMemory memory = MessageWindowChatMemory.builder().id("w").maxMessages(6)
        .chatMemoryStore(store).build();
    List<ChatMessage> all = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      Set<String> before = ids("w");
      ChatMessage message = i % 2 == 0 ? UserMessage.from("q" + i) : AiMessage.from("a" + i);
      memory.add(message);
      all.add(message);
      List<ChatMessage> expected = all.subList(Math.max(0, all.size() - 6), all.size());
      assertThat(store.getMessages("w")).isEqualTo(expected);
      assertThat(memory.messages()).isEqualTo(expected);
      // the kept messages are the same memories: one added per turn, at most one evicted
      Set<String> after = ids("w");
      assertThat(after).hasSize(expected.size());
      assertThat(after.stream().filter(before::contains).count())
          .isEqualTo(Math.min(i, 5));
    }
  }

  @Test
  void aTokenWindowWithASystemMessageKeptFirst() {
    TokenCountEstimator words = new Words();
    ChatMemory memory = TokenWindowChatMemory.builder().id(7).maxTokens(12, words)
        .alwaysKeepSystemMessageFirst(true).chatMemoryStore(store).build();
    memory.add(SystemMessage.from("be brief"));
    for (int i = 0; i < 10; i++) {
      memory.add(UserMessage.from("question number " + i));
    }
    memory.add(SystemMessage.from("be kind"));

    List<ChatMessage> messages = store.getMessages(7);
    assertThat(messages).isEqualTo(memory.messages());
    assertThat(messages.get(0)).isEqualTo(SystemMessage.from("be kind"));
    assertThat(messages).last().isEqualTo(UserMessage.from("question number 9"));
    assertThat(messages.stream().mapToInt(words::estimateTokenCountInMessage).sum())
        .isLessThanOrEqualTo(12);
  }

  @Test
  void deleteMessagesEmptiesOneChatOnly() {
    store.updateMessages("one", List.of(UserMessage.from("a"), AiMessage.from("b")));
    store.updateMessages("two", List.of(UserMessage.from("c")));
    MessageWindowChatMemory.builder().id("one").maxMessages(5).chatMemoryStore(store).build()
        .clear();

    assertThat(store.getMessages("one")).isEmpty();
    assertThat(stored("one")).isEmpty();
    assertThat(store.getMessages("two")).containsExactly(UserMessage.from("c"));
  }

  @Test
  void anEmptyUpdateDeletesTheChat() {
    store.updateMessages("one", List.of(UserMessage.from("a")));
    store.updateMessages("one", List.of());
    assertThat(stored("one")).isEmpty();
  }

  @Test
  void anyChatIdWorksAndIdsThatAreNotSessionIdsAreHashed() {
    UUID uuid = UUID.randomUUID();
    String spaced = "a b/c";
    String lookalike = "sha256-abc";
    for (Object id : List.of(1, uuid, spaced, lookalike)) {
      store.updateMessages(id, List.of(UserMessage.from("for " + id)));
    }
    for (Object id : List.of(1, uuid, spaced, lookalike)) {
      assertThat(store.getMessages(id)).containsExactly(UserMessage.from("for " + id));
    }
    assertThat(SessionKeys.of(uuid)).isEqualTo(uuid.toString());
    assertThat(SessionKeys.of(spaced)).startsWith("sha256-").hasSize(71);
    assertThat(SessionKeys.of(lookalike)).startsWith("sha256-").hasSize(71);
    assertThat(SessionKeys.of("x".repeat(101))).isNotEqualTo(SessionKeys.of("x".repeat(102)));
  }

  @Test
  void windowsAreAgentOwnedAndInvisibleToUsers() {
    store.updateMessages("alice", List.of(UserMessage.from("I like tea")));
    assertThat(client.list(ListRequest.builder(Scope.user("alice")).build()).items()).isEmpty();
  }

  @Test
  void anOversizedMessageIsRefusedAndTheWindowUnchanged() {
    List<ChatMessage> before = List.of(UserMessage.from("a"), AiMessage.from("b"));
    store.updateMessages("chat", before);
    List<ChatMessage> next = List.of(AiMessage.from("b"),
        UserMessage.from("x".repeat(1024 * 1024 + 1)));

    assertThatThrownBy(() -> store.updateMessages("chat", next))
        .isInstanceOf(ContentTooLargeException.class);
    assertThat(store.getMessages("chat")).isEqualTo(before);
  }

  @Test
  void aForeignMemoryInTheWindowIsAStorageErrorNamingIt() {
    store.updateMessages("chat", List.of(UserMessage.from("a")));
    String foreign = client.add(AddRequest.builder("not a message", window("chat")).build()).id();

    assertThatThrownBy(() -> store.getMessages("chat"))
        .isInstanceOf(StorageException.class).hasMessageContaining(foreign);
    assertThatThrownBy(() -> store.updateMessages("chat", List.of(UserMessage.from("b"))))
        .isInstanceOf(StorageException.class).hasMessageContaining(foreign);
  }

  @Test
  void aNumberedMemoryThatIsNotAMessageIsAStorageErrorNamingIt() {
    String foreign = client.add(AddRequest.builder("{\"type\":\"NOPE\"}", window("chat"))
        .metadata(Map.of(InMemoryChatMemoryStore.SEQ, 1)).build()).id();

    assertThatThrownBy(() -> store.getMessages("chat"))
        .isInstanceOf(StorageException.class).hasMessageContaining(foreign);
  }

  @Test
  void refusals() {
    assertThatThrownBy(() -> store.getMessages(null))
        .isInstanceOfSatisfying(InvalidRequestException.class,
            e -> assertThat(e.violations().get(0).field()).isEqualTo("memoryId"));
    InMemoryChatMemoryStore sessionless = InMemoryChatMemoryStore.builder(client)
        .scope(id -> Scope.user(id.toString())).build();
    assertThatThrownBy(() -> sessionless.updateMessages("alice", List.of(UserMessage.from("a"))))
        .isInstanceOfSatisfying(InvalidRequestException.class,
            e -> assertThat(e.violations().get(0).field()).isEqualTo("scope"))
        .hasMessageContaining("a chat window needs a sessionId");
  }

  @Test
  void aWindowScopeMayPutWindowsUnderTheUser() {
    InMemoryChatMemoryStore userOwned = InMemoryChatMemoryStore.builder(client)
        .scope(id -> Scope.user("alice").withSession(SessionKeys.of(id))).build();
    userOwned.updateMessages("c1", List.of(UserMessage.from("hello")));

    assertThat(userOwned.getMessages("c1")).containsExactly(UserMessage.from("hello"));
    assertThat(client.list(ListRequest.builder(Scope.user("alice")).build()).items())
        .extracting(MemoryRecord::sessionId).containsExactly("c1");

    // the user's searches find the window's messages, unless filtered out as the README says
    client.add(AddRequest.builder("alice says hello to everyone", Scope.user("alice")).build());
    MemoryFilter noWindows = MemoryFilter.not(MemoryFilter.metadata(InMemoryChatMemoryStore.SEQ)
        .gte(0));
    assertThat(client.search(SearchRequest.builder(Scope.user("alice")).query("hello").build())
        .hits()).hasSize(2);
    assertThat(client.search(SearchRequest.builder(Scope.user("alice")).query("hello")
        .filter(noWindows).build()).hits()).extracting(hit -> hit.memory().content())
        .containsExactly("alice says hello to everyone");
  }

  /** Thread {@code t}'s {@code i}th window: a shared first message and two of its own. */
  private static List<ChatMessage> window(int t, int i) {
    return List.of(SystemMessage.from("shared"), UserMessage.from(t + "-" + i),
        AiMessage.from("answer " + t + "-" + i));
  }

  @Test
  void concurrentUpdatesOfOneChatLeaveOneWholeWindow() throws Exception {
    // LangChain4j's windows are not thread-safe themselves: the store's part is that concurrent
    // updates never mix, so the chat ends as exactly the last window written
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CyclicBarrier together = new CyclicBarrier(8);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          for (int i = 0; i < 10; i++) {
            together.await();
            store.updateMessages("busy", window(thread, i));
          }
          return null;
        }));
      }
      for (Future<?> future : done) {
        future.get();
      }
    } finally {
      pool.shutdown();
    }
    List<ChatMessage> last = store.getMessages("busy");
    assertThat(IntStream.range(0, 8).mapToObj(t -> window(t, 9)))
        .contains(last);
    assertThat(stored("busy")).hasSize(3);
  }

  private Set<String> ids(Object chat) {
    return stored(chat).stream().map(MemoryRecord::id).collect(Collectors.toSet());
  }

  /** One token per word. */
  private static final class Words implements TokenCountEstimator {
    @Override
    public int estimateTokenCountInText(String text) {
      return text.isBlank() ? 0 : text.trim().split("\\s+").length;
    }

    @Override
    public int estimateTokenCountInMessage(ChatMessage message) {
      return estimateTokenCountInText(message instanceof UserMessage user && user.hasSingleText()
          ? user.singleText() : message instanceof SystemMessage system ? system.text() : "");
    }

    @Override
    public int estimateTokenCountInMessages(Iterable<ChatMessage> messages) {
      return StreamSupport.stream(messages.spliterator(), false)
          .mapToInt(this::estimateTokenCountInMessage).sum();
    }
  }
}
