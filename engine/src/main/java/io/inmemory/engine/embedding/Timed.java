package io.inmemory.engine.embedding;

import java.util.function.Supplier;

/**
 * Runs a call and reports how long it took and whether it threw, then answers or throws as the
 * call did: the one timing of the engine's {@link io.inmemory.engine.spi.EngineMetrics} reports
 * (embedder and store calls). Engine-internal (its package is not exported). Stateless.
 */
public final class Timed {
  private Timed() {}

  /** Told of a finished call. */
  @FunctionalInterface
  public interface Report {
    void took(long nanos, boolean failed);
  }

  /** {@code call}'s result, after telling {@code report} of it (also when it throws). */
  public static <T> T call(Supplier<T> call, Report report) {
    long start = System.nanoTime();
    boolean failed = true;
    try {
      T result = call.get();
      failed = false;
      return result;
    } finally {
      report.took(System.nanoTime() - start, failed);
    }
  }
}
