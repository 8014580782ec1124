package io.inmemory.engine.index;

import java.util.*;
import java.util.function.Predicate;

// TEMPORARY STUB (untracked) until wip/index merges.
public final class VectorIndex {
  private final Map<String, float[]> vectors = new java.util.concurrent.ConcurrentHashMap<>();
  private final int dimension;
  public VectorIndex(int dimension, IndexSettings settings) { this.dimension = dimension; }
  public void put(String id, float[] v) { vectors.put(id, v); }
  public boolean remove(String id) { return vectors.remove(id) != null; }
  public int size() { return vectors.size(); }
  public int dimension() { return dimension; }
  public List<Neighbor> search(float[] q, int k) { return search(q, k, id -> true, -1); }
  public List<Neighbor> search(float[] q, int k, Predicate<String> filter, int matching) {
    List<Neighbor> all = new ArrayList<>();
    vectors.forEach((id, v) -> { if (filter.test(id)) { float s = 0; for (int i = 0; i < v.length; i++) s += v[i] * q[i]; all.add(new Neighbor(id, s)); } });
    all.sort((a, b) -> Float.compare(b.score(), a.score()));
    return all.subList(0, Math.min(k, all.size()));
  }
}
