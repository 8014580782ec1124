package io.inmemory;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Long-term memory for one application: store what it learns about its users and recall it by
 * meaning, time, tag and person.
 *
 * <p>Two runtimes implement it, chosen by configuration alone ({@code inmemory.mode}): the
 * embedded engine ({@code local}) and the HTTP client of an InMemory server ({@code managed}).
 * Both pass the same contract suite and throw the same exceptions for the same mistakes. Obtain one
 * with {@link MemoryClients#create()}.
 *
 * <p><b>Users.</b> Every memory belongs to exactly one owner, a user id or (see below) an agent,
 * and every operation sees only that owner's memories. User ids are exact strings of 1 to 128
 * characters (letters, digits and {@code . _ @ : + -}, starting with a letter or digit); "Alice"
 * and "alice" are two users.
 *
 * <p><b>Users and agents.</b> An operation given a {@link Scope} sees the memories of its owner —
 * the user, or for {@link Scope#agent(String)} the agent's own memories, which no user's scope
 * sees — restricted to the scope's agent (with a user) and session when it names them. A scope
 * given is a scope applied: a memory id outside it is "not found", never a wider hit. A user's
 * memories that an agent recorded belong to the user, so a user's scope spans all their agents.
 *
 * <p><b>Errors.</b> Invalid input throws {@link InvalidRequestException} (listing every problem)
 * and changes nothing; unknown ids throw {@link NotFoundException} where a memory is required;
 * storage and transport failures throw {@link StorageException} and {@link TransportException}.
 * All are unchecked subclasses of {@link InMemoryException}.
 *
 * <p><b>Threads and durability.</b> Implementations are thread-safe. When a mutating call returns,
 * the change is visible to every later call on any thread; how durable it is depends on the store
 * (the volatile store keeps nothing after close).
 */
public interface MemoryClient extends AutoCloseable {

  /**
   * Stores a memory and returns it with its new id and timestamps ({@link EventType#ADD}). With
   * {@link AddRequest#deduplicate()}, a current memory of the request's scope whose text has the
   * same normal form (see {@link #add(ConversationRequest)}) is returned instead
   * ({@link EventType#NONE}) and nothing is stored; concurrent adds of one text store it once.
   * De-duplication sees what this client's runtime holds: engines of several processes sharing
   * one database each de-duplicate on their own.
   */
  AddResult add(AddRequest request);

  /** Stores plain text for a user. */
  default AddResult add(String content, String userId) {
    return add(AddRequest.of(content, userId));
  }

  /**
   * Stores several memories at once, embedding them in batches. All requests are validated before
   * anything is stored: one invalid request rejects the whole call. Results are in request order;
   * each request asking for de-duplication is checked as {@link #add(AddRequest)} does, also
   * against the memories added before it in the same call.
   */
  List<AddResult> addAll(List<AddRequest> requests);

  /** Searches one user's memories; see {@link SearchRequest} for ranking and filters. */
  SearchResult search(SearchRequest request);

  /** The {@link SearchRequest#DEFAULT_LIMIT} memories most relevant to {@code query}. */
  default SearchResult search(String query, String userId) {
    return search(query, userId, SearchRequest.DEFAULT_LIMIT);
  }

  /** The {@code limit} memories most relevant to {@code query}. */
  default SearchResult search(String query, String userId, int limit) {
    return search(SearchRequest.builder(userId).query(query).limit(limit).build());
  }

  /**
   * One page of a user's memories, newest first (equal creation times by id, ascending), so
   * pages are stable while nothing changes.
   *
   * @param limit page size, 1 to {@link SearchRequest#MAX_LIMIT}
   * @param offset how many memories to skip, not negative
   */
  default Page<MemoryRecord> getAll(String userId, int limit, int offset) {
    return list(ListRequest.builder(Scope.user(userId)).limit(limit).offset(offset).build());
  }

  /** A memory by id, or empty when the user has no memory with that id. */
  default Optional<MemoryRecord> get(String memoryId, String userId) {
    return get(memoryId, Scope.user(userId));
  }

  /**
   * Changes a memory and returns it as updated.
   *
   * @throws NotFoundException when the user has no memory with that id
   */
  default MemoryRecord update(String memoryId, String userId, UpdateRequest request) {
    return update(memoryId, Scope.user(userId), request);
  }

  /** Deletes a memory; returns whether it existed. Its history is kept. */
  default boolean delete(String memoryId, String userId) {
    return delete(memoryId, Scope.user(userId));
  }

  /**
   * Deletes every memory of a user, whatever agent or session recorded it, and returns how many
   * there were. Other users and agents' own memories are untouched.
   */
  default long deleteAll(String userId) {
    return deleteAll(Scope.user(userId));
  }

  /**
   * Memories created within a time phrase such as "yesterday" or "last week", resolved now in the
   * configured time zone. With a {@code semanticQuery}, ranked by relevance within the range;
   * without one ({@code null}), newest first.
   *
   * @throws InvalidRequestException when the phrase is not understood; the message names the
   *     word that failed and the closest supported forms (the README's "Time phrases" lists all)
   */
  default SearchResult temporalSearch(
      String temporalQuery, String userId, @Nullable String semanticQuery, int limit) {
    return search(SearchRequest.forTime(temporalQuery, userId, semanticQuery, limit));
  }

  /** Memories created within a time phrase, newest first. */
  default SearchResult temporalSearch(String temporalQuery, String userId) {
    return temporalSearch(temporalQuery, userId, null, SearchRequest.DEFAULT_LIMIT);
  }

  /**
   * Memories carrying all ({@code matchAll}) or any of the tags; ranked by {@code semanticQuery}
   * when given, newest first otherwise.
   */
  default SearchResult searchByTags(List<String> tags, String userId,
      @Nullable String semanticQuery, boolean matchAll, int limit) {
    return search(SearchRequest.forTags(tags, userId, semanticQuery, matchAll, limit));
  }

  /**
   * Memories mentioning any of the people (case-insensitive); ranked by {@code semanticQuery} when
   * given, newest first otherwise.
   */
  default SearchResult searchByPeople(
      List<String> people, String userId, @Nullable String semanticQuery, int limit) {
    return search(SearchRequest.forPeople(people, userId, semanticQuery, limit));
  }

  /**
   * Every recorded change of a memory, oldest first, including after it was deleted.
   *
   * @throws NotFoundException when the user never had a memory with that id
   */
  default List<HistoryEntry> history(String memoryId, String userId) {
    return history(memoryId, Scope.user(userId));
  }

  /**
   * Counts and time span of a user's memories; zero counts for an unknown user. People are counted
   * case-insensitively under the spelling of their earliest-created mention.
   */
  default UserStats getUserStats(String userId) {
    return stats(Scope.user(userId));
  }

  /**
   * Remembers a conversation: each message of the requested roles as a memory, or, with an
   * extractor configured, the facts a model finds in it, reconciled with what the scope already
   * holds. Memories whose normalized text the scope already holds are not added again (event
   * {@link EventType#NONE}); the normal form is Unicode NFKC, lower case, runs of whitespace as
   * one space, trimmed, trailing {@code . ! ? …} removed. All memories of a call are stored
   * together or not at all.
   *
   * @throws ExtractionException when extraction fails and the request does not ask to store the
   *     raw messages instead
   */
  ConversationResult add(ConversationRequest request);

  /** One page of a scope's memories; see {@link ListRequest}. */
  Page<MemoryRecord> list(ListRequest request);

  /** A memory by id, or empty when the scope holds no memory with that id. */
  Optional<MemoryRecord> get(String memoryId, Scope scope);

  /**
   * Changes a memory of a scope and returns it as updated.
   *
   * @throws NotFoundException when the scope holds no memory with that id
   */
  MemoryRecord update(String memoryId, Scope scope, UpdateRequest request);

  /** Deletes a memory of a scope; returns whether the scope held it. Its history is kept. */
  boolean delete(String memoryId, Scope scope);

  /**
   * Deletes every memory of a scope (superseded ones included; history kept) and returns how many
   * there were. Memories outside the scope are untouched.
   */
  long deleteAll(Scope scope);

  /**
   * Changes several memories, each as {@link #update(String, Scope, UpdateRequest)} would, with one
   * result per item in order: an item that is invalid, not found or fails does not stop the
   * others. The runtimes apply all items of one owner together (all or none of them on a storage
   * failure) and check the number of items against {@code inmemory.max-batch-size}; this default
   * applies them one by one.
   *
   * @throws InvalidRequestException when the list names a memory of one owner twice, or (the
   *     runtimes) holds more items than allowed; nothing is changed
   */
  default List<BatchItemResult> updateMany(List<BatchUpdate> updates) {
    return Batches.each(updates, BatchUpdate::memoryId, BatchUpdate::scope,
        item -> BatchItemResult.updated(update(item.memoryId(), item.scope(), item.request())));
  }

  /**
   * Deletes several memories, each as {@link #delete(String, Scope)} would (a memory the scope
   * does not hold is {@link BatchItemResult.Status#NOT_FOUND}), with one result per item in order;
   * atomicity and limits as {@link #updateMany(List)}.
   *
   * @throws InvalidRequestException when the list names a memory of one owner twice, or (the
   *     runtimes) holds more items than allowed; nothing is deleted
   */
  default List<BatchItemResult> deleteMany(List<BatchDelete> deletes) {
    return Batches.each(deletes, BatchDelete::memoryId, BatchDelete::scope,
        item -> Batches.deleted(item, delete(item.memoryId(), item.scope())));
  }

  /**
   * Every recorded change of a memory of a scope, oldest first, including after it was deleted.
   *
   * @throws NotFoundException when the scope never held a memory with that id
   */
  List<HistoryEntry> history(String memoryId, Scope scope);

  /** Counts and time span of a scope's memories; see {@link UserStats}. */
  UserStats stats(Scope scope);

  /** Probes the store and the embedder (or the server) and reports each; never throws for DOWN. */
  Health healthCheck();

  /** Releases the client's resources. Idempotent; later calls throw {@link IllegalStateException}. */
  @Override
  void close();
}
