package io.inmemory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * The batch changes of clients that have no batch of their own: item after item, each failure
 * kept as that item's result. Stateless and thread-safe.
 */
final class Batches {
  private Batches() {}

  /** Applies {@code change} to each item in order; a failed item does not stop the others. */
  static <T> List<BatchItemResult> each(List<T> items, Function<? super T, String> memoryId,
      Function<? super T, Scope> scope, Function<? super T, BatchItemResult> change) {
    Validation.requireDistinct(items, memoryId, scope);
    List<BatchItemResult> results = new ArrayList<>(items.size());
    for (T item : items) {
      try {
        results.add(change.apply(item));
      } catch (InMemoryException e) {
        results.add(BatchItemResult.failed(memoryId.apply(item), e));
      }
    }
    return results;
  }

  /** As {@link #each}, one item's future after the other's. */
  static <T> CompletableFuture<List<BatchItemResult>> eachAsync(List<T> items,
      Function<? super T, String> memoryId, Function<? super T, Scope> scope,
      Function<? super T, CompletableFuture<BatchItemResult>> change) {
    try {
      Validation.requireDistinct(items, memoryId, scope);
    } catch (InvalidRequestException e) {
      return CompletableFuture.failedFuture(e);
    }
    List<BatchItemResult> results = new ArrayList<>(items.size());
    CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
    for (T item : items) {
      chain = chain.thenCompose(ignored -> change.apply(item)
          .handle((result, failure) -> {
            Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
            if (cause == null) {
              results.add(result);
            } else if (cause instanceof InMemoryException e) {
              results.add(BatchItemResult.failed(memoryId.apply(item), e));
            } else {
              throw new CompletionException(cause);
            }
            return null;
          }));
    }
    return chain.thenApply(ignored -> List.copyOf(results));
  }

  /** A deletion's result: deleted, or not found in its scope. */
  static BatchItemResult deleted(BatchDelete item, boolean existed) {
    return existed ? BatchItemResult.deleted(item.memoryId())
        : BatchItemResult.failed(item.memoryId(),
            NotFoundException.memory(item.memoryId(), item.scope()));
  }
}
