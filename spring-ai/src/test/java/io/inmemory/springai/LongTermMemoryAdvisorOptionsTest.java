package io.inmemory.springai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inmemory.AddRequest;
import io.inmemory.ContentTooLargeException;
import io.inmemory.ConversationResult;
import io.inmemory.InMemoryConfig;
import io.inmemory.InvalidRequestException;
import io.inmemory.Limits;
import io.inmemory.ListRequest;
import io.inmemory.MemoryClient;
import io.inmemory.MemoryFilter;
import io.inmemory.MemoryRecord;
import io.inmemory.Role;
import io.inmemory.Scope;
import io.inmemory.SearchHit;
import io.inmemory.engine.Memory;
import io.inmemory.engine.tck.HashingEmbedder;
import io.inmemory.springai.testing.ScriptedChatModel;
import io.inmemory.springai.testing.SharedServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.client.advisor.MessageChatMemoryAdvisor;
import org.springframework.ai.chat.client.advisor.ToolCallingAdvisor;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.memory.MessageWindowChatMemory;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.chat.prompt.PromptTemplate;
import org.springframework.ai.tool.function.FunctionToolCallback;

/**
 * The advisor's options that do not depend on the runtime (local engine, hashing embedder):
 * scope resolver, prompt template, ingestion policies, order in Spring AI's tool loop.
 */
class LongTermMemoryAdvisorOptionsTest {
  private MemoryClient client;
  private final ScriptedChatModel model = new ScriptedChatModel();

  @BeforeEach
  void open() {
    client = SharedServer.volatileEngine();
  }

  @AfterEach
  void close() {
    client.close();
  }

  @Test
  void aReplacedScopeResolverDecidesWhoseMemoriesAreReadAndWritten() {
    client.add(AddRequest.builder("I play chess on Sundays", Scope.user("erin")).build());
    client.add(AddRequest.builder("I play chess badly", Scope.user("frank")).build());
    // as an application taking the user from its security context rather than the call
    ScopeResolver principal = context -> new Scope((String) context.get("principal"), "tutor",
        "lesson-1");
    ChatClient chat = chat(LongTermMemoryAdvisor.builder(client).scopeResolver(principal)
        .build());
    model.answer("Good to know.");

    chat.prompt().user("chess tips?").advisors(a -> a.param("principal", "erin")
        .param(LongTermMemoryAdvisor.USER_ID, "frank")).call().content();

    assertThat(system(0)).contains("Sundays").doesNotContain("badly");
    assertThat(memories(new Scope("erin", "tutor", "lesson-1"))).extracting(MemoryRecord::content)
        .containsExactlyInAnyOrder("chess tips?", "Good to know.");
  }

  @Test
  void theSystemPromptTemplateIsReplaceableAndCheckedWhenBuilt() {
    client.add(AddRequest.builder("I live in Porto", Scope.user("erin")).build());
    ChatClient chat = chat(LongTermMemoryAdvisor.builder(client).userId("erin")
        .systemPromptTemplate(new PromptTemplate("{instructions}\n<facts>\n{memories}\n</facts>"))
        .build());
    model.answer("Porto.");

    chat.prompt().user("where do I live").call().content();

    assertThat(system(0)).startsWith("be brief\n<facts>\n- I live in Porto (")
        .endsWith(")\n</facts>");
    assertThatThrownBy(() -> LongTermMemoryAdvisor.builder(client)
        .systemPromptTemplate(new PromptTemplate("{instructions} and nothing recalled")).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("memories");
    assertThatThrownBy(() -> LongTermMemoryAdvisor.builder(client)
        .systemPromptTemplate(new PromptTemplate("{instructions} {memories} {mood}")).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mood");
  }

  @Test
  void syncIngestionAndRecallAreReportedInTheResponseContext() {
    client.add(AddRequest.builder("I live in Porto", Scope.user("erin")).build());
    ChatClient chat = chat(LongTermMemoryAdvisor.builder(client).userId("erin").build());
    model.answer("Porto.");

    ChatClientResponse response = chat.prompt().user("where do I live")
        .advisors(a -> a.param(ChatMemory.CONVERSATION_ID, "c1")).call().chatClientResponse();

    assertThat(response.context().get(LongTermMemoryAdvisor.RECALLED)).asList()
        .extracting(hit -> ((SearchHit) hit).memory().content()).containsExactly("I live in Porto");
    assertThat(response.context().get(LongTermMemoryAdvisor.INGESTED))
        .isInstanceOfSatisfying(ConversationResult.class, result -> assertThat(result.events())
            .extracting(event -> event.memory().content())
            .containsExactlyInAnyOrder("where do I live", "Porto."));
  }

  @Test
  void asyncIngestionRunsOnTheApplicationsExecutorAfterTheAnswer() {
    List<Runnable> queued = new ArrayList<>();
    ChatClient chat = chat(LongTermMemoryAdvisor.builder(client).userId("erin")
        .ingestion(LongTermMemoryAdvisor.Ingestion.ASYNC).executor(queued::add).build());
    model.answer("Noted.");

    ChatClientResponse response = chat.prompt().user("I live in Porto")
        .advisors(a -> a.param(ChatMemory.CONVERSATION_ID, "c1")).call().chatClientResponse();

    assertThat(response.chatResponse().getResult().getOutput().getText()).isEqualTo("Noted.");
    assertThat(response.context()).doesNotContainKey(LongTermMemoryAdvisor.INGESTED);
    assertThat(memories(Scope.user("erin"))).isEmpty();
    runsTheQueuedIngestion(queued, "c1", "I live in Porto", "Noted.");
  }

  @Test
  void anAsyncFailureIsLoggedNotThrownAndARejectedHandOffFailsTheCallUnlessFailOpen() {
    List<Runnable> queued = new ArrayList<>();
    MemoryClient closing = SharedServer.volatileEngine();
    ChatClient chat = chat(LongTermMemoryAdvisor.builder(closing).userId("erin")
        .ingestion(LongTermMemoryAdvisor.Ingestion.ASYNC).executor(queued::add).build());
    model.answer("Noted.", "Still noted.", "Noted again.");
    assertThat(chat.prompt().user("I live in Porto").call().content()).isEqualTo("Noted.");
    closing.close();
    // the client closed before the queued ingestion ran: the executor's thread sees no exception
    queued.get(0).run();

    LongTermMemoryAdvisor.Builder rejecting = LongTermMemoryAdvisor.builder(client).userId("erin")
        .ingestion(LongTermMemoryAdvisor.Ingestion.ASYNC).executor(task -> {
          throw new RejectedExecutionException("queue full");
        });
    assertThatThrownBy(() -> chat(rejecting.build()).prompt().user("hi").call().content())
        .isInstanceOf(RejectedExecutionException.class).hasMessage("queue full");
    assertThat(chat(rejecting.failOpen(true).build()).prompt().user("hi").call().content())
        .isEqualTo("Noted again.");

    assertThatThrownBy(() -> LongTermMemoryAdvisor.builder(client)
        .ingestion(LongTermMemoryAdvisor.Ingestion.ASYNC).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("executor");
  }

  @Test
  void aBuilderFilterIsTranslatedWhenSetAndRestrictsEveryRecall() {
    client.add(AddRequest.builder("I like green tea", Scope.user("erin")).tags(List.of("drinks"))
        .build());
    client.add(AddRequest.builder("I like black tea", Scope.user("erin")).build());
    ChatClient chat = chat(LongTermMemoryAdvisor.builder(client).userId("erin")
        .filter("tags == 'drinks'").ingestion(LongTermMemoryAdvisor.Ingestion.OFF).build());
    model.answer("Green.");

    chat.prompt().user("which tea do I like").call().content();

    assertThat(system(0)).contains("green tea").doesNotContain("black tea");
    assertThatThrownBy(() -> LongTermMemoryAdvisor.builder(client).filter("tags IS NULL"))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("IS NULL");
    assertThatThrownBy(() -> LongTermMemoryAdvisor.builder(client).limit(0).build())
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("limit");
    assertThatThrownBy(() -> LongTermMemoryAdvisor.builder(client).agentId("bad id").build())
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("agentId");
  }

  /** The input of the tool the scripted model calls (a record: its names are in the bytecode). */
  record City(String city) {}

  @Test
  void itRunsOnceAroundSpringAisToolLoopAndIngestsOnlyTheFinalAnswer() {
    assertThat(LongTermMemoryAdvisor.DEFAULT_ORDER).isLessThan(ToolCallingAdvisor.DEFAULT_ORDER);
    client.add(AddRequest.builder("I live in Porto", Scope.user("erin")).build());
    ChatClient chat = chat(LongTermMemoryAdvisor.builder(client).userId("erin").build());
    model.answer(AssistantMessage.builder().content("").toolCalls(List.of(
            new AssistantMessage.ToolCall("call-1", "function", "weather", "{\"city\":\"Porto\"}")))
            .build(),
        new AssistantMessage("It is sunny in Porto."));

    String answer = chat.prompt().user("what is the weather where I live").toolCallbacks(FunctionToolCallback
            .builder("weather", (City given) -> "sunny in " + given.city()).inputType(City.class)
            .description("The weather in a city").build())
        .advisors(a -> a.param(ChatMemory.CONVERSATION_ID, "t1")).call().content();

    assertThat(answer).isEqualTo("It is sunny in Porto.");
    // the model was called twice (tool call, then answer), both with the recalled memory
    assertThat(model.prompts()).hasSize(2);
    assertThat(system(0)).contains("I live in Porto");
    assertThat(system(1)).contains("I live in Porto");
    assertThat(model.prompts().get(1).getInstructions()).anySatisfy(message ->
        assertThat(message).isInstanceOfSatisfying(ToolResponseMessage.class, tool ->
            assertThat(tool.getResponses().get(0).responseData()).contains("sunny in Porto")));
    assertThat(memories(new Scope("erin", null, "t1"))).extracting(MemoryRecord::role,
            MemoryRecord::content)
        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(Role.USER,
                "what is the weather where I live"),
            org.assertj.core.groups.Tuple.tuple(Role.ASSISTANT, "It is sunny in Porto."));
  }

  @Test
  void itWorksBesideSpringAisMessageChatMemoryAdvisorInEitherOrder() {
    MemoryClientChatMemoryRepository repository = MemoryClientChatMemoryRepository
        .builder(client).build();
    for (boolean oursFirst : List.of(true, false)) {
      String user = oursFirst ? "erin" : "frank";
      LongTermMemoryAdvisor longTerm = LongTermMemoryAdvisor.builder(client).build();
      MessageChatMemoryAdvisor window = MessageChatMemoryAdvisor.builder(MessageWindowChatMemory
          .builder().chatMemoryRepository(repository).build()).build();
      // the same order: Spring AI keeps the order they were added in
      ChatClient chat = ChatClient.builder(model).defaultSystem("be brief")
          .defaultAdvisors(oursFirst ? List.of(longTerm, window) : List.of(window, longTerm))
          .build();
      model.answer("Noted.", "Hello.", "Peanuts.");
      int first = model.prompts().size();

      ask(chat, user, user + "-1", "I am allergic to peanuts");
      ask(chat, user, user + "-2", "hello");
      ask(chat, user, user + "-2", "what am I allergic to");

      Prompt last = model.prompts().get(first + 2);
      assertThat(last.getInstructions()).extracting(Message::getText)
          .as("oursFirst=%s", oursFirst).hasSize(4).startsWith(last.getSystemMessage().getText())
          .endsWith("hello", "Hello.", "what am I allergic to");
      // recalled once: the transcript the repository keeps is the agent's, not the user's
      assertThat(last.getSystemMessage().getText()).startsWith("be brief")
          .containsOnlyOnce("- I am allergic to peanuts");
    }
  }

  @Test
  void aStreamedCallIsCheckedBeforeTheModelAndIngestsAsynchronouslyToo() {
    List<Runnable> queued = new ArrayList<>();
    ChatClient chat = chat(LongTermMemoryAdvisor.builder(client)
        .ingestion(LongTermMemoryAdvisor.Ingestion.ASYNC).executor(queued::add).build());
    model.answer("Porto is lovely.");

    assertThatThrownBy(() -> chat.prompt().user("hi").stream().content().blockLast())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inmemory_user_id");
    assertThat(model.prompts()).isEmpty();

    String streamed = String.join("", chat.prompt().user("I live in Porto")
        .advisors(a -> a.param(LongTermMemoryAdvisor.USER_ID, "erin")
            .param(ChatMemory.CONVERSATION_ID, "s1"))
        .stream().content().collectList().block());
    assertThat(streamed).isEqualTo("Porto is lovely.");
    runsTheQueuedIngestion(queued, "s1", "I live in Porto", "Porto is lovely.");
  }

  @Test
  void failOpenDoesNotHideAMistakeInTheCall() {
    ChatClient chat = chat(LongTermMemoryAdvisor.builder(client).userId("erin").failOpen(true)
        .build());
    model.answer("unused");
    assertThatThrownBy(() -> chat.prompt().user("hi")
        .advisors(a -> a.param(LongTermMemoryAdvisor.FILTER, "topic IS NOT NULL")).call()
        .content()).isInstanceOf(InvalidRequestException.class).hasMessageContaining("IS NULL");
    assertThatThrownBy(() -> chat.prompt().user("hi")
        .advisors(a -> a.param(ChatMemory.CONVERSATION_ID, "no spaces")).call().content())
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("sessionId");
    assertThat(model.prompts()).isEmpty();
  }

  @Test
  void aSearchTheRuntimeRefusesFailsTheCallEvenWithFailOpen() {
    ChatClient chat = chat(LongTermMemoryAdvisor.builder(client).userId("erin").failOpen(true)
        .build());
    model.answer("unused");
    MemoryFilter deep = MemoryFilter.tags().contains("x");
    for (int i = 0; i <= Limits.DEFAULT_MAX_FILTER_DEPTH; i++) {
      deep = MemoryFilter.not(deep);
    }
    MemoryFilter tooDeep = deep;

    assertThatThrownBy(() -> chat.prompt().user("hi")
        .advisors(a -> a.param(LongTermMemoryAdvisor.LIMIT, 0)).call().content())
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("limit");
    assertThatThrownBy(() -> chat.prompt().user("hi")
        .advisors(a -> a.param(LongTermMemoryAdvisor.FILTER, tooDeep)).call().content())
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("filter");
    assertThat(model.prompts()).isEmpty();
    assertThatThrownBy(() -> LongTermMemoryAdvisor.builder(client).threshold(2.0).build())
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("threshold");
  }

  @Test
  void anExchangeTheRuntimeRefusesFailsTheCallUnlessFailOpen() {
    try (MemoryClient small = Memory.builder().config(InMemoryConfig.builder().isolated()
            .set(InMemoryConfig.STORE.name(), "memory")
            .set(InMemoryConfig.MAX_MEMORY_SIZE.name(), "1KB").build())
        .embedder(new HashingEmbedder()).build()) {
      String longAnswer = "word ".repeat(400);
      model.answer(longAnswer, longAnswer);
      assertThatThrownBy(() -> chat(LongTermMemoryAdvisor.builder(small).userId("erin").build())
          .prompt().user("tell me a long story").call().content())
          .isInstanceOf(ContentTooLargeException.class);
      // the model answered both times; with failOpen the caller gets the answer
      assertThat(chat(LongTermMemoryAdvisor.builder(small).userId("erin").failOpen(true).build())
          .prompt().user("tell me a long story").call().content()).isEqualTo(longAnswer);
      assertThat(model.prompts()).hasSize(2);
    }
  }

  @Test
  void concurrentCallsOfManyUsersKeepTheirMemoriesApart() throws Exception {
    ChatClient chat = chat(LongTermMemoryAdvisor.builder(client).build());
    int users = 8;
    for (int i = 0; i < 2 * users; i++) {
      model.answer("ok");
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (String phase : List.of("tell", "ask")) {
        List<Future<?>> calls = new ArrayList<>();
        for (int i = 0; i < users; i++) {
          String user = "user-" + i;
          String text = phase.equals("tell") ? "my locker code is " + (1000 + i)
              : "what is my locker code, asks " + user;
          calls.add(pool.submit(() -> ask(chat, user, phase + "-" + user, text)));
        }
        for (Future<?> call : calls) {
          call.get();
        }
      }
    } finally {
      pool.shutdown();
    }
    List<Prompt> asks = model.prompts().subList(users, 2 * users);
    assertThat(asks).allSatisfy(prompt -> {
      String user = prompt.getUserMessage().getText().replaceAll(".* asks ", "");
      String code = String.valueOf(1000 + Integer.parseInt(user.substring("user-".length())));
      assertThat(prompt.getSystemMessage().getText()).as(user)
          .contains("my locker code is " + code)
          .containsOnlyOnce("my locker code is");
    });
  }

  private void ask(ChatClient chat, String user, String conversation, String text) {
    chat.prompt().user(text).advisors(a -> a.param(LongTermMemoryAdvisor.USER_ID, user)
        .param(ChatMemory.CONVERSATION_ID, conversation)).call().content();
  }

  /** The one ingestion queued, run: erin's exchange is then in {@code conversation}. */
  private void runsTheQueuedIngestion(List<Runnable> queued, String conversation,
      String... contents) {
    assertThat(queued).hasSize(1);
    queued.get(0).run();
    assertThat(memories(new Scope("erin", null, conversation))).extracting(MemoryRecord::content)
        .containsExactlyInAnyOrder(contents);
  }

  private ChatClient chat(LongTermMemoryAdvisor advisor) {
    return ChatClient.builder(model).defaultSystem("be brief").defaultAdvisors(advisor).build();
  }

  private String system(int call) {
    String text = model.prompts().get(call).getSystemMessage().getText();
    return text == null ? "" : text;
  }

  private List<MemoryRecord> memories(Scope scope) {
    return client.list(ListRequest.builder(scope).build()).items();
  }
}
