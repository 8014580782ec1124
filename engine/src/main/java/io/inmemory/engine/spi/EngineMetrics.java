package io.inmemory.engine.spi;

/**
 * Told what the engine's costly steps took, for an application to feed its own meters (the server
 * adapts it to Micrometer); free of any metrics library, so the engine stays light for embedded
 * use. Set with {@link io.inmemory.engine.Memory.Builder#metrics}; every method defaults to doing nothing, so an
 * implementation overrides what it measures. Called after the fact on the working thread, from
 * many threads at once: implementations must be thread-safe, fast, and must not block or throw
 * (an exception is not caught and would fail the user's call).
 */
public interface EngineMetrics {
  /** Measures nothing: what an engine uses unless given another. */
  EngineMetrics NONE = new EngineMetrics() { };

  /** Why texts were embedded. */
  enum Purpose {
    /** A search query (embedded only on a query cache miss). */
    QUERY,
    /** Texts to store: adds, updates, conversation facts. */
    DOCUMENT
  }

  /** A model call of conversation extraction. */
  enum Step {
    /** The facts of a conversation. */
    EXTRACT,
    /** What the new facts are to the memories held (skipped when none is similar). */
    RECONCILE
  }

  /** A call of the engine on its {@link MemoryStore}. */
  enum StoreOperation {
    INSERT, REPLACE, COMMIT, DELETE, REPLACE_EMBEDDINGS, LOAD, HISTORY
  }

  /**
   * The embedder was called.
   *
   * @param purpose why
   * @param texts how many texts the call embedded
   * @param nanos how long it took
   * @param failed whether it threw or returned vectors that do not fit
   */
  default void embedded(Purpose purpose, int texts, long nanos, boolean failed) {}

  /**
   * The extractor was called.
   *
   * @param step which model call
   * @param nanos how long it took, retries and repairs included
   * @param failed whether it threw
   */
  default void extraction(Step step, long nanos, boolean failed) {}

  /** A search query's embedding was looked up in the query cache. */
  default void queryCache(boolean hit) {}

  /**
   * The store was called.
   *
   * @param operation which call
   * @param nanos how long it took
   * @param failed whether it threw
   */
  default void storeCall(StoreOperation operation, long nanos, boolean failed) {}
}
