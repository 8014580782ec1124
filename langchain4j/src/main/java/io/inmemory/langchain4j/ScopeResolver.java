package io.inmemory.langchain4j;

import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.invocation.InvocationParameters;
import io.inmemory.InvalidRequestException;
import io.inmemory.Scope;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Whose memories a LangChain4j invocation reads and writes: the {@link Scope} of a turn, from its
 * {@link InvocationContext}. Implementations must be thread-safe.
 *
 * @see #standard()
 */
@FunctionalInterface
public interface ScopeResolver {

  /** The {@code InvocationParameters} key naming the user. */
  String USER_ID = "inmemory.userId";

  /** The {@code InvocationParameters} key naming the agent. */
  String AGENT_ID = "inmemory.agentId";

  /** The {@code InvocationParameters} key naming the session. */
  String SESSION_ID = "inmemory.sessionId";

  /**
   * The scope of the invocation.
   *
   * @param context the invocation, or {@code null} when LangChain4j gives none (a query built
   *     without metadata)
   * @throws InvalidRequestException (field {@code scope}) when it cannot tell whose memories these
   *     are
   */
  Scope resolve(@Nullable InvocationContext context);

  /**
   * The default resolver. In order: {@code InvocationParameters} holding {@value #USER_ID} and/or
   * {@value #AGENT_ID} give those, with the session {@value #SESSION_ID}, else the chat memory id
   * as below; otherwise the chat memory id's text {@code "user/conversation"} is that user and that
   * conversation as session (hashed as the chat memory store hashes it when it is not a session
   * id), and a text without {@code /} is the user. No context, no chat memory id, or AiServices'
   * default id {@code "default"} without parameters is refused: one shared id would pool every
   * user's memories.
   */
  static ScopeResolver standard() {
    return ScopeResolver::standardScope;
  }

  /** Always {@code scope}: for single-user applications and tests. */
  static ScopeResolver fixed(Scope scope) {
    Objects.requireNonNull(scope, "scope");
    return context -> scope;
  }

  private static Scope standardScope(@Nullable InvocationContext context) {
    if (context == null) {
      throw unknown("the query carries no invocation");
    }
    Object chat = context.chatMemoryId();
    // AiServices' chat memory id when a method has no @MemoryId: shared by every caller
    boolean shared = chat == null || "default".equals(chat.toString());
    InvocationParameters parameters = context.invocationParameters();
    String user = text(parameters, USER_ID);
    String agent = text(parameters, AGENT_ID);
    if (user != null || agent != null) {
      String session = text(parameters, SESSION_ID);
      if (session == null && !shared) {
        String id = chat.toString();
        session = SessionKeys.of(id.substring(id.indexOf('/') + 1));
      }
      return new Scope(user, agent, session);
    }
    if (shared) {
      throw unknown("the chat memory id is " + (chat == null ? "missing" : "AiServices' default"));
    }
    String id = chat.toString();
    int slash = id.indexOf('/');
    return slash < 0 ? Scope.user(id)
        : new Scope(id.substring(0, slash), null, SessionKeys.of(id.substring(slash + 1)));
  }

  private static @Nullable String text(@Nullable InvocationParameters parameters, String key) {
    Object value = parameters == null ? null : parameters.get(key);
    return value == null ? null : value.toString();
  }

  private static InvalidRequestException unknown(String why) {
    return new InvalidRequestException("scope", "cannot tell whose memories these are (" + why
        + "): give the AI service method a @MemoryId \"user/conversation\" or an"
        + " InvocationParameters with " + USER_ID);
  }
}
