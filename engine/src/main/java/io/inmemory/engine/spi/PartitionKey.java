package io.inmemory.engine.spi;

import io.inmemory.Validation;
import java.util.Objects;

/**
 * Where a memory lives: a namespace (the local engine uses {@value #DEFAULT_NAMESPACE}; the server
 * uses one per project) and a user id. All data is scoped by both; nothing crosses partitions.
 *
 * @param namespace the namespace, non-blank
 * @param userId the user id, valid per {@link Validation#requireUserId(String)}
 */
public record PartitionKey(String namespace, String userId) {
  /** The namespace of the embedded engine. */
  public static final String DEFAULT_NAMESPACE = "default";

  public PartitionKey {
    Objects.requireNonNull(namespace, "namespace");
    if (namespace.isBlank()) {
      throw new IllegalArgumentException("namespace must not be blank");
    }
    Validation.requireUserId(userId);
  }
}
