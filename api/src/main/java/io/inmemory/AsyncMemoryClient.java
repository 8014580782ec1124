package io.inmemory;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The asynchronous twin of {@link MemoryClient}: every operation, with the same arguments,
 * semantics and exceptions, returning a {@link CompletableFuture}. Failures complete the future
 * exceptionally with the {@link InMemoryException} the synchronous client would throw (invalid
 * arguments may also fail the future rather than throw). Thread-safe. Obtain one with
 * {@link MemoryClients#createAsync()}.
 */
public interface AsyncMemoryClient extends AutoCloseable {

  CompletableFuture<AddResult> add(AddRequest request);

  default CompletableFuture<AddResult> add(String content, String userId) {
    return add(AddRequest.of(content, userId));
  }

  CompletableFuture<List<AddResult>> addAll(List<AddRequest> requests);

  CompletableFuture<SearchResult> search(SearchRequest request);

  default CompletableFuture<SearchResult> search(String query, String userId) {
    return search(query, userId, SearchRequest.DEFAULT_LIMIT);
  }

  default CompletableFuture<SearchResult> search(String query, String userId, int limit) {
    return search(SearchRequest.builder(userId).query(query).limit(limit).build());
  }

  default CompletableFuture<Page<MemoryRecord>> getAll(String userId, int limit, int offset) {
    return list(ListRequest.builder(Scope.user(userId)).limit(limit).offset(offset).build());
  }

  default CompletableFuture<Optional<MemoryRecord>> get(String memoryId, String userId) {
    return get(memoryId, Scope.user(userId));
  }

  default CompletableFuture<MemoryRecord> update(String memoryId, String userId,
      UpdateRequest request) {
    return update(memoryId, Scope.user(userId), request);
  }

  default CompletableFuture<Boolean> delete(String memoryId, String userId) {
    return delete(memoryId, Scope.user(userId));
  }

  default CompletableFuture<Long> deleteAll(String userId) {
    return deleteAll(Scope.user(userId));
  }

  default CompletableFuture<SearchResult> temporalSearch(
      String temporalQuery, String userId, @Nullable String semanticQuery, int limit) {
    return search(SearchRequest.forTime(temporalQuery, userId, semanticQuery, limit));
  }

  default CompletableFuture<SearchResult> temporalSearch(String temporalQuery, String userId) {
    return temporalSearch(temporalQuery, userId, null, SearchRequest.DEFAULT_LIMIT);
  }

  default CompletableFuture<SearchResult> searchByTags(List<String> tags, String userId,
      @Nullable String semanticQuery, boolean matchAll, int limit) {
    return search(SearchRequest.forTags(tags, userId, semanticQuery, matchAll, limit));
  }

  default CompletableFuture<SearchResult> searchByPeople(
      List<String> people, String userId, @Nullable String semanticQuery, int limit) {
    return search(SearchRequest.forPeople(people, userId, semanticQuery, limit));
  }

  default CompletableFuture<List<HistoryEntry>> history(String memoryId, String userId) {
    return history(memoryId, Scope.user(userId));
  }

  default CompletableFuture<UserStats> getUserStats(String userId) {
    return stats(Scope.user(userId));
  }

  CompletableFuture<ConversationResult> add(ConversationRequest request);

  CompletableFuture<Page<MemoryRecord>> list(ListRequest request);

  CompletableFuture<Optional<MemoryRecord>> get(String memoryId, Scope scope);

  CompletableFuture<MemoryRecord> update(String memoryId, Scope scope, UpdateRequest request);

  CompletableFuture<Boolean> delete(String memoryId, Scope scope);

  CompletableFuture<Long> deleteAll(Scope scope);

  /** As {@link MemoryClient#updateMany(List)}; this default applies the items one by one. */
  default CompletableFuture<List<BatchItemResult>> updateMany(List<BatchUpdate> updates) {
    return Batches.eachAsync(updates, BatchUpdate::memoryId, BatchUpdate::scope,
        item -> update(item.memoryId(), item.scope(), item.request())
            .thenApply(BatchItemResult::updated));
  }

  /** As {@link MemoryClient#deleteMany(List)}; this default applies the items one by one. */
  default CompletableFuture<List<BatchItemResult>> deleteMany(List<BatchDelete> deletes) {
    return Batches.eachAsync(deletes, BatchDelete::memoryId, BatchDelete::scope,
        item -> delete(item.memoryId(), item.scope())
            .thenApply(existed -> Batches.deleted(item, existed)));
  }

  CompletableFuture<List<HistoryEntry>> history(String memoryId, Scope scope);

  CompletableFuture<UserStats> stats(Scope scope);

  CompletableFuture<Health> healthCheck();

  /**
   * Releases the client's resources; operations still running complete first. Idempotent; later
   * calls fail with {@link IllegalStateException}.
   */
  @Override
  void close();
}
