package io.inmemory.engine;

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
import io.inmemory.ListRequest;
import io.inmemory.MemoryClient;
import io.inmemory.MemoryRecord;
import io.inmemory.Page;
import io.inmemory.Scope;
import io.inmemory.SearchRequest;
import io.inmemory.SearchResult;
import io.inmemory.UpdateRequest;
import io.inmemory.UserStats;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The asynchronous view of a synchronous client, the engine's ({@link Memory#async()}): each call
 * runs the synchronous operation on a pool of daemon threads (as many as processors, at least two,
 * ending after 30 s idle), because the engine's work is CPU-bound embedding and index search plus
 * short store writes. Thread-safe.
 */
final class AsyncMemory implements AsyncMemoryClient {
  private static final AtomicInteger POOLS = new AtomicInteger();
  private static final Duration IDLE = Duration.ofSeconds(30);

  private final MemoryClient memory;
  private final ThreadPoolExecutor executor;

  AsyncMemory(MemoryClient memory) {
    this(memory, IDLE);
  }

  /** With {@code idle}, how long a pool thread waits for work before it ends. */
  AsyncMemory(MemoryClient memory, Duration idle) {
    this.memory = memory;
    int pool = POOLS.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    ThreadFactory factory = runnable -> {
      Thread thread = new Thread(runnable,
          "inmemory-async-" + pool + "-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
    int size = Math.max(2, Runtime.getRuntime().availableProcessors());
    this.executor = new ThreadPoolExecutor(size, size, idle.toMillis(), TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(), factory);
    // Idle threads end, so a view nobody closes (namespace views need not be) holds no threads.
    executor.allowCoreThreadTimeOut(true);
  }

  private <T> CompletableFuture<T> run(Supplier<T> operation) {
    try {
      return CompletableFuture.supplyAsync(operation, executor);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new IllegalStateException("this Memory is closed"));
    }
  }

  @Override
  public CompletableFuture<AddResult> add(AddRequest request) {
    return run(() -> memory.add(request));
  }

  @Override
  public CompletableFuture<List<AddResult>> addAll(List<AddRequest> requests) {
    return run(() -> memory.addAll(requests));
  }

  @Override
  public CompletableFuture<SearchResult> search(SearchRequest request) {
    return run(() -> memory.search(request));
  }

  @Override
  public CompletableFuture<Page<MemoryRecord>> list(ListRequest request) {
    return run(() -> memory.list(request));
  }

  @Override
  public CompletableFuture<UserStats> stats(Scope scope) {
    return run(() -> memory.stats(scope));
  }

  @Override
  public CompletableFuture<Page<MemoryRecord>> getAll(String userId, int limit, int offset) {
    return run(() -> memory.getAll(userId, limit, offset));
  }

  @Override
  public CompletableFuture<ConversationResult> add(ConversationRequest request) {
    return run(() -> memory.add(request));
  }

  @Override
  public CompletableFuture<Optional<MemoryRecord>> get(String memoryId, Scope scope) {
    return run(() -> memory.get(memoryId, scope));
  }

  @Override
  public CompletableFuture<List<BatchItemResult>> updateMany(List<BatchUpdate> updates) {
    return run(() -> memory.updateMany(updates));
  }

  @Override
  public CompletableFuture<List<BatchItemResult>> deleteMany(List<BatchDelete> deletes) {
    return run(() -> memory.deleteMany(deletes));
  }

  @Override
  public CompletableFuture<MemoryRecord> update(String memoryId, Scope scope,
      UpdateRequest request) {
    return run(() -> memory.update(memoryId, scope, request));
  }

  @Override
  public CompletableFuture<Boolean> delete(String memoryId, Scope scope) {
    return run(() -> memory.delete(memoryId, scope));
  }

  @Override
  public CompletableFuture<Long> deleteAll(Scope scope) {
    return run(() -> memory.deleteAll(scope));
  }

  @Override
  public CompletableFuture<List<HistoryEntry>> history(String memoryId, Scope scope) {
    return run(() -> memory.history(memoryId, scope));
  }

  @Override
  public CompletableFuture<UserStats> getUserStats(String userId) {
    return run(() -> memory.getUserStats(userId));
  }

  @Override
  public CompletableFuture<Health> healthCheck() {
    return run(memory::healthCheck);
  }

  /** Closes the engine; operations already submitted complete first. */
  @Override
  public void close() {
    memory.close();
  }

  /** How many pool threads are alive; for tests. */
  int threads() {
    return executor.getPoolSize();
  }

  /** Stops taking operations and waits for those already submitted. */
  void drain() {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
