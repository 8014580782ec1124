package io.inmemory.engine.embedding;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.inmemory.ConfigKey;
import io.inmemory.engine.spi.Embedder;
import io.inmemory.engine.spi.EngineMetrics;
import io.inmemory.engine.spi.EngineMetrics.Purpose;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The engine's access to its {@link Embedder}: query embeddings through a cache, and every vector
 * checked against the embedder's dimension, so a faulty embedder fails the call instead of
 * corrupting an index. Engine-internal, not API. Thread-safe.
 */
public final class Embeddings {

  /**
   * How many query embeddings are cached; 0 disables the cache. A query counts once more per
   * {@value #QUERY_CACHE_CHARACTERS_PER_ENTRY} characters, so long queries cannot fill the heap.
   */
  public static final ConfigKey<Integer> QUERY_CACHE_SIZE = ConfigKey.integer(
      "inmemory.embedder.query-cache-size", 10_000, 0, 10_000_000,
      "How many query embeddings the local engine caches (0 disables the cache); a query counts"
          + " once more per 1024 characters.");

  /**
   * Characters of a cached query weighing as much as one more cached entry: at two bytes each,
   * about the size of a 384-dimension vector, so the cache's memory stays near its size times
   * that of a short query's entry.
   */
  private static final int QUERY_CACHE_CHARACTERS_PER_ENTRY = 1024;

  private final Embedder embedder;
  private final EngineMetrics metrics;
  private final Cache<String, float[]> queryEmbeddings;

  /**
   * Wraps {@code embedder}, caching up to {@code queryCacheSize} query embeddings (weighed as
   * {@link #QUERY_CACHE_SIZE} says). Closing the embedder stays the caller's job.
   */
  public Embeddings(Embedder embedder, int queryCacheSize) {
    this(embedder, queryCacheSize, EngineMetrics.NONE);
  }

  /** As {@link #Embeddings(Embedder, int)}, telling {@code metrics} of every embedder call. */
  public Embeddings(Embedder embedder, int queryCacheSize, EngineMetrics metrics) {
    this.embedder = Objects.requireNonNull(embedder, "embedder");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.queryEmbeddings = Caffeine.newBuilder().maximumWeight(queryCacheSize)
        .weigher((String query, float[] vector) ->
            1 + query.length() / QUERY_CACHE_CHARACTERS_PER_ENTRY)
        .build();
  }

  /** The wrapped embedder, for closing it. */
  public Embedder embedder() {
    return embedder;
  }

  /** The embedder's {@link Embedder#id() id}. */
  public String id() {
    return embedder.id();
  }

  /** The embedder's {@link Embedder#dimension() dimension}. */
  public int dimension() {
    return embedder.dimension();
  }

  /**
   * The embedding of a search query, from the cache when it holds it.
   *
   * @throws IllegalStateException when the embedder returns a vector of another dimension
   */
  public float[] query(String query) {
    boolean[] missed = new boolean[1];
    float[] vector = queryEmbeddings.get(query, text -> {
      missed[0] = true;
      return timed(Purpose.QUERY, 1, () -> checkedVector(embedder.embedQuery(text)));
    });
    metrics.queryCache(!missed[0]);
    return vector;
  }

  /**
   * Embeds a fixed query past the cache, so that a health check reaches the embedder itself.
   *
   * @throws IllegalStateException when the embedder returns a vector of another dimension
   * @throws RuntimeException whatever the embedder throws
   */
  public void probe() {
    checkedVector(embedder.embedQuery("health check"));
  }

  /**
   * The embeddings of texts to store, in order.
   *
   * @throws IllegalStateException when the embedder returns another number of vectors than
   *     texts, or a vector of another dimension
   */
  public List<float[]> documents(List<String> texts) {
    return timed(Purpose.DOCUMENT, texts.size(), () -> {
      List<float[]> vectors = embedder.embedDocuments(texts);
      if (vectors.size() != texts.size()) {
        throw new IllegalStateException("embedder " + embedder.id() + " returned "
            + vectors.size() + " vectors for " + texts.size() + " texts");
      }
      return vectors.stream().map(this::checkedVector).toList();
    });
  }

  private <T> T timed(Purpose purpose, int texts, Supplier<T> call) {
    return Timed.call(call, (nanos, failed) -> metrics.embedded(purpose, texts, nanos, failed));
  }

  private float[] checkedVector(float[] vector) {
    if (vector.length != embedder.dimension()) {
      throw new IllegalStateException("embedder " + embedder.id() + " returned " + vector.length
          + " dimensions, expected " + embedder.dimension());
    }
    return vector;
  }
}
