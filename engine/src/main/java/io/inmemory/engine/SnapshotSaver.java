package io.inmemory.engine;

import io.inmemory.engine.spi.PartitionKey;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves the graphs of partitions the cache dropped, off the eviction path: one daemon thread,
 * {@value #THREAD}, started on demand and ended when idle. A dropped partition whose graph
 * changed since its snapshot would otherwise be rebuilt on its next load (about 0.5 ms of CPU per
 * memory). A load of a key first waits for the save pending for it, so it reads the new
 * snapshot rather than the old one (which no longer matches and would be rebuilt). Does nothing
 * when the store keeps no snapshots. Thread-safe.
 */
final class SnapshotSaver implements AutoCloseable {
  static final String THREAD = "inmemory-index-snapshots";

  private static final Logger LOG = LoggerFactory.getLogger("io.inmemory.engine.Memory");

  private final PartitionLoader loader;
  /** Null when the store keeps no snapshots. */
  private final @Nullable ThreadPoolExecutor executor;
  /** The latest save queued per key; one thread runs them in order, so it finishes last. */
  private final ConcurrentHashMap<PartitionKey, CompletableFuture<Void>> pending =
      new ConcurrentHashMap<>();

  SnapshotSaver(PartitionLoader loader) {
    this.loader = loader;
    if (loader.keepsSnapshots()) {
      executor = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
          task -> {
            Thread thread = new Thread(task, THREAD);
            thread.setDaemon(true);
            return thread;
          });
      executor.allowCoreThreadTimeOut(true);
    } else {
      executor = null;
    }
  }

  /**
   * Queues saving the graph of {@code retired}, an instance nobody uses or will use again, when
   * it ever had one (the save writes it if it changed, and deletes the snapshot of a partition
   * that shrank below the graph's threshold). Takes no lock: callable from the cache's eviction
   * listener. Queuing one instance twice is harmless: the second save finds nothing changed.
   */
  void retired(Partition retired) {
    if (executor == null || !retired.index().hadGraph()) {
      return;
    }
    PartitionKey key = retired.key();
    CompletableFuture<Void> save = new CompletableFuture<>();
    pending.put(key, save);
    try {
      executor.execute(() -> {
        try {
          loader.saveIndexes(List.of(retired));
        } finally {
          pending.remove(key, save);
          save.complete(null);
        }
      });
    } catch (RuntimeException e) {
      // shut down: the engine is closing, and a rebuild on the next start only costs time
      pending.remove(key, save);
      save.complete(null);
      LOG.debug("Not saving the graph of {} in {}: the engine is closing",
          key.ownerDescription(), key.namespace(), e);
    }
  }

  /** Waits until the save pending for {@code key}, if any, ended. */
  void awaitSave(PartitionKey key) {
    CompletableFuture<Void> save = pending.get(key);
    if (save != null) {
      save.join();
    }
  }

  /** Runs the saves queued, then stops the thread; later ones are not run. */
  @Override
  public void close() {
    if (executor == null) {
      return;
    }
    executor.shutdown();
    try {
      while (!executor.awaitTermination(1, TimeUnit.MINUTES)) {
        LOG.info("Still saving the graphs of partitions dropped before the engine closed");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.warn("Interrupted while saving the graphs of dropped partitions; the ones not saved"
          + " are rebuilt on their next load");
    }
  }
}
