package io.inmemory.springai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inmemory.InvalidRequestException;
import io.inmemory.ListRequest;
import io.inmemory.MemoryClient;
import io.inmemory.MemoryFilter;
import io.inmemory.MemoryRecord;
import io.inmemory.Role;
import io.inmemory.Scope;
import io.inmemory.springai.testing.ScriptedChatModel;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.vectorstore.filter.FilterExpressionBuilder;

/**
 * The advisor through a real {@link ChatClient} and a scripted model, on each runtime (a hashing
 * embedder: recall here rests on shared words, not meaning). Users are new per test.
 */
abstract class LongTermMemoryAdvisorContract {
  private static int users;
  private MemoryClient client;
  private ScriptedChatModel model;
  private String alice;
  private String bob;

  protected abstract MemoryClient openClient();

  @BeforeEach
  void open() {
    client = openClient();
    model = new ScriptedChatModel();
    synchronized (LongTermMemoryAdvisorContract.class) {
      alice = "alice-" + ++users;
      bob = "bob-" + users;
    }
  }

  @AfterEach
  void close() {
    if (client != null) {
      client.close();
    }
  }

  @Test
  void aFactToldInOneConversationIsRecalledInAnotherForTheSameUserOnly() {
    ChatClient chat = chat(LongTermMemoryAdvisor.builder(client).build());
    model.answer("Noted.", "You are allergic to peanuts.", "I do not know.");

    ask(chat, "I am allergic to peanuts", alice, "c1");
    ask(chat, "What am I allergic to?", alice, "c2");
    ask(chat, "What am I allergic to?", bob, "c3");

    assertThat(system(1)).contains("Long-term memories about the user")
        .contains("- I am allergic to peanuts").contains("be brief");
    assertThat(system(2)).doesNotContain("peanuts");
    // the exchange was ingested in the user's conversation, as the user and assistant said it
    assertThat(memories(new Scope(alice, null, "c1"))).extracting(MemoryRecord::role)
        .containsExactlyInAnyOrder(Role.USER, Role.ASSISTANT);
  }

  @Test
  void aFilterOrLimitInTheContextRestrictsRecall() {
    ChatClient chat = chat(LongTermMemoryAdvisor.builder(client).ingestion(
        LongTermMemoryAdvisor.Ingestion.SYNC).build());
    model.answer("Noted.", "Noted.", "a", "b", "c", "d");
    ask(chat, "I like green tea", alice, "c1");
    ask(chat, "I like black tea", alice, "c2");

    ask(chat, "what tea do I like", alice, "c3",
        a -> a.param(LongTermMemoryAdvisor.FILTER, "session_id == 'c1'"));
    ask(chat, "what tea do I like", alice, "c3", a -> a.param(LongTermMemoryAdvisor.FILTER,
        new FilterExpressionBuilder().eq("session_id", "c2").build()));
    ask(chat, "what tea do I like", alice, "c3", a -> a.param(LongTermMemoryAdvisor.FILTER,
        MemoryFilter.sessionId().eq("nowhere")));
    ask(chat, "what tea do I like", alice, "c3", a -> a.param(LongTermMemoryAdvisor.LIMIT, 1));

    assertThat(system(2)).contains("green tea").doesNotContain("black tea");
    assertThat(system(3)).contains("black tea").doesNotContain("green tea");
    assertThat(system(4)).doesNotContain("tea");
    assertThat(system(5).lines().filter(line -> line.startsWith("- ")).count()).isEqualTo(1);
  }

  @Test
  void withoutAUserTheCallFailsAndABadContextValueNamesItsKey() {
    ChatClient chat = chat(LongTermMemoryAdvisor.builder(client).build());
    model.answer("unused", "unused");
    assertThatThrownBy(() -> chat.prompt().user("hello").call().content())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no InMemory user")
        .hasMessageContaining("\"inmemory_user_id\"");
    assertThatThrownBy(() -> ask(chat, "hello", alice, "c1",
        a -> a.param(LongTermMemoryAdvisor.LIMIT, "three")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(LongTermMemoryAdvisor.LIMIT).hasMessageContaining("Integer");
    assertThatThrownBy(() -> chat.prompt().user("hello")
        .advisors(a -> a.param(LongTermMemoryAdvisor.USER_ID, 42)).call().content())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(LongTermMemoryAdvisor.USER_ID).hasMessageContaining("String");
    // refused before the model is called
    assertThat(model.prompts()).isEmpty();
  }

  @Test
  void aFilterInMemoryCannotExpressOrABadConversationIdFailsBeforeTheModelIsCalled() {
    ChatClient chat = chat(LongTermMemoryAdvisor.builder(client).build());
    model.answer("unused");
    assertThatThrownBy(() -> ask(chat, "what tea do I like", alice, "c1",
        a -> a.param(LongTermMemoryAdvisor.FILTER, "topic IS NULL")))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.violations())
            .singleElement().satisfies(v -> {
              assertThat(v.field()).isEqualTo("filter");
              assertThat(v.problem()).contains("IS NULL and IS NOT NULL are not supported");
            }));
    assertThatThrownBy(() -> ask(chat, "hello", alice, "c1", a -> a.param(
        LongTermMemoryAdvisor.FILTER, new FilterExpressionBuilder().eq("user_id", bob).build())))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("user_id");
    for (String conversation : List.of("", " ", "x".repeat(101), "has space", "a/b")) {
      assertThatThrownBy(() -> ask(chat, "hello", alice, conversation))
          .as("conversation id '%s'", conversation)
          .isInstanceOf(InvalidRequestException.class).hasMessageContaining("sessionId");
    }
    assertThat(model.prompts()).isEmpty();
    assertThat(memories(Scope.user(alice))).isEmpty();
  }

  @Test
  void aUserMessageLongerThanTheQueryLimitStillRecallsAndIsIngestedWhole() {
    ChatClient chat = chat(LongTermMemoryAdvisor.builder(client).build());
    model.answer("Noted.", "A long read.");
    ask(chat, "I like green tea", alice, "c1");
    // a pasted document: longer than the runtime's default inmemory.max-query-length (8192)
    String pasted = "what tea do I like, given this text: " + "lorem ipsum ".repeat(1000);

    ask(chat, pasted, alice, "c2");

    assertThat(system(1)).contains("- I like green tea");
    assertThat(memories(new Scope(alice, null, "c2"))).extracting(MemoryRecord::content)
        .contains(pasted);
  }

  @Test
  void ingestionOffOnlyRecalls() {
    ChatClient chat = chat(LongTermMemoryAdvisor.builder(client).userId(alice)
        .ingestion(LongTermMemoryAdvisor.Ingestion.OFF).build());
    model.answer("Noted.");
    chat.prompt().user("I am allergic to peanuts").call().content();
    assertThat(memories(Scope.user(alice))).isEmpty();
  }

  @Test
  void aStreamedAnswerIsIngestedOnceAndWhole() {
    ChatClient chat = chat(LongTermMemoryAdvisor.builder(client).build());
    model.answer("Your order ships on Monday.");
    String streamed = chat.prompt().user("When does my order ship?")
        .advisors(a -> a.param(LongTermMemoryAdvisor.USER_ID, alice)
            .param(ChatMemory.CONVERSATION_ID, "s1"))
        .stream().content().collect(Collectors.joining()).block();

    assertThat(streamed).isEqualTo("Your order ships on Monday.");
    assertThat(memories(new Scope(alice, null, "s1"))).extracting(MemoryRecord::content)
        .containsExactlyInAnyOrder("When does my order ship?", "Your order ships on Monday.");
  }

  private ChatClient chat(LongTermMemoryAdvisor advisor) {
    return ChatClient.builder(model).defaultSystem("be brief").defaultAdvisors(advisor).build();
  }

  private void ask(ChatClient chat, String text, String user, String conversation) {
    ask(chat, text, user, conversation, a -> { });
  }

  private void ask(ChatClient chat, String text, String user, String conversation,
      Consumer<ChatClient.AdvisorSpec> more) {
    chat.prompt().user(text).advisors(a -> {
      a.param(LongTermMemoryAdvisor.USER_ID, user).param(ChatMemory.CONVERSATION_ID, conversation);
      more.accept(a);
    }).call().content();
  }

  private String system(int call) {
    String text = model.prompts().get(call).getSystemMessage().getText();
    return text == null ? "" : text;
  }

  private List<MemoryRecord> memories(Scope scope) {
    return client.list(ListRequest.builder(scope).build()).items();
  }
}
