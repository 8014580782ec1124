package io.inmemory.engine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.inmemory.ConfigKey;
import io.inmemory.ConfigurationException;
import io.inmemory.InMemoryConfig;
import io.inmemory.engine.spi.PartitionKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitions an engine holds, within a heap budget: each is weighed by its
 * {@linkplain Partition#footprint() estimated footprint}, and when the held weight passes the
 * budget the least recently/frequently used ones (Caffeine's W-TinyLFU, not strict LRU) are
 * dropped, to be loaded again from the store on their next use.
 *
 * <p>Users take a {@link Lease} around every use, which pins the instance. Caffeine cannot veto
 * an eviction, so an instance evicted while pinned is parked in {@code inUse}: the operations in
 * flight finish on it, and the next use of its key adopts it back instead of loading a second
 * copy that could miss their writes. The last lease to close retires it. So there is at most one
 * live instance per key, and a load starts only after every earlier write of this process
 * reached the store (each writes the store before the partition). No lock is taken in
 * Caffeine's callbacks. A retired instance's changed graph is saved by the {@link SnapshotSaver}
 * (stores that keep snapshots), whose save the next load of its key waits for.
 *
 * <p>Thread-safe. Shared by an engine and its namespace views: one budget per process.
 */
final class PartitionCache implements AutoCloseable {
  /** The smallest budget that can be set: 1 MiB. */
  static final long MAX_HEAP_MIN = 1L << 20;

  /** The heap budget of the partitions held. */
  static final ConfigKey<Long> MAX_HEAP = ConfigKey.bytes("inmemory.cache.max-heap", null,
      MAX_HEAP_MIN, "Heap for loaded partitions (vectors, graphs, lexical and label indexes,"
          + " records), estimated; the least recently/frequently used ones are dropped and"
          + " reloaded on next use. Default: 40% of the JVM's max heap (-Xmx), at least 16 MiB");

  /** The smallest default budget, for JVMs started with a tiny heap. */
  static final long MIN_DEFAULT = 16L << 20;

  private static final Logger LOG = LoggerFactory.getLogger("io.inmemory.engine.Memory");

  private final PartitionLoader loader;
  private final long budget;
  private final Cache<PartitionKey, Partition> held;
  /** Instances evicted while in use, until their last lease closes or their key adopts them. */
  private final ConcurrentHashMap<PartitionKey, Partition> inUse = new ConcurrentHashMap<>();
  /** The keys whose partition alone outweighed the budget (warned about once each). */
  private final Set<PartitionKey> oversized = ConcurrentHashMap.newKeySet();
  private final AtomicLong oversizedLoads = new AtomicLong();
  private final AtomicLong loads = new AtomicLong();
  private final AtomicLong loadNanos = new AtomicLong();
  private final AtomicLong adoptions = new AtomicLong();
  private final AtomicLong graphsRestored = new AtomicLong();
  private final AtomicLong graphsBuilt = new AtomicLong();
  private final SnapshotSaver saver;

  PartitionCache(PartitionLoader loader, long budgetBytes) {
    if (budgetBytes < 1024) {
      throw new IllegalArgumentException("budget below 1 KiB: " + budgetBytes);
    }
    this.loader = loader;
    this.budget = budgetBytes;
    this.saver = new SnapshotSaver(loader);
    this.held = Caffeine.newBuilder()
        // KiB: Caffeine's per-entry weights are ints
        .maximumWeight(budgetBytes / 1024)
        .weigher((PartitionKey key, Partition partition) -> kib(partition.weigh()))
        // synchronous, inside the removal of that key: atomic against its next load
        .evictionListener(this::evicted)
        // eviction on the inserting thread: the budget holds when acquire returns
        .executor(Runnable::run)
        .recordStats()
        .build();
  }

  /**
   * The budget: {@code explicit} when the builder set one, else what {@code config} sets, else
   * 40% of {@code maxHeap} and at least {@link #MIN_DEFAULT}.
   *
   * @throws ConfigurationException when the budget configured is larger than the heap: it could
   *     only end in OutOfMemoryError
   */
  static long budget(InMemoryConfig config, @Nullable Long explicit, long maxHeap) {
    if (explicit != null) {
      return explicit;
    }
    Optional<Long> set = config.find(MAX_HEAP);
    if (set.isEmpty()) {
      return Math.max(MIN_DEFAULT, (long) (maxHeap * 0.4));
    }
    long configured = set.get();
    if (configured > maxHeap) {
      throw new ConfigurationException(MAX_HEAP.name() + " (" + MAX_HEAP.envName() + ") is "
          + configured + " bytes, " + overHeap(maxHeap) + ", set by " + config.sourceOf(MAX_HEAP)
          + ": partitions would run out of memory before they are dropped");
    }
    return configured;
  }

  /**
   * {@code bytes} as a budget set in code ({@code Memory.Builder.cacheMaxHeap}), checked at once.
   *
   * @throws IllegalArgumentException when below 1 MiB (the key's minimum) or above
   *     {@code maxHeap}
   */
  static long explicitBudget(long bytes, long maxHeap) {
    if (bytes < MAX_HEAP_MIN) {
      throw new IllegalArgumentException("cacheMaxHeap must be at least 1 MiB (" + MAX_HEAP_MIN
          + " bytes), the smallest " + MAX_HEAP.name() + ", was " + bytes + " bytes");
    }
    if (bytes > maxHeap) {
      throw new IllegalArgumentException("cacheMaxHeap is " + bytes + " bytes, "
          + overHeap(maxHeap) + ": partitions would run out of memory before they are dropped");
    }
    return bytes;
  }

  /** Where the budget comes from, for the engine's start line. */
  static String budgetSource(InMemoryConfig config, @Nullable Long explicit) {
    if (explicit != null) {
      return "Memory.Builder.cacheMaxHeap";
    }
    return config.find(MAX_HEAP).isPresent() ? config.sourceOf(MAX_HEAP) : "40% of the max heap";
  }

  private static String overHeap(long maxHeap) {
    return "more than the JVM's max heap of " + maxHeap + " bytes (-Xmx)";
  }

  /**
   * Pins the partition of {@code key}: the held one, the evicted one still in use, or a new one
   * loaded from the store. Close the lease when done with it.
   *
   * @throws io.inmemory.StorageException when the store cannot load it
   */
  Lease acquire(PartitionKey key) {
    for (;;) {
      Partition[] adopted = new Partition[1];
      Partition partition = held.get(key, k -> adopted[0] = adoptOrLoad(k));
      // adoptOrLoad pinned what it returned, so an oversized instance evicted right after its
      // insertion is parked, not retired; a held one is pinned here, unless it retired since
      if (partition == adopted[0] || partition.pins().pin()) {
        Lease lease = new Lease(partition);
        try {
          partition.resetIfStale(() -> loader.current(key));
        } catch (RuntimeException e) {
          lease.close();
          throw e;
        }
        return lease;
      }
    }
  }

  /**
   * Pins the partitions of {@code keys} (in their order, duplicates once); one close releases
   * them all. When a load fails, the partitions pinned so far are released.
   */
  Leases acquireAll(Collection<PartitionKey> keys) {
    List<Lease> leases = new ArrayList<>(keys.size());
    try {
      for (PartitionKey key : new LinkedHashSet<>(keys)) {
        leases.add(acquire(key));
      }
    } catch (RuntimeException e) {
      leases.forEach(Lease::close);
      throw e;
    }
    return new Leases(leases);
  }

  /** Runs in the compute of {@code key}: adopts its in-use evicted instance, else loads one. */
  private Partition adoptOrLoad(PartitionKey key) {
    Partition parked = inUse.remove(key);
    if (parked != null) {
      if (parked.pins().adopt()) {
        adoptions.incrementAndGet();
        return parked;
      }
      // its last lease is closing and may not have queued its save yet (see retire)
      saver.retired(parked);
    }
    long start = System.nanoTime();
    // the snapshot of a dropped instance first, or the load would rebuild its graph
    saver.awaitSave(key);
    Partition loaded = loader.load(key);
    loadNanos.addAndGet(System.nanoTime() - start);
    loads.incrementAndGet();
    if (loaded.index().usesGraph()) {
      (loaded.index().graphBuilds() == 0 ? graphsRestored : graphsBuilt).incrementAndGet();
    }
    loaded.pins().pin();
    return loaded;
  }

  /** Runs inside the atomic removal of {@code key}: parks the instance if it is in use. */
  private void evicted(@Nullable PartitionKey key, @Nullable Partition partition,
      RemovalCause cause) {
    if (key == null || partition == null) {
      return;
    }
    if (partition.weighed() > budget && oversized.add(key)) {
      LOG.warn("The partition of {} in {} weighs {} MiB, over {} of {} MiB; it is reloaded on"
          + " every use", key.ownerDescription(), key.namespace(),
          mib(partition.weighed()), MAX_HEAP.name(), mib(budget));
    }
    if (partition.weighed() > budget) {
      oversizedLoads.incrementAndGet();
    }
    // parked before evict(): a lease closing meanwhile removes it again (see Lease.close)
    inUse.put(key, partition);
    if (partition.pins().evict()) {
      retire(partition);
    }
  }

  /**
   * Lets go of an instance whose pins ended after its eviction: queues saving its graph, then
   * unparks it. In that order, so a load of its key that finds it no longer parked finds its
   * save pending; one that still finds it parked queues the save itself (see adoptOrLoad).
   */
  private void retire(Partition partition) {
    saver.retired(partition);
    inUse.remove(partition.key(), partition);
  }

  /**
   * Runs {@code change} on the live partition of {@code key} under its write lock, pinned: the
   * held one, or the one evicted but still in use; does nothing when neither exists (the next
   * load reads the store, which has the change). For the change feed: a change committed before
   * this call is never missed by a load in progress, since this runs in the key's atomic
   * section, which a load, an adoption and an eviction of the key also run in: it waits for the
   * load and changes what it published. The change must not use this cache.
   *
   * @return whether {@code change} ran
   */
  boolean ifLoaded(PartitionKey key, Consumer<Partition> change) {
    boolean[] ran = new boolean[1];
    held.asMap().compute(key, (k, partition) -> {
      Partition live = partition != null ? partition : inUse.get(k);
      if (live != null && live.pins().pin()) {
        try {
          live.write(() -> {
            change.accept(live);
            return null;
          });
          ran[0] = true;
        } finally {
          // a parked instance whose last lease closed meanwhile retires here
          if (live.pins().unpin()) {
            retire(live);
          }
        }
      }
      return partition;
    });
    return ran[0];
  }

  /**
   * Makes the partition of {@code key} read the store again, whole: when it is held and idle it
   * is dropped (its next use loads it); when it is in use (held, or evicted but still used) it
   * is {@linkplain Partition#markStale marked stale}, and its next use resets it in place under
   * its write lock, so no second instance appears while operations run on it. Does nothing when
   * the partition is not held. For the change feed, when a change names the whole partition or
   * this process can no longer tell what changed. Runs in the key's atomic section, like
   * {@link #ifLoaded}, so a load in progress is waited for and then marked.
   *
   * @return whether the partition was held or in use
   */
  boolean reload(PartitionKey key) {
    boolean[] live = new boolean[1];
    held.asMap().compute(key, (k, partition) -> {
      live[0] = partition != null || inUse.containsKey(k);
      if (partition != null && partition.pins().retireIfIdle()) {
        return null;
      }
      Partition used = partition != null ? partition : inUse.get(k);
      if (used != null) {
        used.markStale();
      }
      return partition;
    });
    return live[0];
  }

  /** {@link #reload Reloads} every partition held or in use; returns how many there were. */
  int reloadAll() {
    Set<PartitionKey> keys = new LinkedHashSet<>(held.asMap().keySet());
    keys.addAll(inUse.keySet());
    int reloaded = 0;
    for (PartitionKey key : keys) {
      reloaded += reload(key) ? 1 : 0;
    }
    return reloaded;
  }

  /** A snapshot of what the cache holds and did; the sizes are estimates. */
  PartitionCacheStats stats() {
    long memories = 0;
    for (Partition partition : held.asMap().values()) {
      memories += partition.memories();
    }
    long weight = held.policy().eviction().orElseThrow().weightedSize().orElse(0L);
    // Caffeine counts an adoption as a load: the loads here are the store's alone
    long loaded = loads.get();
    return new PartitionCacheStats(budget, weight * 1024, (int) held.estimatedSize(), memories,
        inUse.size(), held.stats().hitCount(), loaded, adoptions.get(),
        held.stats().evictionCount(), oversizedLoads.get(),
        Duration.ofNanos(loaded == 0 ? 0 : loadNanos.get() / loaded), graphsRestored.get(),
        graphsBuilt.get());
  }

  /**
   * For the engine's close, before the store closes: finishes saving the graphs of the
   * partitions dropped, then saves the graphs of those held that changed.
   */
  void saveGraphs() {
    saver.close();
    loader.saveIndexes(List.copyOf(held.asMap().values()));
  }

  /** Drops every partition held; the engine saves their graphs first. */
  @Override
  public void close() {
    held.invalidateAll();
    inUse.clear();
  }

  private static int kib(long bytes) {
    return (int) Math.min(Integer.MAX_VALUE, (bytes + 1023) / 1024);
  }

  private static String mib(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f", bytes / (double) (1 << 20));
  }

  /**
   * A pinned partition: the instance stays live (and is adopted again if evicted) until
   * {@link #close()}. Used by one operation; close is idempotent.
   */
  final class Lease implements AutoCloseable {
    private final Partition partition;
    private boolean closed;

    private Lease(Partition partition) {
      this.partition = partition;
    }

    Partition partition() {
      return partition;
    }

    /** Unpins the partition, re-weighing it when writes changed its footprint much. */
    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      long weighed = partition.weighed();
      long now = partition.footprint();
      if (Math.abs(now - weighed) > Math.max(64 << 10, weighed / 8)) {
        // re-runs the weigher; a no-op when this instance is no longer the one held
        held.asMap().replace(partition.key(), partition, partition);
      }
      if (partition.pins().unpin()) {
        retire(partition);
      }
    }
  }

  /** Several leases released together; {@link #partitions()} in the order they were asked. */
  static final class Leases implements AutoCloseable {
    private final List<Lease> leases;

    private Leases(List<Lease> leases) {
      this.leases = leases;
    }

    List<Partition> partitions() {
      return leases.stream().map(Lease::partition).toList();
    }

    @Override
    public void close() {
      leases.forEach(Lease::close);
    }
  }
}
