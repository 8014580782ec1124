package io.inmemory.langchain4j;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.observability.api.event.AiServiceCompletedEvent;
import dev.langchain4j.observability.api.event.AiServiceErrorEvent;
import dev.langchain4j.observability.api.event.AiServiceResponseReceivedEvent;
import dev.langchain4j.observability.api.event.AiServiceStartedEvent;
import dev.langchain4j.observability.api.listener.AiServiceCompletedListener;
import dev.langchain4j.observability.api.listener.AiServiceErrorListener;
import dev.langchain4j.observability.api.listener.AiServiceListener;
import dev.langchain4j.observability.api.listener.AiServiceResponseReceivedListener;
import dev.langchain4j.observability.api.listener.AiServiceStartedListener;
import io.inmemory.ConversationRequest;
import io.inmemory.MemoryClient;
import io.inmemory.Message;
import io.inmemory.Role;
import io.inmemory.Scope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.WeakHashMap;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes long-term memory as an {@code AiServices} conversation goes: after each turn, the user's
 * message and the assistant's final answer are handed to InMemory's conversation ingestion
 * ({@link MemoryClient#add(ConversationRequest)}), in the scope a {@link ScopeResolver} gives the
 * turn (default {@link ScopeResolver#standard()}: the chat memory id {@code "user/conversation"}).
 * With an extractor configured the runtime turns the exchange into facts; without one each
 * message is remembered as it is. Register it with
 * {@code AiServices.builder(Assistant.class)...registerListeners(recorder.listeners())}.
 *
 * <p>What is recorded: the user message as the AI service method gave it, <em>before</em>
 * retrieval augmentation (recalled memories added to the prompt are never fed back into
 * ingestion), its text contents joined by new lines; and the answer the caller got (a
 * {@code String}, {@code AiMessage} or {@code ChatResponse} result, else the last model response
 * that requested no tool). Tool calls, tool results and intermediate responses are not recorded;
 * a side without text is left out, a turn without text records nothing, and a turn that failed
 * records nothing. The messages carry the ids {@code <invocation id>:user} and
 * {@code <invocation id>:assistant} (metadata {@value Message#ID_METADATA_KEY}), so a turn
 * ingested twice is recognisable, and the user message the invocation's timestamp.
 *
 * <p>Failures never cost the caller the answer: LangChain4j 1.19 logs and swallows a listener's
 * exception (its AI services build their listener registrar with
 * {@code shouldThrowExceptionOnEventError(false)}), so a "fail the call" mode cannot be offered
 * through its listener idiom. Instead every failure to record a turn (unresolvable scope, invalid
 * request, the client's {@code InMemoryException}s, a rejected executor task) is handed to the
 * {@link FailureHandler}; the default logs it at WARN on {@code io.inmemory.langchain4j}, naming
 * the invocation and chat memory id. An application counts, alerts or re-queues there (the failed
 * request is given when one was built).
 *
 * <p>When: by default ingestion runs in the AI service call, after the answer is final and before
 * the method returns, so when it returns the turn is as durable as the client's store makes it and
 * a later call sees it. With {@link Builder#executor} it runs there
 * instead: the call returns without waiting, and turns queued on the executor are lost if the
 * process dies first; the executor is the application's, and shutting it down and awaiting its
 * termination is the flush.
 *
 * <p>Thread-safe: one recorder may serve many AI services and concurrent invocations. A turn in
 * flight is held, weakly, by its invocation id between the started and the completed event: one
 * whose invocation never ends (a {@code TokenStream} never started) is released with it.
 *
 * <p>LangChain4j's AI service listeners are {@code @Experimental} in 1.19; this class is where a
 * change of theirs would land.
 */
public final class InMemoryConversationRecorder {

  private static final Logger LOG = LoggerFactory.getLogger(InMemoryConversationRecorder.class);

  /**
   * What the application does with a turn that could not be recorded. Called on the thread that
   * recorded it (the AI service's, or the executor's); an exception it throws is logged and
   * swallowed by LangChain4j (or by the executor).
   */
  @FunctionalInterface
  public interface FailureHandler {
    /**
     * @param invocation the AI service invocation whose turn was not recorded
     * @param request the request that failed, or {@code null} when none could be built (the scope
     *     could not be resolved, or the messages were invalid)
     * @param error why
     */
    void failed(InvocationContext invocation, @Nullable ConversationRequest request,
        RuntimeException error);
  }

  /** What a turn has said so far; the answer is set by the thread a response arrives on. */
  private static final class Turn {
    final UserMessage user;
    volatile @Nullable String answer;

    Turn(UserMessage user) {
      this.user = user;
    }
  }

  private final MemoryClient client;
  private final ScopeResolver resolver;
  // the options every turn's request copies; its placeholder messages and scope are never sent
  private final ConversationRequest options;
  private final Executor executor;
  private final FailureHandler failureHandler;
  // weak keys: the invocation's own UUID instance, shared by every event of the invocation
  private final Map<UUID, Turn> pending = Collections.synchronizedMap(new WeakHashMap<>());
  private final List<AiServiceListener<?>> listeners;

  private InMemoryConversationRecorder(Builder builder) {
    client = builder.client;
    resolver = builder.resolver;
    // built, so checked, here: a mistake in the options fails the build, not each turn
    options = builder.options.build();
    executor = builder.executor;
    failureHandler = builder.failureHandler;
    listeners = List.of(
        (AiServiceStartedListener) this::started,
        (AiServiceResponseReceivedListener) this::responded,
        (AiServiceCompletedListener) this::completed,
        (AiServiceErrorListener) this::failed);
  }

  /** A recorder writing to {@code client}, which it does not close. */
  public static Builder builder(MemoryClient client) {
    return new Builder(client);
  }

  /** A recorder with the defaults: standard scope resolution, in-call ingestion, WARN on failure. */
  public static InMemoryConversationRecorder of(MemoryClient client) {
    return builder(client).build();
  }

  /**
   * The listeners to give {@code AiServices.registerListeners}: they observe the started,
   * response-received, completed and error events of each invocation. The same list every call.
   */
  public List<AiServiceListener<?>> listeners() {
    return listeners;
  }

  private void started(AiServiceStartedEvent event) {
    pending.put(event.invocationContext().invocationId(), new Turn(event.userMessage()));
  }

  private void responded(AiServiceResponseReceivedEvent event) {
    Turn turn = pending.get(event.invocationContext().invocationId());
    AiMessage message = event.response().aiMessage();
    // a response requesting tools is a step of the tool loop, not the answer
    if (turn != null && message != null && !message.hasToolExecutionRequests()
        && message.text() != null) {
      turn.answer = message.text();
    }
  }

  private void failed(AiServiceErrorEvent event) {
    pending.remove(event.invocationContext().invocationId());
  }

  private void completed(AiServiceCompletedEvent event) {
    InvocationContext invocation = event.invocationContext();
    Turn turn = pending.remove(invocation.invocationId());
    if (turn == null) {
      return;
    }
    String answer = answer(event.result().orElse(null), turn.answer);
    Instant answered = Instant.now();
    try {
      executor.execute(() -> ingest(invocation, turn.user, answer, answered));
    } catch (RuntimeException e) {
      failureHandler.failed(invocation, null, e);
    }
  }

  private void ingest(InvocationContext invocation, UserMessage user, @Nullable String answer,
      Instant answered) {
    ConversationRequest request = null;
    try {
      // built here, inside the failure handling: a message InMemory refuses (a blank name, text
      // that is not well-formed Unicode) is a failure to record like any other
      List<Message> messages = new ArrayList<>(2);
      String id = invocation.invocationId().toString();
      String said = text(user);
      if (!said.isBlank()) {
        messages.add(Message.user(said).withName(user.name()).withId(id + ":user")
            .withTimestamp(invocation.timestamp()));
      }
      if (answer != null && !answer.isBlank()) {
        messages.add(Message.assistant(answer).withId(id + ":assistant")
            .withTimestamp(answered));
      }
      if (messages.isEmpty()) {
        return;
      }
      request = request(messages, resolver.resolve(invocation));
      client.add(request);
    } catch (RuntimeException e) {
      failureHandler.failed(invocation, request, e);
    }
  }

  private ConversationRequest request(List<Message> messages, Scope scope) {
    return new ConversationRequest(messages, scope, options.tags(), options.topic(),
        options.metadata(), options.roles(), options.infer(), options.instructions(),
        options.storeRawOnFailure(), options.zone());
  }

  private static @Nullable String answer(@Nullable Object result, @Nullable String lastResponse) {
    if (result instanceof String text) {
      return text;
    }
    if (result instanceof AiMessage message) {
      return message.text();
    }
    if (result instanceof ChatResponse response && response.aiMessage() != null) {
      return response.aiMessage().text();
    }
    return lastResponse;
  }

  private static String text(UserMessage message) {
    return message.contents().stream()
        .filter(TextContent.class::isInstance)
        .map(content -> ((TextContent) content).text())
        .collect(Collectors.joining("\n"));
  }

  private static void warn(InvocationContext invocation, @Nullable ConversationRequest request,
      RuntimeException error) {
    LOG.warn("InMemory did not record the turn of AI service invocation {} (chat memory id {}):"
        + " {}", invocation.invocationId(), invocation.chatMemoryId(), error.toString(), error);
  }

  /** Builds an {@link InMemoryConversationRecorder}; not thread-safe. */
  public static final class Builder {
    private final MemoryClient client;
    private ScopeResolver resolver = ScopeResolver.standard();
    private final ConversationRequest.Builder options =
        ConversationRequest.builder(Scope.user("options")).messages(Message.user("options"));
    private Executor executor = Runnable::run;
    private FailureHandler failureHandler = InMemoryConversationRecorder::warn;

    private Builder(MemoryClient client) {
      this.client = Objects.requireNonNull(client, "client");
    }

    /** Whose memories a turn makes; default {@link ScopeResolver#standard()}. */
    public Builder scopeResolver(ScopeResolver resolver) {
      this.resolver = Objects.requireNonNull(resolver, "resolver");
      return this;
    }

    /** Tags given to every memory made; default none. */
    public Builder tags(List<String> tags) {
      options.tags(List.copyOf(tags));
      return this;
    }

    /** A topic for every memory made, or {@code null} (the default) for none. */
    public Builder topic(@Nullable String topic) {
      options.topic(topic);
      return this;
    }

    /**
     * Whose messages are remembered: {@link Role#USER}, {@link Role#ASSISTANT} or both (the
     * default, {@link ConversationRequest#DEFAULT_ROLES}).
     */
    public Builder roles(Set<Role> roles) {
      options.roles(Set.copyOf(roles));
      return this;
    }

    /**
     * Whether to extract facts; default {@code null}: when an extractor is configured. See
     * {@link ConversationRequest#infer()}.
     */
    public Builder infer(@Nullable Boolean infer) {
      options.infer(infer);
      return this;
    }

    /** Instructions for the extraction model, or {@code null} (the default). */
    public Builder instructions(@Nullable String instructions) {
      options.instructions(instructions);
      return this;
    }

    /**
     * Where ingestion runs; default the AI service's own thread, in the call. The executor is the
     * application's to shut down; turns queued on it are lost if the process dies first.
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** What to do with a turn that could not be recorded; default: log it at WARN. */
    public Builder failureHandler(FailureHandler failureHandler) {
      this.failureHandler = Objects.requireNonNull(failureHandler, "failureHandler");
      return this;
    }

    /**
     * The recorder.
     *
     * @throws io.inmemory.InvalidRequestException for malformed tags, topic, roles or blank
     *     instructions
     */
    public InMemoryConversationRecorder build() {
      return new InMemoryConversationRecorder(this);
    }
  }
}
