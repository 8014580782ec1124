package io.inmemory.engine.index;

import com.github.jelmerk.hnswlib.core.Item;

/**
 * A stored vector with its id, as kept by the HNSW graph. The array is owned by the index and
 * never written after construction, so entries are shared freely between graphs and snapshots.
 */
record Entry(String id, float[] vector) implements Item<String, float[]> {

  @Override
  public int dimensions() {
    return vector.length;
  }
}
