package io.inmemory.engine.tck;

import io.inmemory.engine.spi.Embedder;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deterministic bag-of-words embedder for tests of mechanics (not meaning): texts sharing words
 * get similar vectors. Counts its calls so tests can see caching and batching. Thread-safe. Tests
 * that need a failing or slow embedder extend it and override one method.
 */
public class HashingEmbedder implements Embedder {
  private final String id;
  private final int dimension;
  private final AtomicInteger queryCalls = new AtomicInteger();
  private final AtomicInteger documentCalls = new AtomicInteger();

  public HashingEmbedder() {
    this("hashing:1", 64);
  }

  public HashingEmbedder(String id, int dimension) {
    this.id = id;
    this.dimension = dimension;
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
    queryCalls.incrementAndGet();
    return embed(text);
  }

  @Override
  public List<float[]> embedDocuments(List<String> texts) {
    documentCalls.incrementAndGet();
    return texts.stream().map(this::embed).toList();
  }

  public int queryCalls() {
    return queryCalls.get();
  }

  public int documentCalls() {
    return documentCalls.get();
  }

  private float[] embed(String text) {
    float[] vector = new float[dimension];
    for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (!word.isEmpty()) {
        int hash = word.hashCode();
        vector[Math.floorMod(hash, dimension)] += (hash & 0x10000) == 0 ? 1 : -1;
      }
    }
    double norm = 0;
    for (float component : vector) {
      norm += component * component;
    }
    if (norm == 0) {
      vector[0] = 1;
      return vector;
    }
    float scale = (float) (1 / Math.sqrt(norm));
    for (int i = 0; i < dimension; i++) {
      vector[i] *= scale;
    }
    return vector;
  }
}
