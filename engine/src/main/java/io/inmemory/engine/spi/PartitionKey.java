package io.inmemory.engine.spi;

import io.inmemory.Scope;
import io.inmemory.Validation;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where a memory lives: a namespace (the local engine uses {@value #DEFAULT_NAMESPACE}; the server
 * uses one per project) and an owner. All data is scoped by both; nothing crosses partitions.
 * Immutable.
 *
 * <p>The owner is a user id, or {@value #AGENT_PREFIX} followed by an agent id for an agent's own
 * memories. A user id starts with a letter or digit, so the two never collide (user {@code bot}
 * and agent {@code bot} are two partitions), and an agent owner ({@code 1 + 100} characters) fits
 * wherever a user id (128) did: stores write the owner where they wrote the user id. A user's
 * memories that name an agent live in the user's partition.
 *
 * @param namespace the namespace, non-blank
 * @param owner the user id, valid per {@link Validation#requireUserId(String)}, or
 *     {@value #AGENT_PREFIX} and an agent id valid per {@link Scope}
 */
public record PartitionKey(String namespace, String owner) {
  /** The namespace of the embedded engine. */
  public static final String DEFAULT_NAMESPACE = "default";
  /** What starts the owner of an agent's own partition. */
  public static final String AGENT_PREFIX = "~";

  public PartitionKey {
    Objects.requireNonNull(namespace, "namespace");
    if (namespace.isBlank()) {
      throw new IllegalArgumentException("namespace must not be blank");
    }
    if (owner != null && owner.startsWith(AGENT_PREFIX)) {
      Scope.agent(owner.substring(AGENT_PREFIX.length()));
    } else {
      Validation.requireUserId(owner);
    }
  }

  /** A user's partition. */
  public static PartitionKey user(String namespace, String userId) {
    return new PartitionKey(namespace, userId);
  }

  /** An agent's own partition. */
  public static PartitionKey agent(String namespace, String agentId) {
    return new PartitionKey(namespace, AGENT_PREFIX + agentId);
  }

  /**
   * The partition of a memory of {@code userId} or, when it is {@code null}, of the agent's own.
   */
  public static PartitionKey of(String namespace, @Nullable String userId,
      @Nullable String agentId) {
    return new PartitionKey(namespace, owner(userId, agentId));
  }

  /**
   * The owner as messages name it: {@code user alice}, or {@code agent bot} for an agent's own
   * memories.
   */
  public String ownerDescription() {
    String agentId = agentId();
    return agentId != null ? "agent " + agentId : "user " + owner;
  }

  /** The user whose partition this is, or {@code null} for an agent's own. */
  public @Nullable String userId() {
    return owner.startsWith(AGENT_PREFIX) ? null : owner;
  }

  /** The agent whose own partition this is, or {@code null} for a user's. */
  public @Nullable String agentId() {
    return owner.startsWith(AGENT_PREFIX) ? owner.substring(AGENT_PREFIX.length()) : null;
  }

  /** The owner string of a memory of {@code userId}, else of the agent's own. */
  static String owner(@Nullable String userId, @Nullable String agentId) {
    if (userId != null) {
      return userId;
    }
    if (agentId == null) {
      throw new IllegalArgumentException("a partition needs a user id or an agent id");
    }
    return AGENT_PREFIX + agentId;
  }
}
