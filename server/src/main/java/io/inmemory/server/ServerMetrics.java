package io.inmemory.server;

import io.inmemory.engine.ChangeFeedStats;
import io.inmemory.engine.Memory;
import io.inmemory.engine.PartitionCacheStats;
import io.inmemory.engine.spi.EngineMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.http.Outcome;
import io.micrometer.core.instrument.binder.jetty.JettyConnectionMetrics;
import io.micrometer.core.instrument.binder.jetty.JettyServerThreadPoolMetrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.eclipse.jetty.server.Server;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * The server's meters, in a Prometheus registry it owns: the request timer, Jetty's thread pool
 * and connections, the JVM, and the engine's partition cache and change feed, read once per
 * scrape. Names follow Micrometer's conventions (dotted, base units); the Prometheus registry
 * turns them into {@code snake_case} with {@code _seconds}, {@code _bytes} and {@code _total}.
 * Requests are tagged by route template, never by the raw path, so that no client can grow the
 * number of series. Thread-safe; {@link #close()} releases the binders that hold listeners.
 */
final class ServerMetrics implements RequestTimer, AutoCloseable {
  /** Requests that matched no route. */
  static final String NOT_FOUND = "NOT_FOUND";
  /** Requests refused before routing other than by a missing route (a preflight, a 405). */
  static final String UNKNOWN = "UNKNOWN";
  static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";
  static final String OPEN_METRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
  /** How long one engine snapshot serves the gauges of a scrape. */
  private static final Duration SNAPSHOT_AGE = Duration.ofSeconds(1);
  /** Fixed buckets instead of a percentile histogram: 11 series per timer, not about 70. */
  private static final Duration[] SLO = {Duration.ofMillis(5), Duration.ofMillis(10),
      Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
      Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
      Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

  /** Methods tagged as sent; any other a client makes up is tagged {@code OTHER}. */
  private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE",
      "OPTIONS", "PATCH", "TRACE");

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final List<AutoCloseable> closeables = new ArrayList<>();
  /**
   * The engine snapshots the gauges and function counters read: Micrometer holds those weakly,
   * so without this strong hold a collection clears them and the meters read NaN.
   */
  private final List<Snapshot<?>> snapshots = new ArrayList<>();

  /**
   * Binds the JVM's meters; the engine's come with {@link #engine} and {@link #bind(Memory)},
   * Jetty's with {@link #bind(Server)}.
   */
  ServerMetrics() {
    List<MeterBinder> binders = List.of(new ClassLoaderMetrics(), new JvmMemoryMetrics(),
        new JvmThreadMetrics(), new ProcessorMetrics(), new UptimeMetrics());
    binders.forEach(binder -> binder.bindTo(registry));
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    closeables.add(gc);
  }

  /** What an engine the server opens reports its embedder and store calls to. */
  EngineMetrics engine() {
    return new MicrometerEngineMetrics(registry, SLO);
  }

  /** Binds the gauges over {@code memory}'s partition cache and change feed. */
  void bind(Memory memory) {
    Snapshot<PartitionCacheStats> cache = new Snapshot<>(memory::cacheStats);
    snapshots.add(cache);
    bindCache(cache);
    // a store without a change feed has none for the engine's lifetime
    if (memory.feedStats().isPresent()) {
      Snapshot<ChangeFeedStats> feed = new Snapshot<>(() -> memory.feedStats().orElse(null));
      snapshots.add(feed);
      bindFeed(feed);
    }
  }

  /** Binds Jetty's thread pool and connection meters of {@code jetty}; before it starts. */
  void bind(Server jetty) {
    JettyServerThreadPoolMetrics threads =
        new JettyServerThreadPoolMetrics(jetty.getThreadPool(), Tags.empty());
    threads.bindTo(registry);
    closeables.add(threads);
    JettyConnectionMetrics.addToAllConnectors(jetty, registry);
  }

  @Override
  public void record(String method, String uri, int status, long nanos) {
    Timer.builder("http.server.requests")
        .description("HTTP requests, by route template, method and status")
        .tags("method", METHODS.contains(method) ? method : "OTHER", "uri", uri, "status", String.valueOf(status),
            "outcome", Outcome.forStatus(status).name())
        .serviceLevelObjectives(SLO)
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * The answer of {@code GET /metrics}: every meter in Prometheus's text format 0.0.4, or in
   * OpenMetrics 1.0 when {@code accept} names it (as Prometheus's scraper does).
   */
  Reply scrape(@Nullable String accept) {
    String format = accept != null && accept.contains("application/openmetrics-text")
        ? OPEN_METRICS : TEXT_FORMAT;
    return new Reply(200, format, registry.scrape(format).getBytes(StandardCharsets.UTF_8),
        Map.of());
  }

  MeterRegistry registry() {
    return registry;
  }

  @Override
  public void close() {
    for (AutoCloseable closeable : closeables) {
      try {
        closeable.close();
      } catch (Exception e) {
        LoggerFactory.getLogger(ServerMetrics.class).warn("Releasing a meter binder failed", e);
      }
    }
    registry.close();
  }

  private void bindCache(Snapshot<PartitionCacheStats> cache) {
    String prefix = "inmemory.partition.cache.";
    gauge(prefix + "partitions", cache, stats -> stats.heldPartitions(), null,
        "Partitions (one user's or agent's memories) held in the heap");
    gauge(prefix + "memories", cache, stats -> stats.heldMemories(), null,
        "Memories in the partitions held");
    gauge(prefix + "size", cache, stats -> stats.heldBytes(), "bytes",
        "Estimated heap of the partitions held");
    gauge(prefix + "budget", cache, stats -> stats.budgetBytes(), "bytes",
        "The heap budget of the partition cache (inmemory.cache.max-heap)");
    counter(prefix + "hits", cache, stats -> stats.hits(),
        "Uses that found their partition held");
    counter(prefix + "loads", cache, stats -> stats.loads(),
        "Partitions loaded from the store");
    counter(prefix + "evictions", cache, stats -> stats.evictions(),
        "Partitions dropped to keep within the budget");
    counter(prefix + "adoptions", cache, stats -> stats.adoptions(),
        "Uses that took back a partition evicted while in use");
    TimeGauge.builder(prefix + "load.average", cache, TimeUnit.SECONDS,
            snapshot -> seconds(snapshot, stats -> stats.averageLoad()))
        .description("The mean time of a partition load").register(registry);
  }

  private void bindFeed(Snapshot<ChangeFeedStats> feed) {
    String prefix = "inmemory.cluster.feed.";
    TimeGauge.builder(prefix + "behind", feed, TimeUnit.SECONDS,
            snapshot -> seconds(snapshot, stats -> stats.behind()))
        .description("How far behind the other processes' changes this one is")
        .register(registry);
    Map<String, ToDoubleFunction<ChangeFeedStats>> quantiles = Map.of(
        "0.5", stats -> stats.stalenessP50().toNanos() / 1e9,
        "0.99", stats -> stats.stalenessP99().toNanos() / 1e9,
        "1.0", stats -> stats.stalenessMax().toNanos() / 1e9);
    quantiles.forEach((quantile, value) -> TimeGauge.builder(prefix + "staleness", feed,
            TimeUnit.SECONDS, snapshot -> snapshot.value(value))
        .tag("quantile", quantile)
        .description("Staleness of the last minute's changes of other processes")
        .register(registry));
    gauge(prefix + "degraded", feed, stats -> stats.degraded() ? 1 : 0, null,
        "1 when nothing was read for longer than inmemory.cluster.max-staleness");
    counter(prefix + "applied", feed, stats -> stats.applied(),
        "Changes of other processes applied");
    counter(prefix + "reloads", feed, stats -> stats.reloads(),
        "Partitions dropped or reset to be read again whole");
  }

  private <T> void gauge(String name, Snapshot<T> snapshot, ToDoubleFunction<T> value,
      @Nullable String unit, String description) {
    Gauge.builder(name, snapshot, held -> held.value(value)).baseUnit(unit)
        .description(description).register(registry);
  }

  private <T> void counter(String name, Snapshot<T> snapshot, ToDoubleFunction<T> value,
      String description) {
    FunctionCounter.builder(name, snapshot, held -> held.value(value))
        .description(description).register(registry);
  }

  private static <T> double seconds(Snapshot<T> snapshot,
      Function<T, Duration> duration) {
    return snapshot.value(stats -> duration.apply(stats).toNanos() / 1e9);
  }

  /**
   * The engine's figures, read at most once per {@link #SNAPSHOT_AGE}: a scrape reads a dozen
   * gauges of one consistent snapshot instead of a dozen snapshots. NaN when there is none (the
   * engine closed, or the feed gone), which Prometheus shows as a gap rather than a false zero.
   */
  private static final class Snapshot<T> {
    private final Supplier<@Nullable T> source;
    private @Nullable T held;
    private long readAt;

    Snapshot(Supplier<@Nullable T> source) {
      this.source = source;
    }

    synchronized double value(ToDoubleFunction<T> figure) {
      long now = System.nanoTime();
      if (held == null || now - readAt > SNAPSHOT_AGE.toNanos()) {
        try {
          held = source.get();
        } catch (IllegalStateException closed) {
          held = null;
        }
        readAt = now;
      }
      return held == null ? Double.NaN : figure.applyAsDouble(held);
    }
  }
}
