package io.inmemory.springai;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.InMemoryConfig;
import io.inmemory.MemoryClient;
import io.inmemory.MemoryClients;
import io.inmemory.embeddings.onnx.OnnxEmbedder;
import io.inmemory.engine.Memory;
import io.inmemory.server.LoopbackServer;
import io.inmemory.springai.testing.ScriptedChatModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.memory.ChatMemory;

/**
 * The acceptance scenario with real embeddings (the offline ONNX model): through a real
 * {@link ChatClient} with the advisor and a scripted model, a fact a user told in one conversation
 * is in the prompt of a later conversation of that user asking for it in other words (no shared
 * content word), and never in another user's prompt. On the local engine and on a server on a
 * loopback port over that engine, reached over HTTP.
 */
class MeaningRecallTest {
  private static Memory engine;
  private static LoopbackServer server;

  @BeforeAll
  static void start() {
    engine = Memory.builder().config(InMemoryConfig.builder().isolated()
            .set(InMemoryConfig.STORE.name(), "memory").build())
        .embedder(OnnxEmbedder.builder().build()).build();
    server = LoopbackServer.start(engine);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (engine != null) {
      engine.close();
    }
  }

  @Test
  void localEngine() {
    recallsByMeaningForTheSameUserOnly(engine, "local");
  }

  @Test
  void managedServer() {
    try (MemoryClient client = MemoryClients.create(server.managedConfig("spring-ai").build())) {
      recallsByMeaningForTheSameUserOnly(client, "managed");
    }
  }

  private static void recallsByMeaningForTheSameUserOnly(MemoryClient client, String runtime) {
    String u = "u-" + runtime;
    String v = "v-" + runtime;
    ScriptedChatModel model = new ScriptedChatModel();
    // one memory recalled: the one nearest in meaning must be the allergy, not another fact
    ChatClient chat = ChatClient.builder(model).defaultSystem("You are a cooking assistant.")
        .defaultAdvisors(LongTermMemoryAdvisor.builder(client).limit(1).build()).build();

    model.answer("Noted.", "Noted.", "Noted.", "Noted.");
    ask(chat, u, "c1", "I'm severely allergic to peanuts.");
    // distractors: one shares the question's words, one its wish to avoid something
    ask(chat, u, "c1", "There is a gym near my office that I go to on Mondays.");
    ask(chat, u, "c1", "I should avoid driving at night because my eyes are bad.");
    ask(chat, u, "c1", "My daughter Mia starts school in September.");
    model.answer("Noted.");
    ask(chat, v, "c9", "I love hiking in the Alps.");

    model.answer("Not peanuts: try an apple.", "Try an apple.");
    ask(chat, u, "c2", "Can you suggest a snack that is safe for me?");
    ask(chat, v, "c10", "Can you suggest a snack that is safe for me?");

    String forU = model.prompts().get(5).getSystemMessage().getText();
    String forV = model.prompts().get(6).getSystemMessage().getText();
    assertThat(forU).startsWith("You are a cooking assistant.")
        .contains("- I'm severely allergic to peanuts.")
        .doesNotContain("gym").doesNotContain("driving").doesNotContain("Mia");
    assertThat(forV).doesNotContain("peanuts");
  }

  private static void ask(ChatClient chat, String user, String conversation, String text) {
    chat.prompt().user(text).advisors(a -> a.param(LongTermMemoryAdvisor.USER_ID, user)
        .param(ChatMemory.CONVERSATION_ID, conversation)).call().content();
  }
}
