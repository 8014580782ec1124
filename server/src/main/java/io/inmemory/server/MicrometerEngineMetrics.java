package io.inmemory.server;

import io.inmemory.engine.spi.EngineMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The engine's {@link EngineMetrics} as Micrometer meters: {@code inmemory.embedding} {purpose,
 * outcome} and {@code inmemory.embedding.texts}, {@code inmemory.embedding.query.cache} {result},
 * {@code inmemory.extraction} {step, outcome}, {@code inmemory.store.operations} {operation,
 * outcome}. Tags take a handful of fixed values, so
 * the series stay few. Thread-safe; never blocks or throws on a meter it has seen before.
 */
final class MicrometerEngineMetrics implements EngineMetrics {
  private final MeterRegistry registry;
  private final Duration[] buckets;

  /** @param buckets the fixed latency buckets of its timers */
  MicrometerEngineMetrics(MeterRegistry registry, Duration[] buckets) {
    this.registry = registry;
    this.buckets = buckets.clone();
  }

  @Override
  public void embedded(Purpose purpose, int texts, long nanos, boolean failed) {
    time("inmemory.embedding", "Embedder calls: queries (cache misses) and texts to store",
        "purpose", purpose, nanos, failed);
    DistributionSummary.builder("inmemory.embedding.texts")
        .description("Texts per embedder call").baseUnit("texts").tags("purpose", tag(purpose))
        .register(registry).record(texts);
  }

  @Override
  public void extraction(Step step, long nanos, boolean failed) {
    time("inmemory.extraction", "Model calls of conversation extraction", "step", step, nanos,
        failed);
  }

  @Override
  public void queryCache(boolean hit) {
    Counter.builder("inmemory.embedding.query.cache")
        .description("Lookups of a search query's embedding in the query cache")
        .tags("result", hit ? "hit" : "miss").register(registry).increment();
  }

  @Override
  public void storeCall(StoreOperation operation, long nanos, boolean failed) {
    time("inmemory.store.operations", "The engine's calls on its store", "operation", operation,
        nanos, failed);
  }

  /** Records a call in the timer {@code name} tagged {@code kind} and its outcome. */
  private void time(String name, String description, String kind, Enum<?> value, long nanos,
      boolean failed) {
    Timer.builder(name).description(description)
        .tags(kind, tag(value), "outcome", failed ? "failure" : "success")
        .serviceLevelObjectives(buckets).register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  private static String tag(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
