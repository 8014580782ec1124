package io.inmemory.transport.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.inmemory.AddRequest;
import io.inmemory.AddResult;
import io.inmemory.AsyncMemoryClient;
import io.inmemory.BatchDelete;
import io.inmemory.BatchItemResult;
import io.inmemory.BatchUpdate;
import io.inmemory.ConversationRequest;
import io.inmemory.ConversationResult;
import io.inmemory.Health;
import io.inmemory.HistoryEntry;
import io.inmemory.InMemoryException;
import io.inmemory.ListRequest;
import io.inmemory.MemoryRecord;
import io.inmemory.NotFoundException;
import io.inmemory.Page;
import io.inmemory.Scope;
import io.inmemory.SearchRequest;
import io.inmemory.SearchResult;
import io.inmemory.TransportException;
import io.inmemory.UpdateRequest;
import io.inmemory.UserStats;
import io.inmemory.Validation;
import io.inmemory.wire.BatchJson;
import io.inmemory.wire.Member;
import io.inmemory.wire.MemoryJson;
import io.inmemory.wire.RequestJson;
import io.inmemory.wire.ResultJson;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The asynchronous client of an InMemory server: every {@link AsyncMemoryClient} operation as one
 * non-blocking HTTP exchange ({@code HttpClient.sendAsync}); retries are scheduled, never slept.
 * Futures complete exceptionally with the {@link InMemoryException} the local engine throws for
 * the same mistake (the exception itself, not wrapped), or {@link TransportException} when the
 * server cannot be reached or answers something that is not an InMemory answer.
 *
 * <p>An invalid or null argument fails the returned future rather than throwing. Thread-safe;
 * share one instance. Build one with {@link Inmry#builder()} and
 * {@link Inmry.Builder#buildAsync()}, or through {@code MemoryClients.createAsync()} with
 * {@code inmemory.mode=managed}.
 */
public final class AsyncInmry implements AsyncMemoryClient {
  private final HttpCore core;

  AsyncInmry(HttpCore core) {
    this.core = core;
  }

  @Override
  public CompletableFuture<AddResult> add(AddRequest request) {
    return start(() -> core.send(Call.storing("/v1/memories",
        RequestJson.write(Objects.requireNonNull(request, "request")), idempotencyKey())),
        ResultJson::readAddResult);
  }

  @Override
  public CompletableFuture<List<AddResult>> addAll(List<AddRequest> requests) {
    return start(() -> {
      Map<String, Object> batch = RequestJson.writeBatch(
          Objects.requireNonNull(requests, "requests"));
      return requests.isEmpty() ? CompletableFuture.completedFuture(null)
          : core.send(Call.storing("/v1/memories/batch", batch, idempotencyKey()));
    }, json -> json == null ? List.of() : ResultJson.readAddResults(json));
  }

  @Override
  public CompletableFuture<SearchResult> search(SearchRequest request) {
    return start(() -> core.send(Call.idempotent("POST", "/v1/memories/search",
        RequestJson.write(Objects.requireNonNull(request, "request")))),
        ResultJson::readSearchResult);
  }

  @Override
  public CompletableFuture<Page<MemoryRecord>> getAll(String userId, int limit, int offset) {
    return start(() -> {
      Validation.requireUserId(userId);
      Validation.requirePage(limit, offset);
      return core.send(Call.idempotent("GET", "/v1/memories?user_id=" + encode(userId)
          + "&limit=" + limit + "&offset=" + offset, null));
    }, ResultJson::readPage);
  }

  @Override
  public CompletableFuture<Optional<MemoryRecord>> get(String memoryId, String userId) {
    return forUser(userId, scope -> get(memoryId, scope));
  }

  @Override
  public CompletableFuture<MemoryRecord> update(String memoryId, String userId,
      UpdateRequest request) {
    return forUser(userId, scope -> update(memoryId, scope, request));
  }

  @Override
  public CompletableFuture<Boolean> delete(String memoryId, String userId) {
    return forUser(userId, scope -> delete(memoryId, scope));
  }

  @Override
  public CompletableFuture<Long> deleteAll(String userId) {
    return forUser(userId, this::deleteAll);
  }

  @Override
  public CompletableFuture<List<HistoryEntry>> history(String memoryId, String userId) {
    return forUser(userId, scope -> history(memoryId, scope));
  }

  @Override
  public CompletableFuture<UserStats> getUserStats(String userId) {
    return forUser(userId, this::stats);
  }

  /**
   * A conversation add: it may take up to {@code inmemory.conversation-timeout-ms} (the server
   * may call an extraction model), is retried only with its idempotency key (so a retry never
   * calls the model twice), and never after a 502 {@code extraction-failed}: the future fails
   * with the {@link io.inmemory.ExtractionException} the server reports.
   */
  @Override
  public CompletableFuture<ConversationResult> add(ConversationRequest request) {
    return start(() -> core.send(Call.conversation("/v1/memories",
        RequestJson.write(Objects.requireNonNull(request, "request")), idempotencyKey(),
        core.settings().conversationTimeout())), ResultJson::readConversationResult);
  }

  @Override
  public CompletableFuture<Page<MemoryRecord>> list(ListRequest request) {
    return start(() -> core.send(Call.idempotent("POST", "/v1/memories/list",
        RequestJson.write(Objects.requireNonNull(request, "request")))), ResultJson::readPage);
  }

  @Override
  public CompletableFuture<Optional<MemoryRecord>> get(String memoryId, Scope scope) {
    return start(() -> orEmpty(core.send(Call.idempotent("GET",
        memoryPath(memoryId, scope, ""), null))), json -> json.map(MemoryJson::read));
  }

  @Override
  public CompletableFuture<MemoryRecord> update(String memoryId, Scope scope,
      UpdateRequest request) {
    return start(() -> {
      Objects.requireNonNull(request, "request");
      return core.send(Call.idempotent("PUT", memoryPath(memoryId, scope, ""),
          RequestJson.write(request)));
    }, MemoryJson::read);
  }

  /** One call for the whole batch; the server applies each owner's items together. */
  @Override
  public CompletableFuture<List<BatchItemResult>> updateMany(List<BatchUpdate> updates) {
    return batch("PUT", "/v1/memories/batch", Objects.requireNonNull(updates, "updates"),
        BatchJson::writeUpdates, BatchItemResult.Status.UPDATED);
  }

  /** One call for the whole batch; the server deletes each owner's items together. */
  @Override
  public CompletableFuture<List<BatchItemResult>> deleteMany(List<BatchDelete> deletes) {
    return batch("POST", "/v1/memories/batch/delete", Objects.requireNonNull(deletes, "deletes"),
        BatchJson::writeDeletes, BatchItemResult.Status.DELETED);
  }

  /** A batch call, safe to repeat (a change applied again sets the same values). */
  private <T> CompletableFuture<List<BatchItemResult>> batch(String method, String path,
      List<T> items, Function<List<T>, Map<String, Object>> write,
      BatchItemResult.Status success) {
    return start(() -> items.isEmpty() ? CompletableFuture.completedFuture(null)
            : core.send(Call.idempotent(method, path, write.apply(items))),
        json -> json == null ? List.of() : BatchJson.readResults(json, success));
  }

  @Override
  public CompletableFuture<Boolean> delete(String memoryId, Scope scope) {
    return start(() -> core.send(Call.idempotent("DELETE", memoryPath(memoryId, scope, ""),
        null)), ResultJson::readDeleted);
  }

  @Override
  public CompletableFuture<Long> deleteAll(Scope scope) {
    return start(() -> core.send(Call.idempotent("DELETE", "/v1/memories?" + query(scope),
        null)), ResultJson::readDeletedCount);
  }

  @Override
  public CompletableFuture<List<HistoryEntry>> history(String memoryId, Scope scope) {
    return start(() -> core.send(Call.idempotent("GET", memoryPath(memoryId, scope, "/history"),
        null)), ResultJson::readHistory);
  }

  /** A user's statistics, or an agent's own ({@code /v1/agents/{agent_id}/stats}). */
  @Override
  public CompletableFuture<UserStats> stats(Scope scope) {
    return start(() -> {
      Objects.requireNonNull(scope, "scope");
      String path = scope.agentOwn()
          ? "/v1/agents/" + encode(scope.agentId()) + "/stats"
              + parameters(null, null, scope.sessionId())
          : "/v1/users/" + encode(scope.userId()) + "/stats"
              + parameters(null, scope.agentId(), scope.sessionId());
      return core.send(Call.idempotent("GET", path, null));
    }, ResultJson::readUserStats);
  }

  /**
   * The server's health report. A server that cannot be reached, or answers with an error, is
   * reported as a {@code server} component that is DOWN rather than as a failed future.
   */
  @Override
  public CompletableFuture<Health> healthCheck() {
    long started = System.nanoTime();
    return start(() -> core.send(Call.healthProbe())
        .thenApply(ResultJson::readHealth)
        .exceptionally(error -> {
          if (!(HttpCore.unwrap(error) instanceof InMemoryException failure)) {
            throw rethrown(error);
          }
          return new Health(Health.Status.DOWN, "unknown", Map.of("server",
              new Health.Component(Health.Status.DOWN,
                  Duration.ofNanos(System.nanoTime() - started),
                  failure.getClass().getSimpleName() + ": " + failure.getMessage())),
              Instant.now());
        }), Function.identity());
  }

  /**
   * Refuses new calls at once; calls in flight, their retries included, complete first.
   * Idempotent.
   */
  @Override
  public void close() {
    core.close();
  }

  /** The base URL and timeouts; never the API key. */
  @Override
  public String toString() {
    return "AsyncInmry[" + core.settings() + "]";
  }

  HttpCore core() {
    return core;
  }

  // ------------------------------------------------------------------ plumbing

  /**
   * Runs {@code send} (whose argument checks may throw) and decodes its answer; every failure,
   * synchronous or not, completes the returned future with the unwrapped exception.
   */
  private <J, T> CompletableFuture<T> start(Supplier<CompletableFuture<J>> send,
      Function<J, T> decode) {
    CompletableFuture<T> result = new CompletableFuture<>();
    CompletableFuture<J> running;
    try {
      core.ensureOpen();
      running = send.get();
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
      return result;
    }
    running.whenComplete((json, error) -> {
      if (error != null) {
        result.completeExceptionally(HttpCore.unwrap(error));
        return;
      }
      try {
        result.complete(decode.apply(json));
      } catch (InMemoryException e) {
        result.completeExceptionally(e);
      } catch (RuntimeException e) {
        result.completeExceptionally(new TransportException("The server's answer could not be"
            + " read (" + e.getMessage() + "): is inmemory.base-url an InMemory server of a"
            + " compatible version?", e));
      }
    });
    result.whenComplete((value, error) -> {
      if (result.isCancelled()) {
        running.cancel(true);
      }
    });
    return result;
  }

  /** The answer, or empty when the server found nothing (404 {@code not-found}). */
  private static CompletableFuture<Optional<JsonNode>> orEmpty(CompletableFuture<JsonNode> sent) {
    return sent.thenApply(Optional::of).exceptionally(error -> {
      if (HttpCore.unwrap(error) instanceof NotFoundException) {
        return Optional.empty();
      }
      throw rethrown(error);
    });
  }

  /** A failure a recovering stage does not handle, unwrapped, to throw on. */
  private static RuntimeException rethrown(Throwable error) {
    return HttpCore.unwrap(error) instanceof RuntimeException runtime ? runtime
        : new TransportException("unexpected failure", error);
  }

  private @Nullable String idempotencyKey() {
    return core.settings().idempotencyKeys() ? UUID.randomUUID().toString() : null;
  }

  /**
   * The call of a user's memories: the scope of {@code userId} alone (the same query as ever),
   * or the future failed with the user id's problem.
   */
  private static <T> CompletableFuture<T> forUser(String userId,
      Function<Scope, CompletableFuture<T>> call) {
    Scope scope;
    try {
      scope = Scope.user(Validation.requireUserId(userId));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return call.apply(scope);
  }

  private static String memoryPath(String memoryId, Scope scope, String suffix) {
    Validation.requireMemoryId(memoryId);
    return "/v1/memories/" + encode(memoryId) + suffix + "?" + query(scope);
  }

  /** The scope as query parameters, without the leading {@code ?}. */
  private static String query(Scope scope) {
    Objects.requireNonNull(scope, "scope");
    return parameters(scope.userId(), scope.agentId(), scope.sessionId()).substring(1);
  }

  /** The given scope members as a query string with its {@code ?}; empty for none. */
  private static String parameters(@Nullable String userId, @Nullable String agentId,
      @Nullable String sessionId) {
    StringBuilder query = new StringBuilder();
    parameter(query, MemoryJson.USER_ID, userId);
    parameter(query, MemoryJson.AGENT_ID, agentId);
    parameter(query, MemoryJson.SESSION_ID, sessionId);
    return query.toString();
  }

  private static void parameter(StringBuilder query, Member member, @Nullable String value) {
    if (value != null) {
      query.append(query.length() == 0 ? '?' : '&').append(member.name()).append('=')
          .append(encode(value));
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
