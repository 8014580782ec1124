package io.inmemory.embeddings.onnx;

import io.inmemory.engine.spi.Embedder;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * An embedder whose id and dimension are known before its model is loaded, which happens on the
 * first embedding ({@link OnnxEmbedder.Builder#lazy()}). The loaded embedder must have the id and
 * dimension announced, else that embedding fails and the model is released: vectors stored under
 * one id are never computed by another model. Thread-safe: one thread loads, the others wait for
 * it; after {@link #close()} every call throws {@link IllegalStateException}.
 */
final class LazyEmbedder implements Embedder {
  private final String id;
  private final int dimension;
  private final Supplier<? extends Embedder> loader;
  private volatile @Nullable Embedder loaded;
  private boolean closed;

  LazyEmbedder(String id, int dimension, Supplier<? extends Embedder> loader) {
    this.id = id;
    this.dimension = dimension;
    this.loader = loader;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public float[] embedQuery(String text) {
    return loaded().embedQuery(text);
  }

  @Override
  public List<float[]> embedDocuments(List<String> texts) {
    return loaded().embedDocuments(texts);
  }

  /** Whether the model was loaded (for tests). */
  boolean isLoaded() {
    return loaded != null;
  }

  private Embedder loaded() {
    Embedder embedder = loaded;
    if (embedder != null) {
      return embedder;
    }
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("this embedder is closed");
      }
      if (loaded == null) {
        Embedder made = loader.get();
        if (!made.id().equals(id) || made.dimension() != dimension) {
          made.close();
          throw new IllegalStateException("the embedding model loaded is " + made.id() + " ("
              + made.dimension() + " dimensions), not the announced " + id + " (" + dimension
              + " dimensions)");
        }
        loaded = made;
      }
      return loaded;
    }
  }

  /** Releases the model if it was loaded; idempotent. */
  @Override
  public synchronized void close() {
    closed = true;
    Embedder embedder = loaded;
    if (embedder != null) {
      embedder.close();
    }
  }
}
