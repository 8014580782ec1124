package io.inmemory.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.springai.LongTermMemoryAdvisor;
import io.inmemory.springai.MemoryClientChatMemoryRepository;
import io.inmemory.springai.testing.ScriptedChatModel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.advisor.MessageChatMemoryAdvisor;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.memory.ChatMemoryRepository;
import org.springframework.ai.chat.messages.Message;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A Spring Boot application using the starter as a user would: the local runtime on a file store
 * with the real ONNX embedder, a {@link ChatClient} over a scripted model with the
 * auto-configured advisor and Spring AI's chat memory (kept by the auto-configured repository). A
 * fact alice tells in one conversation is recalled into the prompt of her next conversation when
 * it answers her question, and never into bob's.
 */
@SpringBootTest(properties = {
    "inmemory.mode=local",
    "inmemory.store=file",
    // one memory recalled: the fact that answers the question, not merely one of alice's
    "inmemory.spring-ai.advisor.limit=1"})
class InMemoryStarterApplicationTest {
  @TempDir
  static Path storeDir;

  @DynamicPropertySource
  static void store(DynamicPropertyRegistry registry) {
    registry.add("inmemory.store.file.dir", storeDir::toString);
  }

  @Autowired
  private ChatClient chatClient;

  @Autowired
  private ScriptedChatModel model;

  @Autowired
  private ChatMemoryRepository chatMemoryRepository;

  @Test
  void aFactToldInOneConversationReachesTheUsersNextConversationAndNoOtherUsers() {
    model.answer("Noted, I will keep that in mind.", "How lovely!", "Anything but peanuts.",
        "Fruit, perhaps?");
    ask("alice", "alice-1", "I am allergic to peanuts.");
    ask("alice", "alice-1", "My sister moved to Lyon last spring.");

    ask("alice", "alice-2", "Which snacks should I stay away from?");
    String aliceSystem = model.lastPrompt().getSystemMessage().getText();
    assertThat(aliceSystem).contains("allergic to peanuts").doesNotContain("Lyon");

    ask("bob", "bob-1", "Which snacks should I stay away from?");
    assertThat(model.lastPrompt().getInstructions()).extracting(Message::getText)
        .noneMatch(text -> text.contains("peanuts"));

    // Spring AI's chat memory window of the first conversation is kept by InMemory's repository
    assertThat(chatMemoryRepository).isInstanceOf(MemoryClientChatMemoryRepository.class);
    assertThat(chatMemoryRepository.findByConversationId("alice-1")).extracting(Message::getText)
        .containsExactly("I am allergic to peanuts.", "Noted, I will keep that in mind.",
            "My sister moved to Lyon last spring.", "How lovely!");
  }

  private void ask(String user, String conversation, String text) {
    chatClient.prompt().user(text)
        .advisors(a -> a.param(LongTermMemoryAdvisor.USER_ID, user)
            .param(ChatMemory.CONVERSATION_ID, conversation))
        .call().content();
  }

  /** The application under test: what a user of the starter writes. */
  @SpringBootApplication
  static class Application {
    @Bean
    ScriptedChatModel chatModel() {
      return new ScriptedChatModel();
    }

    @Bean
    ChatClient chatClient(ScriptedChatModel chatModel, LongTermMemoryAdvisor longTermMemory,
        ChatMemory chatMemory) {
      return ChatClient.builder(chatModel)
          .defaultAdvisors(MessageChatMemoryAdvisor.builder(chatMemory).build(), longTermMemory)
          .build();
    }
  }
}
