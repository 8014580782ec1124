package io.inmemory.transport.http;

import io.inmemory.AddRequest;
import io.inmemory.AddResult;
import io.inmemory.Health;
import io.inmemory.HistoryEntry;
import io.inmemory.MemoryClient;
import io.inmemory.MemoryRecord;
import io.inmemory.Page;
import io.inmemory.SearchRequest;
import io.inmemory.SearchResult;
import io.inmemory.TransportException;
import io.inmemory.UpdateRequest;
import io.inmemory.UserStats;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The client of an InMemory server: every {@link MemoryClient} operation as an HTTP call, with the
 * same exceptions the local engine throws for the same mistakes. Calls that are safe to repeat
 * (reads, updates, deletes, and adds carrying their {@code Idempotency-Key}) are retried with
 * exponential backoff after a connection failure, 429 (after its {@code Retry-After}), 502, 503
 * or 504.
 *
 * <pre>{@code
 * try (Inmry memory = Inmry.builder().baseUrl("http://localhost:8080").apiKey(key).build()) {
 *   memory.add("I love pizza", "alice");
 * }
 * }</pre>
 *
 * <p>Arguments are never null, as {@link MemoryClient} states. Nothing is stored on this side:
 * durability is the server's store's.
 *
 * <p>Thread-safe; share one instance (it keeps connections alive). Built on {@link AsyncInmry}:
 * a call blocks only its caller's thread. Interrupting a waiting caller abandons the call with a
 * {@link TransportException} and keeps the interrupt flag set.
 */
public final class Inmry implements MemoryClient {
  private final AsyncInmry async;

  Inmry(AsyncInmry async) {
    this.async = async;
  }

  /** A builder for {@link Inmry} ({@link InmryBuilder#build()}) or {@link AsyncInmry}. */
  public static InmryBuilder builder() {
    return new InmryBuilder();
  }

  /** The asynchronous view of this client, sharing its connections; closing either closes both. */
  public AsyncInmry async() {
    return async;
  }

  @Override
  public AddResult add(AddRequest request) {
    return await(async.add(request));
  }

  @Override
  public List<AddResult> addAll(List<AddRequest> requests) {
    return await(async.addAll(requests));
  }

  @Override
  public SearchResult search(SearchRequest request) {
    return await(async.search(request));
  }

  @Override
  public Page<MemoryRecord> getAll(String userId, int limit, int offset) {
    return await(async.getAll(userId, limit, offset));
  }

  @Override
  public Optional<MemoryRecord> get(String memoryId, String userId) {
    return await(async.get(memoryId, userId));
  }

  @Override
  public MemoryRecord update(String memoryId, String userId, UpdateRequest request) {
    return await(async.update(memoryId, userId, request));
  }

  @Override
  public boolean delete(String memoryId, String userId) {
    return await(async.delete(memoryId, userId));
  }

  @Override
  public long deleteAll(String userId) {
    return await(async.deleteAll(userId));
  }

  @Override
  public List<HistoryEntry> history(String memoryId, String userId) {
    return await(async.history(memoryId, userId));
  }

  @Override
  public UserStats getUserStats(String userId) {
    return await(async.getUserStats(userId));
  }

  @Override
  public Health healthCheck() {
    return await(async.healthCheck());
  }

  /** Refuses new calls; calls in flight on other threads complete first. Idempotent. */
  @Override
  public void close() {
    async.close();
  }

  /** The base URL and timeouts; never the API key. */
  @Override
  public String toString() {
    return "Inmry[" + async.core().settings() + "]";
  }

  private static <T> T await(CompletableFuture<T> call) {
    try {
      return call.get();
    } catch (InterruptedException e) {
      call.cancel(true);
      Thread.currentThread().interrupt();
      throw new TransportException("interrupted while waiting for the InMemory server", e);
    } catch (ExecutionException e) {
      Throwable cause = HttpCore.unwrap(e.getCause());
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new TransportException("unexpected failure", cause);
    }
  }
}
