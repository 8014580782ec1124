package io.inmemory.engine;

import io.inmemory.ConfigKey;
import io.inmemory.ConfigurationException;
import io.inmemory.Health;
import io.inmemory.InMemoryConfig;
import io.inmemory.engine.spi.Change;
import io.inmemory.engine.spi.ChangeBatch;
import io.inmemory.engine.spi.ChangeFeed;
import io.inmemory.engine.spi.ChangeReader;
import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoredMemory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the changes other processes sharing the store make to the partitions this engine holds,
 * read from the store's {@link ChangeFeed} by one daemon thread, {@value #THREAD}. A change names
 * memories, not their content: for a partition held, the follower re-reads those memories from
 * the store under the partition's write lock ({@link PartitionCache#ifLoaded}) and
 * {@linkplain Partition#refresh refreshes} them, so applying a change twice or out of order
 * leaves the same result, and a local write (which holds that lock around its store call) is
 * never overwritten by an older state. A partition not held costs nothing: its next load reads
 * the store. The follower's own process's changes are skipped (they were applied when written).
 *
 * <p>When the follower cannot tell what changed it reloads: a change naming the whole partition,
 * memories another embedder made, or a feed trimmed past its position. When the feed or the store
 * cannot be read it retries (0.2 s doubling to 5 s); once nothing was read for
 * {@code inmemory.cluster.max-staleness} it drops every partition held on each failed attempt,
 * so that reads go to the store and fail rather than answer from a copy that may still hold
 * memories deleted meanwhile, and reports itself degraded.
 *
 * <p>Thread-safe: {@link #stats()} and {@link #close()} may be called from any thread.
 */
final class ChangeFollower implements AutoCloseable {
  /** Whether an engine on a store with a change feed follows it. */
  enum Mode {
    /** Follow the feed when the store has one. */
    AUTO,
    /** Never: for a process that is the only one using its store. */
    OFF
  }

  static final ConfigKey<Mode> FEED = ConfigKey.enumeration("inmemory.cluster.feed", Mode.class,
      Mode.AUTO, "Whether this process applies the changes other processes sharing the store make"
          + " (auto: when the store has a change feed, as MongoDB and H2 in server mode do; off:"
          + " only for a process alone on its store)");
  static final ConfigKey<Duration> POLL_INTERVAL = ConfigKey.duration(
      "inmemory.cluster.poll-interval", Duration.ofMillis(200), Duration.ofMillis(1),
      Duration.ofMinutes(1), "How often a polled change feed is read; other processes' changes"
          + " show here within about this long");
  static final ConfigKey<Duration> MAX_STALENESS = ConfigKey.duration(
      "inmemory.cluster.max-staleness", Duration.ofSeconds(10), Duration.ofMillis(2),
      Duration.ofHours(1), "How long the change feed may go unread (the store unreachable)"
          + " before this process drops the partitions it holds, so that reads fail rather than"
          + " answer from a stale copy; more than the poll interval");

  static final String THREAD = "inmemory-changes";

  private static final Logger LOG = LoggerFactory.getLogger("io.inmemory.engine.Memory");
  private static final int BATCH = 500;
  private static final Duration FIRST_RETRY = Duration.ofMillis(200);
  private static final Duration LAST_RETRY = Duration.ofSeconds(5);
  private static final Duration TRIM_EVERY = Duration.ofMinutes(1);

  /**
   * The follower's settings.
   *
   * @param enabled whether to follow a store's feed ({@link #FEED} is not off)
   * @param pollInterval the pause between reads of a polled feed that found nothing
   * @param maxStaleness how long the feed may go unread before the partitions held are dropped
   */
  record Settings(boolean enabled, Duration pollInterval, Duration maxStaleness) {
    /** Every key the follower reads. */
    static List<ConfigKey<?>> keys() {
      return List.of(FEED, POLL_INTERVAL, MAX_STALENESS);
    }

    /**
     * The settings {@code config} gives.
     *
     * @throws ConfigurationException when the staleness bound is not above the poll interval
     */
    static Settings from(InMemoryConfig config) {
      Duration poll = config.get(POLL_INTERVAL);
      Duration stale = config.get(MAX_STALENESS);
      if (stale.compareTo(poll) <= 0) {
        throw new ConfigurationException(MAX_STALENESS.name() + " (" + MAX_STALENESS.envName()
            + ", " + stale + " from " + config.sourceOf(MAX_STALENESS) + ") must be more than "
            + POLL_INTERVAL.name() + " (" + POLL_INTERVAL.envName() + ", " + poll + " from "
            + config.sourceOf(POLL_INTERVAL) + "): every poll would count as too late");
      }
      return new Settings(config.get(FEED) != Mode.OFF, poll, stale);
    }
  }

  private final ChangeFeed feed;
  private final ChangeReader reader;
  private final MemoryStore store;
  private final PartitionCache cache;
  private final String embedderId;
  private final int dimension;
  private final Settings settings;
  private final Thread thread;
  private final Object pause = new Object();
  private final StalenessWindow staleness = new StalenessWindow();
  private final AtomicLong applied = new AtomicLong();
  private final AtomicLong reloads = new AtomicLong();
  /** Changes read but not applied yet (the store failed a re-read), by partition; follower only. */
  private final Map<PartitionKey, Pending> pending = new LinkedHashMap<>();
  private final Set<String> foreignEmbedders = new HashSet<>();
  /** When the last read began whose changes, and all before them, were applied; nanoTime. */
  private volatile long caughtUp;
  /** When the read whose changes are being applied began; nanoTime. */
  private long readingFrom;
  /** Whether the partitions were dropped for staleness since the last successful read. */
  private boolean degraded;
  private volatile boolean stopping;
  /** When the current streak of failures began (nanoTime), or 0 while reads succeed. */
  private long failingSince;
  private Duration retry = Duration.ZERO;
  private long nextTrim;
  private boolean trimFailing;

  private ChangeFollower(ChangeFeed feed, MemoryStore store, PartitionCache cache,
      String embedderId, int dimension, Settings settings) {
    this.feed = feed;
    this.store = store;
    this.cache = cache;
    this.embedderId = embedderId;
    this.dimension = dimension;
    this.settings = settings;
    // opened before the engine serves: every partition loaded later is read after its position
    this.reader = feed.openReader();
    this.caughtUp = System.nanoTime();
    // at once, then about every minute: a process starting trims what its predecessors left
    this.nextTrim = caughtUp;
    this.thread = new Thread(this::run, THREAD);
    thread.setDaemon(true);
  }

  /**
   * Follows {@code store}'s change feed when it has one and {@code settings} enable it: opens a
   * reader at the feed's head and starts the {@value #THREAD} thread. Empty otherwise.
   *
   * @throws io.inmemory.StorageException when the feed cannot be read
   */
  static Optional<ChangeFollower> start(MemoryStore store, PartitionCache cache,
      String embedderId, int dimension, Settings settings) {
    if (!settings.enabled()) {
      return Optional.empty();
    }
    return store.changeFeed().map(feed -> {
      ChangeFollower follower =
          new ChangeFollower(feed, store, cache, embedderId, dimension, settings);
      follower.thread.start();
      LOG.info("Following the changes of other processes: {}, read every {} ms; partitions"
          + " dropped after {} s without a read", feed.describe(),
          settings.pollInterval().toMillis(), settings.maxStaleness().toMillis() / 1000.0);
      return follower;
    });
  }

  /**
   * What the follower did, and how far behind the other processes it is: degraded once nothing
   * was read for longer than the staleness bound, whether the store fails or the thread is stuck
   * in a call.
   */
  ChangeFeedStats stats() {
    long now = System.nanoTime();
    long[] window = staleness.snapshot(now);
    Duration behind = Duration.ofNanos(Math.max(0, now - caughtUp));
    return new ChangeFeedStats(feed.describe(), behind.compareTo(settings.maxStaleness()) > 0,
        behind, applied.get(),
        reloads.get(), Duration.ofMillis(window[0]), Duration.ofMillis(window[1]),
        Duration.ofMillis(window[2]));
  }

  /** The follower as a health component: up while it keeps up, down while degraded. */
  Health.Component health() {
    ChangeFeedStats stats = stats();
    return new Health.Component(stats.degraded() ? Health.Status.DOWN : Health.Status.UP,
        Duration.ZERO, stats.describe());
  }

  /**
   * Stops the thread (it finishes the change it is applying) and closes the reader; waits for it
   * a few seconds at most. Idempotent.
   */
  @Override
  public void close() {
    stopping = true;
    synchronized (pause) {
      pause.notifyAll();
    }
    long wait = Math.max(5_000, 2 * settings.pollInterval().toMillis());
    try {
      thread.join(wait);
      if (thread.isAlive()) {
        // stuck in a store call: an interrupt is the last resort, as it may break a connection
        thread.interrupt();
        thread.join(1_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      LOG.warn("The {} thread did not stop within {} ms; closing the store under it", THREAD,
          wait);
    }
  }

  private void run() {
    try {
      while (!stopping) {
        boolean idle;
        try {
          idle = step();
          succeeded();
        } catch (RuntimeException e) {
          failed(e);
          sleep(retry);
          continue;
        }
        trimIfDue();
        if (idle && !reader.waits()) {
          sleep(settings.pollInterval());
        }
      }
    } catch (Error e) {
      LOG.error("The {} thread stopped: other processes' changes are no longer applied", THREAD,
          e);
      throw e;
    } finally {
      try {
        reader.close();
      } catch (RuntimeException e) {
        LOG.debug("Closing the change reader failed", e);
      }
    }
  }

  /**
   * Reads the next batch unless changes read before are still to apply, then applies every
   * change pending; returns whether the read found nothing.
   */
  private boolean step() {
    boolean idle = false;
    if (pending.isEmpty()) {
      long started = System.nanoTime();
      ChangeBatch batch = reader.next(BATCH, settings.pollInterval());
      readingFrom = started;
      if (batch.trimmed()) {
        // said before the reload: a search may see its result as soon as it starts
        LOG.warn("The change feed ({}) was trimmed past this process's position: what other"
            + " processes changed meanwhile is unknown, so every partition held is read again",
            feed.describe());
        reloads.addAndGet(cache.reloadAll());
      }
      for (Change change : batch.changes()) {
        if (!change.processId().equals(feed.processId())) {
          pending.computeIfAbsent(change.partition(), key -> new Pending()).add(change);
        }
      }
      idle = batch.changes().isEmpty();
    }
    for (Iterator<Map.Entry<PartitionKey, Pending>> it = pending.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<PartitionKey, Pending> entry = it.next();
      apply(entry.getKey(), entry.getValue());
      it.remove();
      long now = System.nanoTime();
      Instant wall = Instant.now();
      for (Instant at : entry.getValue().at) {
        staleness.add(now, Math.max(0, Duration.between(at, wall).toMillis()));
      }
      applied.addAndGet(entry.getValue().at.size());
    }
    return idle;
  }

  /** Applies the changes of one partition: a re-read of their ids, or a reload. */
  private void apply(PartitionKey key, Pending changes) {
    if (changes.ids == null) {
      reload(key);
      return;
    }
    String[] foreign = new String[1];
    cache.ifLoaded(key, partition -> {
      List<StoredMemory> current = store.load(key, changes.ids);
      for (StoredMemory memory : current) {
        if (!memory.embedderId().equals(embedderId) || memory.embedding().length != dimension) {
          foreign[0] = memory.embedderId();
          return;
        }
      }
      partition.refresh(current, changes.ids);
    });
    if (foreign[0] != null) {
      // a load re-embeds them; the index must never mix two models' vectors
      if (foreignEmbedders.add(foreign[0])) {
        LOG.warn("Processes sharing the store use different embedders: {} here, {} in a change"
            + " another process wrote. Each reloads and re-embeds what the other writes; give"
            + " every process the same embedder", embedderId, foreign[0]);
      }
      reload(key);
    }
  }

  private void reload(PartitionKey key) {
    if (cache.reload(key)) {
      reloads.incrementAndGet();
    }
  }

  private void succeeded() {
    caughtUp = readingFrom;
    if (failingSince != 0) {
      LOG.info("The change feed ({}) is read again after {} s of failures{}", feed.describe(),
          seconds(System.nanoTime() - failingSince),
          degraded ? "; partitions are loaded from the store again" : "");
      failingSince = 0;
      retry = Duration.ZERO;
      degraded = false;
    }
  }

  private void failed(RuntimeException e) {
    long now = System.nanoTime();
    if (failingSince == 0) {
      failingSince = now;
      LOG.warn("The change feed ({}) or the store cannot be read; retrying, for at most {} s"
          + " before the partitions held are dropped", feed.describe(),
          settings.maxStaleness().toMillis() / 1000.0, e);
    } else {
      LOG.debug("The change feed still cannot be read", e);
    }
    retry = retry.isZero() ? FIRST_RETRY
        : retry.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : retry.multipliedBy(2);
    if (now - caughtUp > settings.maxStaleness().toNanos()) {
      // every attempt, not once: a partition loaded meanwhile would go stale in its turn
      int held = cache.reloadAll();
      reloads.addAndGet(held);
      if (!degraded) {
        degraded = true;
        LOG.error("No change read for {} s, more than {} ({}): dropped every partition held"
            + " ({}), so that reads go to the store (and fail while it is unreachable) instead of"
            + " answering from copies that may hold memories deleted meanwhile",
            seconds(now - caughtUp), MAX_STALENESS.name(), settings.maxStaleness(), held);
      }
    }
  }

  /**
   * Trims the feed about once a minute (at a time of its own in every process, so that they do
   * not all trim at once).
   */
  private void trimIfDue() {
    long now = System.nanoTime();
    if (now - nextTrim < 0) {
      return;
    }
    nextTrim = nextTrim(now);
    try {
      feed.trim();
      trimFailing = false;
    } catch (RuntimeException e) {
      if (!trimFailing) {
        LOG.warn("Could not trim the change feed ({}); trying again in a minute",
            feed.describe(), e);
      }
      trimFailing = true;
    }
  }

  private static long nextTrim(long now) {
    return now + TRIM_EVERY.toNanos()
        + ThreadLocalRandom.current().nextLong(TRIM_EVERY.toNanos() / 4);
  }

  private void sleep(Duration duration) {
    synchronized (pause) {
      if (!stopping) {
        try {
          pause.wait(Math.max(1, duration.toMillis()));
        } catch (InterruptedException e) {
          stopping = true;
        }
      }
    }
  }

  private static String seconds(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e9);
  }

  /** The changes of one partition read and not applied yet: their ids, or the whole of it. */
  private static final class Pending {
    /** The ids to re-read; null when the whole partition is. */
    private @Nullable Set<String> ids = new HashSet<>();
    private final List<Instant> at = new ArrayList<>();

    void add(Change change) {
      at.add(change.at());
      if (change.wholePartition()) {
        ids = null;
      } else if (ids != null) {
        ids.addAll(change.memoryIds());
      }
    }
  }

  /**
   * The staleness of the changes applied in the last minute: from when the writer recorded each
   * to when it was applied here, in milliseconds. Thread-safe; holds at most
   * {@value #MAX_SAMPLES} samples (the oldest go first).
   */
  static final class StalenessWindow {
    private static final int MAX_SAMPLES = 100_000;
    private static final long WINDOW = Duration.ofMinutes(1).toNanos();
    /** {when applied (nanoTime), staleness (ms)}, oldest first. */
    private final ArrayDeque<long[]> samples = new ArrayDeque<>();

    synchronized void add(long now, long millis) {
      samples.addLast(new long[] {now, millis});
      if (samples.size() > MAX_SAMPLES) {
        samples.removeFirst();
      }
      expire(now);
    }

    /** {p50, p99, max} of the last minute's samples, in ms; zeros when there are none. */
    synchronized long[] snapshot(long now) {
      expire(now);
      long[] millis = samples.stream().mapToLong(sample -> sample[1]).toArray();
      if (millis.length == 0) {
        return new long[3];
      }
      Arrays.sort(millis);
      return new long[] {percentile(millis, 0.50), percentile(millis, 0.99),
          millis[millis.length - 1]};
    }

    private void expire(long now) {
      while (!samples.isEmpty() && now - samples.peekFirst()[0] > WINDOW) {
        samples.removeFirst();
      }
    }

    private static long percentile(long[] sorted, double p) {
      return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
    }
  }
}
