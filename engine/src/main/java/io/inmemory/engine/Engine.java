package io.inmemory.engine;

import io.inmemory.Health;
import io.inmemory.InMemoryConfig;
import io.inmemory.Limits;
import io.inmemory.MemoryClients;
import io.inmemory.engine.embedding.Embeddings;
import io.inmemory.engine.extraction.Extraction;
import io.inmemory.engine.spi.Embedder;
import io.inmemory.engine.spi.EmbedderProvider;
import io.inmemory.engine.spi.EngineMetrics;
import io.inmemory.engine.spi.Extractor;
import io.inmemory.engine.spi.ExtractorProvider;
import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoreProvider;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an engine and its namespace views share: the settings, the store, the embedder behind its
 * {@link Embeddings}, the {@link PartitionCache} and, when one is configured, the extractor
 * behind its {@link Extraction}. Opened once by {@link Memory}'s builder and closed once by the
 * engine, which owns the store, embedder and extractor. Thread-safe.
 *
 * @param settings the settings read when the engine opened
 * @param store the store, closed by {@link #close()}
 * @param embeddings the embedder, closed by {@link #close()}, with its query cache
 * @param partitions the partitions held
 * @param extraction the model pipeline of conversation adds, or {@code null} when no extractor
 *     is configured (conversations are then remembered message by message)
 * @param follower applies other processes' changes, or {@code null} when the store has no
 *     change feed or following is off; stopped by {@link #close()}
 */
record Engine(EngineSettings settings, MemoryStore store, Embeddings embeddings,
    PartitionCache partitions, @Nullable Extraction extraction,
    @Nullable ChangeFollower follower) {

  /**
   * The engine's logger: its start line keeps the name operators filter on. Named by text, not
   * by {@code Memory.class}: Memory uses this record, and it must not use Memory back.
   */
  private static final Logger LOG = LoggerFactory.getLogger("io.inmemory.engine.Memory");

  /**
   * Validates {@code config}, then opens the embedder and the store it names unless given; on
   * failure closes the embedder it opened (what was given stays the caller's to close). The other
   * values are the builder's, null when not given; see {@link EngineSettings#of}.
   */
  static Engine open(InMemoryConfig config, @Nullable MemoryStore store,
      @Nullable Embedder embedder, @Nullable Extractor extractor, Clock clock,
      @Nullable ZoneId zone, @Nullable Limits limits, @Nullable Long maxMemorySize,
      @Nullable Long cacheMaxHeap, EngineMetrics metrics) {
    // Discovered once: the same lists serve validation (their keys) and selection.
    List<StoreProvider> storeProviders = store == null ? Providers.stores() : List.of();
    List<EmbedderProvider> embedderProviders =
        embedder == null ? Providers.embedders() : List.of();
    List<ExtractorProvider> extractorProviders =
        extractor == null ? Providers.extractors() : List.of();
    EngineSettings.validate(config, storeProviders, embedderProviders, extractorProviders);
    EngineSettings settings = EngineSettings.of(config, clock, zone, limits, maxMemorySize,
        cacheMaxHeap);
    Embedder chosenEmbedder = embedder;
    MemoryStore chosenStore = store;
    Extractor chosenExtractor = extractor;
    try {
      if (chosenExtractor == null) {
        ExtractorProvider provider = Providers.extractor(extractorProviders, config);
        chosenExtractor = provider == null ? null : provider.create(config);
      }
      if (chosenEmbedder == null) {
        chosenEmbedder = Providers.embedder(embedderProviders, config).create(config);
      }
      if (chosenStore == null) {
        chosenStore = Providers.store(storeProviders, config).open(config);
      }
    } catch (RuntimeException e) {
      if (extractor == null) {
        closeQuietly(chosenExtractor, e);
      }
      if (embedder == null) {
        closeQuietly(chosenEmbedder, e);
      }
      throw e;
    }
    if (metrics != EngineMetrics.NONE) {
      chosenStore = new TimedStore(chosenStore, metrics);
    }
    Embeddings embeddings = new Embeddings(chosenEmbedder, settings.queryCacheSize(), metrics);
    LOG.info("InMemory engine {} ready: store {}, embedder {} ({} dimensions), extractor {},"
        + " time zone {}, partitions within {} MiB of heap ({})", MemoryClients.version(),
        chosenStore.describe(), embeddings.id(), embeddings.dimension(),
        chosenExtractor == null ? "none" : chosenExtractor.id(), settings.zone(),
        settings.cacheBudget() >> 20, PartitionCache.budgetSource(config, cacheMaxHeap));
    PartitionCache partitions = new PartitionCache(new PartitionLoader(chosenStore, embeddings,
        settings.index(), settings.retrieval()), settings.cacheBudget());
    ChangeFollower follower;
    try {
      follower = ChangeFollower.start(chosenStore, partitions, embeddings.id(),
          embeddings.dimension(), settings.feed()).orElse(null);
    } catch (RuntimeException e) {
      // what the builder was given stays the caller's to close, as above
      if (store == null) {
        closeQuietly(chosenStore, e);
      }
      if (embedder == null) {
        closeQuietly(chosenEmbedder, e);
      }
      if (extractor == null) {
        closeQuietly(chosenExtractor, e);
      }
      throw e;
    }
    return new Engine(settings, chosenStore, embeddings, partitions,
        chosenExtractor == null ? null
            : new Extraction(chosenExtractor, settings.temporal(), settings.limits(),
                metrics), follower);
  }

  /**
   * Probes the store and the embedder, each timed, and describes the partitions held; never
   * throws.
   */
  /**
   * {@code use} applied to the partition of {@code key}, pinned meanwhile: an eviction cannot
   * make a second instance load while this one is used.
   */
  <T> T using(PartitionKey key, Function<Partition, T> use) {
    try (PartitionCache.Lease lease = partitions.acquire(key)) {
      return use.apply(lease.partition());
    }
  }

  Health health() {
    Map<String, Health.Component> components = new LinkedHashMap<>();
    components.put("store", probe(() -> {
      store.ping();
      return store.describe();
    }));
    components.put("embedder", probe(() -> {
      embeddings.probe();
      return embeddings.id() + " (" + embeddings.dimension() + " dimensions)";
    }));
    if (extraction != null) {
      // A model call per health check would cost the user money: configured, never probed.
      components.put("extractor", new Health.Component(Health.Status.UP, Duration.ZERO,
          extraction.extractorId() + " (configured; not probed)"));
    }
    // aggregate figures only: health is public on a server, and names no user
    components.put("partitions", new Health.Component(Health.Status.UP, Duration.ZERO,
        partitions.stats().describe()));
    if (follower != null) {
      components.put("feed", follower.health());
    }
    boolean up = components.values().stream()
        .allMatch(component -> component.status() == Health.Status.UP);
    return new Health(up ? Health.Status.UP : Health.Status.DOWN, MemoryClients.version(),
        components, settings.clock().instant());
  }

  private static Health.Component probe(Callable<String> check) {
    long start = System.nanoTime();
    try {
      String detail = check.call();
      return new Health.Component(Health.Status.UP, Duration.ofNanos(System.nanoTime() - start),
          detail);
    } catch (Exception e) {
      return new Health.Component(Health.Status.DOWN, Duration.ofNanos(System.nanoTime() - start),
          e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  /**
   * Stops following other processes' changes, saves the graphs that changed as index snapshots,
   * then closes the store, the embedder and the
   * extractor and drops the partitions; the first failure to close is thrown, with later ones suppressed.
   */
  void close() {
    if (follower != null) {
      follower.close();
    }
    partitions.saveGraphs();
    RuntimeException failure = null;
    List<AutoCloseable> resources = new ArrayList<>(List.of(store, embeddings.embedder()));
    if (extraction != null) {
      resources.add(extraction);
    }
    for (AutoCloseable resource : resources) {
      try {
        resource.close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new IllegalStateException("closing the engine failed", e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    partitions.close();
    if (failure != null) {
      throw failure;
    }
  }

  /** Closes {@code resource} unless null, adding what it throws to {@code failure}. */
  static void closeQuietly(@Nullable AutoCloseable resource, RuntimeException failure) {
    if (resource != null) {
      try {
        resource.close();
      } catch (Exception e) {
        failure.addSuppressed(e);
      }
    }
  }
}
