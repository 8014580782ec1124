package io.inmemory;

import java.util.Objects;

/**
 * One change of {@link MemoryClient#updateMany(java.util.List)}: the memory of a scope and what to change.
 * Immutable. The id's form is checked by the call, as an {@link BatchItemResult.Status#INVALID}
 * item.
 *
 * @param memoryId the memory to change
 * @param scope the scope that holds it
 * @param request what to change
 */
public record BatchUpdate(String memoryId, Scope scope, UpdateRequest request) {
  public BatchUpdate {
    Objects.requireNonNull(memoryId, "memoryId");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(request, "request");
  }
}
