package io.inmemory.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.invocation.InvocationParameters;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.service.AiServices;
import io.inmemory.AddRequest;
import io.inmemory.ContentTooLargeException;
import io.inmemory.ConversationRequest;
import io.inmemory.InvalidRequestException;
import io.inmemory.ListRequest;
import io.inmemory.Message;
import io.inmemory.MemoryRecord;
import io.inmemory.Role;
import io.inmemory.Scope;
import io.inmemory.engine.Memory;
import io.inmemory.engine.tck.HashingEmbedder;
import io.inmemory.store.file.FileMemoryStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recorder in real {@code AiServices} with a scripted chat model, on the local engine (hashing
 * embeddings: what is recorded, not what it means).
 */
class InMemoryConversationRecorderTest {

  /** A tool of the application, for the tool loop. */
  static final class Weather {
    @Tool("the weather in a city")
    String weather(@P(name = "city", value = "the city") String city) {
      return "sunny in " + city;
    }
  }

  /** Every failure the recorder reported. */
  record Failure(InvocationContext invocation, ConversationRequest request,
      RuntimeException error) {
  }

  @TempDir
  Path dir;

  private Memory client;
  private ScriptedChatModel model;
  private final List<Failure> failures = new CopyOnWriteArrayList<>();

  @BeforeEach
  void open() {
    client = Memory.builder().store(FileMemoryStore.open(dir)).embedder(new HashingEmbedder())
        .maxMemorySize(4096).build();
    model = new ScriptedChatModel();
  }

  @AfterEach
  void close() {
    client.close();
  }

  private InMemoryConversationRecorder.Builder recorder() {
    return InMemoryConversationRecorder.builder(client)
        .failureHandler((invocation, request, error) ->
            failures.add(new Failure(invocation, request, error)));
  }

  private <T> T assistant(Class<T> type, InMemoryConversationRecorder recorder) {
    return AiServices.builder(type).chatModel(model)
        .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(10))
        .registerListeners(recorder.listeners())
        .build();
  }

  private List<MemoryRecord> remembered(String user) {
    return client.list(ListRequest.builder(Scope.user(user)).limit(100).build()).items();
  }

  private List<String> contents(String user) {
    return remembered(user).stream().map(MemoryRecord::content).toList();
  }

  @Test
  void aTurnRecordsTheUsersMessageAndTheAnswerInTheConversationsSession() {
    model.answer("Noted, no peanuts.");
    Assistants.Chat assistant = assistant(Assistants.Chat.class, recorder().build());

    assertThat(assistant.chat("alice/c1", "I am allergic to peanuts"))
        .isEqualTo("Noted, no peanuts.");

    assertThat(remembered("alice")).hasSize(2).allSatisfy(memory -> {
      assertThat(memory.sessionId()).isEqualTo("c1");
      assertThat(memory.metadata().get(Message.ID_METADATA_KEY).toString())
          .matches("[0-9a-f-]{36}:(user|assistant)");
    });
    assertThat(remembered("alice")).extracting(MemoryRecord::role, MemoryRecord::content)
        .containsExactlyInAnyOrder(
            tuple(Role.USER, "I am allergic to peanuts"),
            tuple(Role.ASSISTANT, "Noted, no peanuts."));
    assertThat(failures).isEmpty();
  }

  @Test
  void theOriginalUserMessageIsRecordedNotTheOneRetrievalAugmented() {
    client.add(AddRequest.builder("alice likes green tea", Scope.user("alice")).build());
    model.answer("Green tea, then.");
    Assistants.Chat assistant = AiServices.builder(Assistants.Chat.class).chatModel(model)
        .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(10))
        .contentRetriever(InMemoryContentRetriever.builder(client).build())
        .registerListeners(recorder().build().listeners())
        .build();

    assistant.chat("alice/c2", "What should I drink?");

    // the model saw the recalled memory; ingestion got the question as the user asked it
    assertThat(model.lastUserText()).contains("alice likes green tea");
    assertThat(contents("alice")).containsExactlyInAnyOrder("alice likes green tea",
        "What should I drink?", "Green tea, then.");
  }

  @Test
  void aToolLoopRecordsTheQuestionAndTheFinalAnswerOnly() {
    model.callTool("weather", "{\"city\":\"Paris\"}").answer("It is sunny in Paris.");
    Assistants.Chat assistant = AiServices.builder(Assistants.Chat.class).chatModel(model)
        .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(10))
        .tools(new Weather())
        .registerListeners(recorder().build().listeners())
        .build();

    assertThat(assistant.chat("alice/c1", "Weather in Paris?")).isEqualTo("It is sunny in Paris.");

    assertThat(model.requests()).hasSize(2);
    assertThat(contents("alice")).containsExactlyInAnyOrder("Weather in Paris?",
        "It is sunny in Paris.");
  }

  @Test
  void aFailedTurnRecordsNothing() {
    model.fail(new IllegalStateException("model down"));
    Assistants.Chat assistant = assistant(Assistants.Chat.class, recorder().build());

    assertThatThrownBy(() -> assistant.chat("alice/c1", "I am allergic to peanuts"))
        .hasMessageContaining("model down");
    model.answer("Hello.");
    assistant.chat("alice/c1", "hi");

    assertThat(contents("alice")).containsExactlyInAnyOrder("hi", "Hello.");
    assertThat(failures).isEmpty();
  }

  @Test
  void anIngestionFailureKeepsTheAnswerAndReachesTheHandlerWithTheRequest() {
    model.answer("That is a long story.");
    Assistants.Chat assistant = assistant(Assistants.Chat.class, recorder().build());
    String tooLong = "word ".repeat(1000);

    assertThat(assistant.chat("alice/c1", tooLong)).isEqualTo("That is a long story.");

    assertThat(failures).singleElement().satisfies(failure -> {
      assertThat(failure.error()).isInstanceOf(ContentTooLargeException.class);
      assertThat(failure.request().scope()).isEqualTo(new Scope("alice", null, "c1"));
      assertThat(failure.request().messages()).extracting(Message::content)
          .containsExactly(tooLong, "That is a long story.");
      assertThat(failure.invocation().chatMemoryId()).isEqualTo("alice/c1");
    });
    assertThat(remembered("alice")).isEmpty();
  }

  @Test
  void anUnresolvableScopeKeepsTheAnswerAndReachesTheHandlerWithoutARequest() {
    model.answer("Hello.");
    Assistants.Shared assistant = assistant(Assistants.Shared.class, recorder().build());

    assertThat(assistant.chat("hi")).isEqualTo("Hello.");

    assertThat(failures).singleElement().satisfies(failure -> {
      assertThat(failure.request()).isNull();
      assertThat(failure.error()).isInstanceOfSatisfying(InvalidRequestException.class,
          e -> assertThat(e.violations().get(0).field()).isEqualTo("scope"));
    });
  }

  @Test
  void aMessageInMemoryRefusesReachesTheHandlerToo() {
    model.answer("Odd text.");
    Assistants.Chat assistant = assistant(Assistants.Chat.class, recorder().build());

    // an unpaired surrogate: Java takes it, InMemory's messages must be well-formed Unicode
    assertThat(assistant.chat("ivy/c1", "broken \uD800 text")).isEqualTo("Odd text.");

    assertThat(failures).singleElement().satisfies(failure -> {
      assertThat(failure.request()).isNull();
      assertThat(failure.error()).isInstanceOfSatisfying(InvalidRequestException.class,
          e -> assertThat(e.violations().get(0).field()).isEqualTo("content"));
    });
    assertThat(remembered("ivy")).isEmpty();
  }

  @Test
  void theDefaultHandlerLogsAWarningNamingTheTurnAndTheAnswerStillReturns() {
    model.answer("Hello.");
    Assistants.Shared assistant = assistant(Assistants.Shared.class,
        InMemoryConversationRecorder.of(client));
    // slf4j-simple writes to the System.err of the moment
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    String answer;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      answer = assistant.chat("hi");
    } finally {
      System.setErr(err);
    }

    assertThat(answer).isEqualTo("Hello.");
    assertThat(captured.toString(StandardCharsets.UTF_8)).contains("WARN")
        .contains("did not record the turn").contains("(chat memory id default)")
        .contains("InvalidRequestException");
  }

  @Test
  void invocationParametersNameTheUser() {
    model.answer("Hello Carol.");
    Assistants.WithParameters assistant =
        assistant(Assistants.WithParameters.class, recorder().build());
    InvocationParameters parameters = new InvocationParameters();
    parameters.put(ScopeResolver.USER_ID, "carol");
    parameters.put(ScopeResolver.SESSION_ID, "s9");

    assistant.chat("I am Carol", parameters);

    assertThat(remembered("carol")).extracting(MemoryRecord::sessionId).containsOnly("s9");
    assertThat(contents("carol")).containsExactlyInAnyOrder("I am Carol", "Hello Carol.");
  }

  @Test
  void aResultReturnTypeRecordsTheFinalResponse() {
    model.answer("Forty-two.");
    Assistants.ResultChat assistant = assistant(Assistants.ResultChat.class, recorder().build());

    assertThat(assistant.chat("bob/c1", "The answer?").content()).isEqualTo("Forty-two.");
    assertThat(contents("bob")).containsExactlyInAnyOrder("The answer?", "Forty-two.");
  }

  /** A streaming assistant, with the application's tools; the answer of one turn. */
  private String streamed(String chat, String text, Object... tools) throws Exception {
    Assistants.Streaming assistant = AiServices.builder(Assistants.Streaming.class)
        .streamingChatModel(model.streaming())
        .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(10))
        .tools(tools)
        .registerListeners(recorder().build().listeners())
        .build();
    CompletableFuture<String> done = new CompletableFuture<>();
    assistant.chat(chat, text).onPartialResponse(part -> { })
        .onCompleteResponse(response -> done.complete(response.aiMessage().text()))
        .onError(done::completeExceptionally)
        .start();
    return done.get(10, TimeUnit.SECONDS);
  }

  @Test
  void aStreamedTurnIsRecordedWhenItCompletes() throws Exception {
    model.answer("Streamed hello.");

    assertThat(streamed("dave/c1", "Hello?")).isEqualTo("Streamed hello.");
    assertThat(contents("dave")).containsExactlyInAnyOrder("Hello?", "Streamed hello.");
  }

  @Test
  void aStreamedToolLoopRecordsTheQuestionAndTheFinalAnswerOnly() throws Exception {
    model.callTool("weather", "{\"city\":\"Oslo\"}").answer("Sunny in Oslo.");

    assertThat(streamed("dave/c2", "Weather in Oslo?", new Weather())).isEqualTo("Sunny in Oslo.");
    assertThat(model.lastToolResults()).containsExactly("sunny in Oslo");
    assertThat(contents("dave")).containsExactlyInAnyOrder("Weather in Oslo?", "Sunny in Oslo.");
  }

  @Test
  void labelsAndRolesApplyToWhatIsRecorded() {
    model.answer("Noted.");
    Assistants.Chat assistant = assistant(Assistants.Chat.class, recorder().tags(List.of("Chat"))
        .topic("Small Talk").roles(Set.of(Role.USER)).build());

    assistant.chat("erin/c1", "I moved to Lyon");

    assertThat(remembered("erin")).singleElement().satisfies(memory -> {
      assertThat(memory.content()).isEqualTo("I moved to Lyon");
      assertThat(memory.tags()).containsExactly("chat");
      assertThat(memory.topic()).isEqualTo("small talk");
    });
  }

  @Test
  void badOptionsAreRefusedWhenBuilt() {
    assertThatThrownBy(() -> recorder().tags(List.of(" ")).build())
        .isInstanceOfSatisfying(InvalidRequestException.class,
            e -> assertThat(e.violations().get(0).field()).startsWith("tags"));
    assertThatThrownBy(() -> recorder().roles(Set.of()).build())
        .isInstanceOfSatisfying(InvalidRequestException.class,
            e -> assertThat(e.violations().get(0).field()).isEqualTo("roles"));
    assertThatThrownBy(() -> recorder().instructions(" ").build())
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void anExecutorDefersIngestionUntilItRuns() {
    List<Runnable> queued = new ArrayList<>();
    model.answer("Later.");
    Assistants.Chat assistant =
        assistant(Assistants.Chat.class, recorder().executor(queued::add).build());

    assertThat(assistant.chat("fay/c1", "Remember me")).isEqualTo("Later.");
    assertThat(remembered("fay")).isEmpty();

    assertThat(queued).hasSize(1);
    queued.forEach(Runnable::run);
    assertThat(contents("fay")).containsExactlyInAnyOrder("Remember me", "Later.");
  }

  @Test
  void aRejectingExecutorReachesTheHandler() {
    model.answer("Hello.");
    Assistants.Chat assistant = assistant(Assistants.Chat.class, recorder().executor(task -> {
      throw new java.util.concurrent.RejectedExecutionException("shut down");
    }).build());

    assertThat(assistant.chat("gus/c1", "hi")).isEqualTo("Hello.");
    assertThat(failures).singleElement().satisfies(failure ->
        assertThat(failure.error()).hasMessage("shut down"));
  }

  @Test
  void aHandlerThatThrowsStillLeavesTheAnswer() {
    model.answer("Hello.");
    Assistants.Shared assistant = assistant(Assistants.Shared.class,
        InMemoryConversationRecorder.builder(client).failureHandler((invocation, request, error) -> {
          throw new IllegalStateException("the handler failed too", error);
        }).build());

    assertThat(assistant.chat("hi")).isEqualTo("Hello.");
  }

  @Test
  void aBlankAnswerLeavesOnlyWhatTheUserSaid() {
    model.answer(" ");
    assistant(Assistants.Chat.class, recorder().build()).chat("hal/c1", "Say nothing");

    assertThat(contents("hal")).containsExactly("Say nothing");
  }

  @Test
  void concurrentTurnsOfManyUsersAreEachRecordedWithTheirOwnAnswer() throws Exception {
    int users = 8;
    int turns = 5;
    for (int i = 0; i < users * turns; i++) {
      // whichever turn asks, the answer names its question: a mix-up shows as a foreign answer
      model.answer(request -> "re: " + ((dev.langchain4j.data.message.UserMessage)
          request.messages().get(request.messages().size() - 1)).singleText());
    }
    Assistants.Chat assistant = AiServices.builder(Assistants.Chat.class).chatModel(model)
        .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(20))
        .registerListeners(recorder().build().listeners())
        .build();
    ExecutorService pool = Executors.newFixedThreadPool(users);
    CyclicBarrier together = new CyclicBarrier(users);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int u = 0; u < users; u++) {
        String user = "user" + u;
        done.add(pool.submit(() -> {
          for (int t = 0; t < turns; t++) {
            together.await();
            assistant.chat(user + "/c1", user + " question " + t);
          }
          return null;
        }));
      }
      for (Future<?> future : done) {
        future.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    for (int u = 0; u < users; u++) {
      List<String> expected = new ArrayList<>();
      for (int t = 0; t < turns; t++) {
        expected.add("user" + u + " question " + t);
        expected.add("re: user" + u + " question " + t);
      }
      assertThat(contents("user" + u)).containsExactlyInAnyOrderElementsOf(expected);
    }
    assertThat(failures).isEmpty();
  }
}
