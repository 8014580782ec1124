package io.inmemory.langchain4j;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.invocation.InvocationContext;
import io.inmemory.AddRequest;
import io.inmemory.AddResult;
import io.inmemory.EventType;
import io.inmemory.InvalidRequestException;
import io.inmemory.MemoryClient;
import io.inmemory.MemoryRecord;
import io.inmemory.Scope;
import io.inmemory.SearchHit;
import io.inmemory.SearchRequest;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Memory tools for agents that decide themselves what to remember: LangChain4j {@link Tool}s
 * {@code remember}, {@code recall} and {@code forget}, given to an AI service with
 * {@code AiServices.builder(...).tools(new InMemoryTools(client))}. Stateless and thread-safe.
 *
 * <p><b>Whose memories.</b> Every call's scope comes from the AI service invocation (the
 * {@link InvocationContext} LangChain4j injects, resolved by a {@link ScopeResolver}, by default
 * {@link ScopeResolver#standard()}: the chat memory id {@code "user/conversation"} or
 * {@code InvocationParameters}), never from the model's arguments: the tools' JSON schemas hold no
 * user, agent or session, and arguments the model adds are ignored, so a model cannot read, write
 * or delete another user's memories. The tools work on all the user's sessions (restricted to
 * the scope's agent when the resolver names one): {@code remember} records a fact about the user,
 * not about a conversation, so the same fact told in two conversations is remembered once.
 *
 * <p><b>Results and errors.</b> Each tool returns text written for the model. What the model got
 * wrong is answered as text, so it can correct itself, whatever the application's
 * {@code ToolExecutionErrorHandler}: an unknown or malformed memory id ({@code "No memory with id
 * …"}), a fact or query InMemory refuses ({@code "Not remembered: …"}, {@code "Cannot recall: …"}
 * with the {@link InvalidRequestException}'s message). What the application must see is thrown: an
 * unresolvable scope ({@link InvalidRequestException}, field {@code scope}), storage and transport
 * failures; LangChain4j's default handler then gives the message to the model as the tool result
 * (logged at WARN) and the turn goes on.
 *
 * <p>A tool's change is made, and as durable as the client's store makes it, when the tool
 * returns. Tool names are fixed; an application tool of the same name clashes (LangChain4j refuses
 * duplicate tool names when the AI service is built).
 */
public final class InMemoryTools {

  /** How many memories {@code recall} returns by default. */
  public static final int DEFAULT_RECALL_LIMIT = 5;

  private final MemoryClient client;
  private final ScopeResolver resolver;
  private final int recallLimit;

  /** Tools over {@code client}, with {@link ScopeResolver#standard()} and the default limit. */
  public InMemoryTools(MemoryClient client) {
    this(builder(client));
  }

  private InMemoryTools(Builder builder) {
    client = builder.client;
    resolver = builder.resolver;
    recallLimit = builder.recallLimit;
  }

  public static Builder builder(MemoryClient client) {
    return new Builder(client);
  }

  /** Saves a fact about the user; an equal fact already remembered is not saved twice. */
  @Tool(name = "remember", value = "Saves one durable fact about the user for future"
      + " conversations: a preference, a plan, a personal detail, a decision. Call it when the"
      + " user shares something worth knowing later. Write the fact as one self-contained sentence"
      + " in the third person (\"The user is allergic to peanuts.\"), without greetings or"
      + " questions.")
  public String remember(
      @P(name = "fact", value = "the fact, one self-contained sentence") @Nullable String fact,
      InvocationContext context) {
    Scope scope = userScope(context);
    try {
      AddResult result = client.add(AddRequest.builder(fact == null ? "" : fact, scope)
          .deduplicate(true).build());
      return (result.event() == EventType.NONE ? "Already remembered" : "Remembered")
          + " (id " + result.memory().id() + ").";
    } catch (InvalidRequestException e) {
      return "Not remembered: " + e.getMessage();
    }
  }

  /** The user's memories most relevant to a query, one per line, best first. */
  @Tool(name = "recall", value = "Searches what is remembered about the user, by meaning, across"
      + " all past conversations. Call it before answering when earlier facts about the user could"
      + " matter. Returns one memory per line as \"[id] text (date remembered)\", best match"
      + " first, or \"No memories match.\".")
  public String recall(
      @P(name = "query", value = "what to look for, in a few words or a question") @Nullable
      String query,
      InvocationContext context) {
    Scope scope = userScope(context);
    List<SearchHit> hits;
    try {
      hits = client.search(SearchRequest.builder(scope).query(query == null ? "" : query)
          .limit(recallLimit).build()).hits();
    } catch (InvalidRequestException e) {
      return "Cannot recall: " + e.getMessage();
    }
    if (hits.isEmpty()) {
      return "No memories match.";
    }
    return hits.stream().map(hit -> line(hit.memory())).collect(Collectors.joining("\n"));
  }

  /** Deletes one of the user's memories by the id {@code recall} showed. */
  @Tool(name = "forget", value = "Deletes one remembered fact about the user, by the id that"
      + " recall showed in brackets. Call it when the user asks to forget something or a fact is"
      + " no longer true (then remember the new fact).")
  public String forget(
      @P(name = "memoryId", value = "the id recall showed, without the brackets") @Nullable
      String memoryId,
      InvocationContext context) {
    Scope scope = userScope(context);
    boolean deleted;
    try {
      deleted = memoryId != null && client.delete(memoryId, scope);
    } catch (InvalidRequestException e) {
      // a malformed id names no memory of the user's, like an unknown one
      deleted = false;
    }
    return deleted ? "Forgot memory " + memoryId + "."
        : "No memory with id " + memoryId + " (use an id shown by recall).";
  }

  /**
   * The invocation's scope without its session: a fact is the user's, not a conversation's, and
   * de-duplication applies within the scope given.
   */
  private Scope userScope(InvocationContext context) {
    return resolver.resolve(context).withSession(null);
  }

  private static String line(MemoryRecord memory) {
    return "[" + memory.id() + "] " + memory.content() + " ("
        + memory.createdAt().atOffset(ZoneOffset.UTC).toLocalDate() + ")";
  }

  /** Builds {@link InMemoryTools}; not thread-safe. */
  public static final class Builder {
    private final MemoryClient client;
    private ScopeResolver resolver = ScopeResolver.standard();
    private int recallLimit = DEFAULT_RECALL_LIMIT;

    private Builder(MemoryClient client) {
      this.client = Objects.requireNonNull(client, "client");
    }

    /** Whose memories the tools see; default {@link ScopeResolver#standard()}. */
    public Builder scopeResolver(ScopeResolver resolver) {
      this.resolver = Objects.requireNonNull(resolver, "resolver");
      return this;
    }

    /** How many memories {@code recall} returns, 1 to {@link SearchRequest#MAX_LIMIT}. */
    public Builder recallLimit(int recallLimit) {
      this.recallLimit = InMemoryContentRetriever.searchLimit("recallLimit", recallLimit);
      return this;
    }

    public InMemoryTools build() {
      return new InMemoryTools(this);
    }
  }
}
