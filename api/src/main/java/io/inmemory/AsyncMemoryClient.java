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

  CompletableFuture<Page<MemoryRecord>> getAll(String userId, int limit, int offset);

  CompletableFuture<Optional<MemoryRecord>> get(String memoryId, String userId);

  CompletableFuture<MemoryRecord> update(String memoryId, String userId, UpdateRequest request);

  CompletableFuture<Boolean> delete(String memoryId, String userId);

  CompletableFuture<Long> deleteAll(String userId);

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

  CompletableFuture<List<HistoryEntry>> history(String memoryId, String userId);

  CompletableFuture<UserStats> getUserStats(String userId);

  default CompletableFuture<ConversationResult> add(ConversationRequest request) {
    throw notYet();
  }

  default CompletableFuture<Page<MemoryRecord>> list(ListRequest request) {
    throw notYet();
  }

  default CompletableFuture<Optional<MemoryRecord>> get(String memoryId, Scope scope) {
    throw notYet();
  }

  default CompletableFuture<MemoryRecord> update(String memoryId, Scope scope, UpdateRequest request) {
    throw notYet();
  }

  default CompletableFuture<Boolean> delete(String memoryId, Scope scope) {
    throw notYet();
  }

  default CompletableFuture<Long> deleteAll(Scope scope) {
    throw notYet();
  }

  default CompletableFuture<List<HistoryEntry>> history(String memoryId, Scope scope) {
    throw notYet();
  }

  default CompletableFuture<UserStats> stats(Scope scope) {
    throw notYet();
  }

  CompletableFuture<Health> healthCheck();

  /**
   * Releases the client's resources; operations still running complete first. Idempotent; later
   * calls fail with {@link IllegalStateException}.
   */
  @Override
  void close();

  /**
   * Until the runtimes implement the operations of issue 13 (scopes, conversations, listings by
   * filter), each throws this, so that clients written against issue 12's interface keep
   * compiling meanwhile.
   */
  private static UnsupportedOperationException notYet() {
    return new UnsupportedOperationException("issue 13: not yet");
  }
}
