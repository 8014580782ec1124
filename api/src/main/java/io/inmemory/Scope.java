package io.inmemory;

import org.jspecify.annotations.Nullable;

/**
 * Who a memory belongs to and where it came from: a user, an agent, or an agent acting for a
 * user, optionally within one session. Immutable and thread-safe.
 *
 * <p>The owner — the userId, else the agentId — selects the memories an operation sees; a given
 * agentId (with a user) or sessionId further restricts them to memories recording that agent or
 * session. A scope given is a scope applied: an id outside it is "not found", never a wider hit.
 * A user and an agent of the same name are two distinct owners.
 *
 * <p>The constructor throws {@link InvalidRequestException} listing every problem: neither userId
 * nor agentId (field {@code scope}, and {@code userId} "is required" as before agents); a userId
 * not of the form {@link MemoryClient} describes; an agentId or sessionId that is empty, over 100
 * characters, or outside the user-id charset.
 *
 * @param userId the user, or {@code null} for an agent's own memories
 * @param agentId the agent; with a user, the agent acting for them; {@code null} for none
 * @param sessionId the session (conversation, run), or {@code null} for every session
 */
public record Scope(@Nullable String userId, @Nullable String agentId, @Nullable String sessionId) {

  public Scope {
    Values values = Values.forRequest();
    values.scope(userId, agentId, sessionId);
    values.throwIfAny();
  }

  /** All memories of one user, whatever agent or session recorded them. */
  public static Scope user(String userId) {
    return new Scope(userId, null, null);
  }

  /** An agent's own memories, not tied to any user. */
  public static Scope agent(String agentId) {
    return new Scope(null, agentId, null);
  }

  /** This scope restricted to (or, with {@code null}, widened from) one agent. */
  public Scope withAgent(@Nullable String agentId) {
    return new Scope(userId, agentId, sessionId);
  }

  /** This scope restricted to (or, with {@code null}, widened from) one session. */
  public Scope withSession(@Nullable String sessionId) {
    return new Scope(userId, agentId, sessionId);
  }

  /** Whether this scope names an agent's own memories ({@code userId} is {@code null}). */
  public boolean agentOwn() {
    return userId == null;
  }
}
