package io.inmemory;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a batch change did with one item. Immutable.
 *
 * @param memoryId the item's memory id
 * @param status what happened
 * @param memory the memory as updated, for {@link Status#UPDATED}; {@code null} otherwise
 * @param error why the item failed, the exception the single call would have thrown, for
 *     {@link Status#NOT_FOUND}, {@link Status#INVALID} and {@link Status#FAILED}; {@code null}
 *     otherwise
 */
public record BatchItemResult(String memoryId, Status status, @Nullable MemoryRecord memory,
    @Nullable InMemoryException error) {

  public BatchItemResult {
    Objects.requireNonNull(memoryId, "memoryId");
    Objects.requireNonNull(status, "status");
    if ((status == Status.UPDATED) != (memory != null)) {
      throw new IllegalArgumentException("a memory goes with UPDATED only, not " + status);
    }
    if (status.succeeded() != (error == null)) {
      throw new IllegalArgumentException(status + (status.succeeded()
          ? " has no error" : " needs an error"));
    }
  }

  /** An updated memory. */
  public static BatchItemResult updated(MemoryRecord memory) {
    return new BatchItemResult(memory.id(), Status.UPDATED, memory, null);
  }

  /** A deleted memory. */
  public static BatchItemResult deleted(String memoryId) {
    return new BatchItemResult(memoryId, Status.DELETED, null, null);
  }

  /** A failed item; the status follows the exception's type. */
  public static BatchItemResult failed(String memoryId, InMemoryException error) {
    Status status = error instanceof NotFoundException ? Status.NOT_FOUND
        : error instanceof InvalidRequestException ? Status.INVALID : Status.FAILED;
    return new BatchItemResult(memoryId, status, null, error);
  }

  /** Whether the item was applied. */
  public boolean succeeded() {
    return status.succeeded();
  }

  /** What a batch change did with one item. */
  public enum Status {
    UPDATED,
    DELETED,
    /** The scope holds no memory with the id. */
    NOT_FOUND,
    /** The item breaks a rule or limit; nothing changed for it. */
    INVALID,
    /** The store failed; nothing changed for it (nor for the other items of its owner). */
    FAILED;

    /** Whether an item of this status was applied. */
    public boolean succeeded() {
      return this == UPDATED || this == DELETED;
    }
  }
}
