package io.inmemory.engine.index;

import com.github.jelmerk.hnswlib.core.DistanceFunction;
import com.github.jelmerk.hnswlib.core.Index;
import com.github.jelmerk.hnswlib.core.NullProgressListener;
import com.github.jelmerk.hnswlib.core.SearchResult;
import com.github.jelmerk.hnswlib.core.hnsw.HnswIndex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Approximate layout: an hnswlib graph built with removal enabled, plus a map from id to entry
 * for lookups and exact scans of filtered subsets. The map costs about 50 bytes per vector (heap
 * measured at 100k vectors with and without it) but spares every lookup hnswlib's global lock, which its {@code get},
 * {@code size} and {@code items} (a copy of every item) take, so concurrent searches never queue
 * behind each other there. The graph serializes compactly (see {@link GraphSnapshot}) so that
 * it can be saved and restored instead of rebuilt.
 *
 * <p>hnswlib marks removed nodes deleted but keeps them in the graph, where they still route
 * searches and occupy a slot of its fixed capacity; a replaced vector becomes such a tombstone
 * plus a new node. The store grows the capacity with {@code resize} and asks for a rebuild once
 * tombstones outnumber live vectors, past which searches walk more dead nodes than live ones.
 *
 * <p>Concurrency (see {@link VectorIndex}): hnswlib's {@code add} holds a node's monitor while
 * waiting for one of its per-processor scratch bitsets, and searches hold a bitset while waiting
 * for node monitors, so more concurrent adders than processors can deadlock. Here writes and
 * {@code resize} run alone (the index's write lock), searches only run with other searches, which
 * never wait while holding a monitor, and the build uses at most one thread per processor on a
 * graph nobody else sees yet.
 */
final class GraphStore implements Store {

  /**
   * Distance = negated dot product, so that the graph's nearest are the highest scores. A named
   * enum rather than a lambda because hnswlib serializes its distance function with the graph.
   */
  enum NegatedDot implements DistanceFunction<float[], Float> {
    INSTANCE;

    @Override
    public Float distance(float[] u, float[] v) {
      return -Vectors.dot(u, v);
    }
  }

  private static final int MIN_CAPACITY = 1024;

  private final IndexSettings settings;
  private final HnswIndex<String, float[], Entry, Float> graph;
  /** The live entries of the graph, by id; the same instances as the graph's items. */
  private final Map<String, Entry> entries;
  /** Graph nodes, live and deleted. */
  private int nodes;

  /** A store over {@code graph}, whose live items are exactly {@code live} (taken over). */
  GraphStore(IndexSettings settings, HnswIndex<String, float[], Entry, Float> graph,
      Map<String, Entry> live, int nodes) {
    this.settings = settings;
    this.graph = graph;
    // hnswlib searches with a beam of max(its ef, the count asked for); asking for the beam
    // width itself makes that the width, chosen per search.
    graph.setEf(1);
    this.entries = live;
    this.nodes = nodes;
  }

  /** Builds a graph over {@code entries} (distinct ids) with one thread per processor. */
  static GraphStore build(List<Entry> entries, int dimension, IndexSettings settings)
      throws InterruptedException {
    int capacity = Math.max(MIN_CAPACITY, entries.size() + entries.size() / 2);
    HnswIndex<String, float[], Entry, Float> graph =
        HnswIndex.newBuilder(dimension, NegatedDot.INSTANCE, capacity)
            .withM(settings.m())
            .withEfConstruction(settings.efConstruction())
            .withRemoveEnabled()
            .withCustomSerializers(
                GraphSnapshot.IdSerializer.INSTANCE, GraphSnapshot.EntrySerializer.INSTANCE)
            .build();
    // hnswlib sizes its bitset pool from availableProcessors() too; more threads could deadlock.
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    graph.addAll(
        entries, threads, NullProgressListener.INSTANCE, Index.DEFAULT_PROGRESS_UPDATE_INTERVAL);
    Map<String, Entry> live = new HashMap<>(entries.size() * 4 / 3 + 1);
    entries.forEach(entry -> live.put(entry.id(), entry));
    return new GraphStore(settings, graph, live, entries.size());
  }

  HnswIndex<String, float[], Entry, Float> graph() {
    return graph;
  }

  int nodes() {
    return nodes;
  }

  @Override
  public int size() {
    return entries.size();
  }

  @Override
  public boolean contains(String id) {
    return entries.containsKey(id);
  }

  @Override
  public float @Nullable [] vector(String id) {
    Entry entry = entries.get(id);
    return entry == null ? null : entry.vector();
  }

  @Override
  public void put(String id, float[] vector) {
    Entry previous = entries.get(id);
    if (previous != null && Arrays.equals(previous.vector(), vector)) {
      return;
    }
    if (nodes == graph.getMaxItemCount()) {
      graph.resize(Math.multiplyExact(nodes, 2));
    }
    Entry entry = new Entry(id, vector);
    // With removal enabled, adding a known id with a new vector tombstones the old node.
    uninterrupted(() -> graph.add(entry));
    entries.put(id, entry);
    nodes++;
  }

  @Override
  public boolean remove(String id) {
    if (entries.remove(id) == null) {
      return false;
    }
    graph.remove(id, 0);
    return true;
  }

  @Override
  public List<Neighbor> search(
      float[] query, int k, int ef, @Nullable Predicate<String> filter, int matchingCount) {
    int size = entries.size();
    int matching = filter == null ? size : Math.min(matchingCount, size);
    if (matching >= 0 && settings.scanFiltered(k, ef, matching, size)) {
      return exact(query, k, filter);
    }
    // Widen the beam by the inverse selectivity so about ef matching ids fall inside it.
    double selectivity = matching < 0 ? 1 : (double) matching / size;
    int fetch = (int) Math.min(size, Math.ceil(Math.max(ef, k) / selectivity));
    TopK top = new TopK(k);
    for (SearchResult<Entry, Float> result : uninterrupted(() -> graph.findNearest(query, fetch))) {
      String id = result.item().id();
      if (filter == null || filter.test(id)) {
        top.offer(-result.distance(), id);
      }
    }
    int expected = matching < 0 ? k : Math.min(k, matching);
    return top.size() < expected ? exact(query, k, filter) : top.toList();
  }

  private List<Neighbor> exact(float[] query, int k, @Nullable Predicate<String> filter) {
    TopK top = new TopK(Math.min(k, entries.size()));
    for (Entry entry : entries.values()) {
      if (filter == null || filter.test(entry.id())) {
        top.offer(Vectors.dot(entry.vector(), query), entry.id());
      }
    }
    return top.toList();
  }

  /**
   * Runs a graph call with the thread's interrupt status held back: hnswlib borrows its scratch
   * bitsets with an interruptible wait and, if the thread is interrupted, fails the call midway,
   * which in {@code add} leaves a half-linked node. Such waits are short (see the class comment).
   */
  private static <T> T uninterrupted(Supplier<T> call) {
    boolean interrupted = Thread.interrupted();
    try {
      return call.get();
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public boolean rebuildDue() {
    int size = entries.size();
    return nodes - size > size;
  }

  @Override
  public List<Entry> entries() {
    return new ArrayList<>(entries.values());
  }
}
