package io.inmemory.engine.index;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Exact layout: every vector in one contiguous float array, scanned in full for each search.
 * Contiguity matters: on the build machine a scan of 100k×384 floats takes about 12 ms from one
 * array against about 38 ms from one array per vector. Removal moves the last vector into the
 * hole, so the array stays dense. The arrays handed in are kept too (one reference each, the
 * arrays are the caller's): {@link #entries()} hands them on, so that the graph built once the
 * partition grows holds the caller's arrays rather than a second copy of every vector.
 */
final class FlatStore implements Store {

  /** Small: an engine holds one index per user, most of them with few memories. */
  private static final int INITIAL_CAPACITY = 4;

  private final int dimension;
  private final IndexSettings settings;
  private final Map<String, Integer> slots = new HashMap<>();
  private float[] data;
  private String[] ids;
  private float[][] originals;
  private int size;

  FlatStore(int dimension, IndexSettings settings) {
    this.dimension = dimension;
    this.settings = settings;
    this.data = new float[INITIAL_CAPACITY * dimension];
    this.ids = new String[INITIAL_CAPACITY];
    this.originals = new float[INITIAL_CAPACITY][];
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public boolean contains(String id) {
    return slots.containsKey(id);
  }

  @Override
  public float @Nullable [] vector(String id) {
    Integer slot = slots.get(id);
    return slot == null ? null : originals[slot];
  }

  @Override
  public void put(String id, float[] vector) {
    Integer slot = slots.get(id);
    if (slot == null) {
      if (size == ids.length) {
        int capacity = Math.addExact(ids.length, Math.max(INITIAL_CAPACITY, ids.length / 2));
        ids = Arrays.copyOf(ids, capacity);
        originals = Arrays.copyOf(originals, capacity);
        data = Arrays.copyOf(data, Math.multiplyExact(capacity, dimension));
      }
      slot = size++;
      ids[slot] = id;
      slots.put(id, slot);
    }
    originals[slot] = vector;
    System.arraycopy(vector, 0, data, slot * dimension, dimension);
  }

  @Override
  public boolean remove(String id) {
    Integer slot = slots.remove(id);
    if (slot == null) {
      return false;
    }
    int last = --size;
    if (slot != last) {
      System.arraycopy(data, last * dimension, data, slot * dimension, dimension);
      ids[slot] = ids[last];
      originals[slot] = originals[last];
      slots.put(ids[slot], slot);
    }
    ids[last] = null;
    originals[last] = null;
    return true;
  }

  @Override
  public List<Neighbor> search(
      float[] query, int k, int ef, @Nullable Predicate<String> filter, int matchingCount) {
    TopK top = new TopK(Math.min(k, Math.max(size, 1)));
    for (int i = 0; i < size; i++) {
      if (filter == null || filter.test(ids[i])) {
        top.offer(Vectors.dot(data, i * dimension, query, dimension), ids[i]);
      }
    }
    return top.toList();
  }

  @Override
  public boolean rebuildDue() {
    return size >= settings.hnswThreshold();
  }

  @Override
  public List<Entry> entries() {
    List<Entry> entries = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      entries.add(new Entry(ids[i], originals[i]));
    }
    return entries;
  }
}
