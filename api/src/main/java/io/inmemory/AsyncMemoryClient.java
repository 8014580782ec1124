package io.inmemory;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

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
    return search(SearchRequest.builder(userId).query(query).build());
  }

  CompletableFuture<Page<MemoryRecord>> getAll(String userId, int limit, int offset);

  CompletableFuture<Optional<MemoryRecord>> get(String memoryId, String userId);

  CompletableFuture<MemoryRecord> update(String memoryId, String userId, UpdateRequest request);

  CompletableFuture<Boolean> delete(String memoryId, String userId);

  CompletableFuture<Long> deleteAll(String userId);

  CompletableFuture<SearchResult> temporalSearch(
      String temporalQuery, String userId, String semanticQuery, int limit);

  CompletableFuture<SearchResult> searchByTags(
      List<String> tags, String userId, String semanticQuery, boolean matchAll, int limit);

  CompletableFuture<SearchResult> searchByPeople(
      List<String> people, String userId, String semanticQuery, int limit);

  CompletableFuture<List<HistoryEntry>> history(String memoryId, String userId);

  CompletableFuture<UserStats> getUserStats(String userId);

  CompletableFuture<Health> healthCheck();

  /** Releases the client's resources; operations still running complete first. Idempotent. */
  @Override
  void close();
}
