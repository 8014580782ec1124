package io.inmemory.engine;

import io.inmemory.ConfigKey;
import io.inmemory.InMemoryConfig;
import io.inmemory.Limits;
import io.inmemory.SearchRequest;
import io.inmemory.engine.embedding.Embeddings;
import io.inmemory.engine.index.IndexSettings;
import io.inmemory.engine.retrieval.RetrievalSettings;
import io.inmemory.engine.spi.EmbedderProvider;
import io.inmemory.engine.spi.ExtractorProvider;
import io.inmemory.engine.spi.StoreProvider;
import io.inmemory.engine.temporal.TemporalExpression;
import io.inmemory.engine.temporal.TemporalParser;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The settings an engine and its namespace views run with, read once when it opens. Immutable.
 *
 * @param zone the time zone of time phrases when a request names none
 * @param clock stamps createdAt, updatedAt and history, and resolves "now"
 * @param limits the size limits every request is checked against
 * @param temporal resolves time phrases
 * @param index the vector index's settings
 * @param retrieval how searches with a query rank
 * @param queryCacheSize how many query embeddings are cached
 * @param cacheBudget the heap budget of the partitions held, in bytes
 * @param feed how other processes' changes are followed, on a store shared with them
 */
record EngineSettings(ZoneId zone, Clock clock, Limits limits, TemporalParser temporal,
    IndexSettings index, RetrievalSettings retrieval, int queryCacheSize, long cacheBudget,
    ChangeFollower.Settings feed) {

  /**
   * The settings of {@code config}, where the builder's values win: its {@code zone} and
   * {@code limits} when given, its {@code maxMemorySize} over whichever limits apply, and its
   * {@code cacheMaxHeap} over {@code inmemory.cache.max-heap}.
   */
  static EngineSettings of(InMemoryConfig config, Clock clock, @Nullable ZoneId zone,
      @Nullable Limits limits, @Nullable Long maxMemorySize, @Nullable Long cacheMaxHeap) {
    Limits configured = limits != null ? limits : Limits.from(config);
    return new EngineSettings(zone != null ? zone : config.get(InMemoryConfig.TIME_ZONE), clock,
        maxMemorySize == null ? configured : configured.withMaxMemorySize(maxMemorySize),
        TemporalParser.from(config), IndexSettings.defaults(), RetrievalSettings.from(config),
        config.get(Embeddings.QUERY_CACHE_SIZE),
        PartitionCache.budget(config, cacheMaxHeap, Runtime.getRuntime().maxMemory()),
        ChangeFollower.Settings.from(config));
  }

  /**
   * The request's time phrase resolved at its reference time, else now, in its zone, else
   * {@link #zone}; empty when it names none.
   *
   * @throws io.inmemory.InvalidRequestException when the phrase cannot be resolved
   */
  Optional<TemporalExpression> temporal(SearchRequest request) {
    return Optional.ofNullable(request.temporal()).map(phrase -> temporal.parse(phrase,
        request.referenceTime() != null ? request.referenceTime() : clock.instant(),
        request.zone() != null ? request.zone() : zone));
  }

  /**
   * Checks every key the engine and the given providers read, in the order configuration errors
   * list them.
   *
   * @throws io.inmemory.ConfigurationException listing every key whose value is invalid
   */
  static void validate(InMemoryConfig config, List<StoreProvider> storeProviders,
      List<EmbedderProvider> embedderProviders, List<ExtractorProvider> extractorProviders) {
    List<ConfigKey<?>> keys = new ArrayList<>(InMemoryConfig.keys());
    keys.addAll(Limits.keys());
    keys.add(Embeddings.QUERY_CACHE_SIZE);
    keys.add(PartitionCache.MAX_HEAP);
    keys.addAll(ChangeFollower.Settings.keys());
    keys.addAll(TemporalParser.keys());
    keys.addAll(RetrievalSettings.keys());
    storeProviders.forEach(provider -> keys.addAll(provider.configKeys()));
    embedderProviders.forEach(provider -> keys.addAll(provider.configKeys()));
    extractorProviders.forEach(provider -> keys.addAll(provider.configKeys()));
    config.validate(keys);
  }
}
