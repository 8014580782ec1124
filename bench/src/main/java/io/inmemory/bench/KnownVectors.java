package io.inmemory.bench;

import io.inmemory.engine.spi.Embedder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real embedder that answers texts it has seen before from a table of that same embedder's
 * vectors ({@link EmbeddedTexts}), and embeds every other text for real: the engine gets the
 * vectors the model gives, just without paying for them twice. Keeps the delegate's id and
 * dimension. {@link #close()} leaves the delegate open, so one loaded model serves several engines;
 * its owner closes it. Thread-safe once built.
 */
final class KnownVectors implements Embedder {
  private final Embedder delegate;
  private final Map<String, float[]> known = new HashMap<>();
  private final AtomicLong embedded = new AtomicLong();

  /** Serves {@code texts}, which must come from {@code delegate}, and delegates the rest. */
  KnownVectors(Embedder delegate, EmbeddedTexts texts) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    if (!texts.embedderId().equals(delegate.id())) {
      throw new IllegalArgumentException("vectors by " + texts.embedderId()
          + " cannot stand in for " + delegate.id());
    }
    for (int i = 0; i < texts.texts().size(); i++) {
      known.put(texts.texts().get(i), texts.vectors().get(i));
    }
  }

  /** Delegates everything: the real embedder, left open on {@link #close()}. */
  KnownVectors(Embedder delegate) {
    this(delegate, new EmbeddedTexts(delegate.id(), List.of(), List.of()));
  }

  /** How many texts went to the real embedder so far. */
  long embedded() {
    return embedded.get();
  }

  @Override
  public String id() {
    return delegate.id();
  }

  @Override
  public int dimension() {
    return delegate.dimension();
  }

  @Override
  public float[] embedQuery(String text) {
    embedded.incrementAndGet();
    return delegate.embedQuery(text);
  }

  @Override
  public List<float[]> embedDocuments(List<String> texts) {
    List<float[]> vectors = new ArrayList<>(texts.size());
    List<String> unknown = new ArrayList<>();
    for (String text : texts) {
      float[] vector = known.get(text);
      vectors.add(vector == null ? null : vector.clone());
      if (vector == null) {
        unknown.add(text);
      }
    }
    if (!unknown.isEmpty()) {
      embedded.addAndGet(unknown.size());
      List<float[]> fresh = delegate.embedDocuments(unknown);
      for (int i = 0, next = 0; i < vectors.size(); i++) {
        if (vectors.get(i) == null) {
          vectors.set(i, fresh.get(next++));
        }
      }
    }
    return vectors;
  }
}
