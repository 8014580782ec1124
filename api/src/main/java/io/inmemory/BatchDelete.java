package io.inmemory;

import java.util.Objects;

/**
 * One deletion of {@link MemoryClient#deleteMany(java.util.List)}: the memory of a scope.
 * Immutable. The id's form is checked by the call, as an {@link BatchItemResult.Status#INVALID}
 * item.
 *
 * @param memoryId the memory to delete
 * @param scope the scope that holds it
 */
public record BatchDelete(String memoryId, Scope scope) {
  public BatchDelete {
    Objects.requireNonNull(memoryId, "memoryId");
    Objects.requireNonNull(scope, "scope");
  }
}
