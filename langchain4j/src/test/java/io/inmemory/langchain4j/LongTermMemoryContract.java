package io.inmemory.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.service.AiServices;
import io.inmemory.ListRequest;
import io.inmemory.MemoryClient;
import io.inmemory.MemoryRecord;
import io.inmemory.Scope;
import io.inmemory.embeddings.onnx.OnnxEmbedder;
import io.inmemory.engine.Memory;
import io.inmemory.store.file.FileMemoryStore;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The acceptance test: an {@code AiServices} assistant wired with every piece of the module
 * (chat windows in {@link InMemoryChatMemoryStore}, recall by {@link InMemoryContentRetriever},
 * turns recorded by {@link InMemoryConversationRecorder}, {@link InMemoryTools}) and a scripted
 * {@code ChatModel} that records each prompt. A fact told in one conversation of a user is in the
 * prompt of a later conversation of that user, asked about in other words, and never in another
 * user's. Real sentence embeddings (ONNX all-MiniLM, offline): recall is by meaning, and the
 * retriever returns a single memory, so the ranking is what puts the fact there. Subclasses give
 * the runtime; each test has users of its own.
 */
abstract class LongTermMemoryContract {

  private static final AtomicInteger RUNS = new AtomicInteger();

  MemoryClient client;
  ScriptedChatModel model;
  Assistants.Chat assistant;
  String alice;
  String bob;

  /** A client of the runtime under test for one test; {@link #release} ends it. */
  abstract MemoryClient open();

  abstract void release(MemoryClient client);

  /** The local engine over the file store in {@code dir}, with ONNX embeddings. */
  static Memory engine(Path dir) {
    return Memory.builder().store(FileMemoryStore.open(dir))
        .embedder(OnnxEmbedder.builder().build()).build();
  }

  @BeforeEach
  void wire() {
    client = open();
    model = new ScriptedChatModel();
    int run = RUNS.incrementAndGet();
    alice = "alice-" + run;
    bob = "bob-" + run;
    InMemoryChatMemoryStore store = InMemoryChatMemoryStore.of(client);
    assistant = AiServices.builder(Assistants.Chat.class)
        .chatModel(model)
        .chatMemoryProvider(id -> MessageWindowChatMemory.builder().id(id).maxMessages(10)
            .chatMemoryStore(store).build())
        .contentRetriever(InMemoryContentRetriever.builder(client).maxResults(1).build())
        .registerListeners(InMemoryConversationRecorder.of(client).listeners())
        .tools(new InMemoryTools(client))
        .build();
  }

  @AfterEach
  void unwire() {
    release(client);
  }

  /** The text of the user message of the last prompt (as retrieval augmented it). */
  private String lastUserText() {
    return model.lastUserText();
  }

  private List<String> remembered(String user) {
    return client.list(ListRequest.builder(Scope.user(user)).limit(100).build()).items().stream()
        .map(MemoryRecord::content).toList();
  }

  @Test
  void aFactToldInOneConversationIsInTheNextConversationsPromptAndNeverInAnotherUsers() {
    model.answer("Noted.").answer("How lovely.").answer("Great, enjoy the trails.");
    assistant.chat(alice + "/c1", "I am allergic to peanuts.");
    // shares words with the later question, not its meaning: ranking by words would pick it
    assistant.chat(alice + "/c1", "For me, the best city is Lisbon.");
    assistant.chat(bob + "/c1", "I go hiking every weekend.");

    // the window kept the conversation: the second turn of c1 saw the first
    List<ChatMessage> secondTurnOfC1 = model.requests().get(1).messages();
    assertThat(secondTurnOfC1).contains(UserMessage.from("I am allergic to peanuts."));

    model.answer("Avoid anything with peanuts.");
    assistant.chat(alice + "/c2", "Which snacks are dangerous for me?");

    // a new conversation: its window is empty, so the fact can only come from long-term memory
    assertThat(model.lastPrompt()).hasSize(1);
    assertThat(lastUserText()).startsWith("Which snacks are dangerous for me?")
        .contains("I am allergic to peanuts.")
        .doesNotContain("Lisbon").doesNotContain("hiking");

    model.answer("Trail mix is a good snack.");
    assistant.chat(bob + "/c2", "Which snacks are dangerous for me?");

    assertThat(lastUserText()).doesNotContain("peanuts").doesNotContain("Lisbon");
  }

  @Test
  void theRecorderRemembersTheExchangeNotTheRecalledMemories() {
    model.answer("Noted.").answer("You mentioned a peanut allergy.");
    assistant.chat(alice + "/c1", "I am allergic to peanuts.");
    assistant.chat(alice + "/c2", "Do I have any food allergies?");

    assertThat(lastUserText()).contains("I am allergic to peanuts.");
    assertThat(remembered(alice)).containsExactlyInAnyOrder("I am allergic to peanuts.",
        "Noted.", "Do I have any food allergies?", "You mentioned a peanut allergy.");
  }

  @Test
  void anAgentThatRemembersByItselfRecallsInALaterConversation() {
    model.callTool("remember", "{\"fact\":\"The user is vegetarian.\"}").answer("Got it.");
    assistant.chat(alice + "/c1", "By the way, I don't eat meat.");

    model.callTool("recall", "{\"query\":\"dietary restrictions\"}").answer("A veggie lasagna.");
    assistant.chat(alice + "/c2", "What should I cook tonight?");

    assertThat(model.lastToolResults()).singleElement().asString()
        .contains("The user is vegetarian.");
    model.callTool("recall", "{\"query\":\"dietary restrictions\"}").answer("Anything.");
    assistant.chat(bob + "/c1", "What should I cook tonight?");
    assertThat(model.lastToolResults()).singleElement().asString()
        .doesNotContain("vegetarian");
  }
}
