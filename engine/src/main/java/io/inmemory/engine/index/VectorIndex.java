package io.inmemory.engine.index;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Nearest-neighbour index of unit-length vectors keyed by id: the vector partition of one user.
 * Engine-internal, not API.
 *
 * <p>While smaller than {@link IndexSettings#hnswThreshold()} it scans every vector exactly; on
 * reaching it, an HNSW graph (hnswlib) is built from the current vectors and searched from then
 * on. Scores are dot products, i.e. cosine similarities for unit-length queries. Filtered
 * searches return the top k among the ids that pass the filter however few pass (see
 * {@link #search(float[], int, Predicate, int)}).
 *
 * <p>Thread-safe for any number of threads: searches run concurrently, writes one at a time.
 * hnswlib 1.2.1 deadlocks when more threads than processors call one graph while some of them
 * insert; here inserts into a live graph never overlap anything, which rules that out whatever
 * the number of callers. A graph build runs outside the lock on a snapshot, in the thread whose
 * write made it due; meanwhile reads and writes go on against the previous layout and the writes
 * are replayed onto the new graph before it replaces the old one. Vectors are adopted, not copied
 * (a copy would double the heap of a large partition, whose records hold the same arrays):
 * callers must not modify an array after handing it in.
 *
 * <p><b>Snapshots.</b> A graph can be written with {@link #writeSnapshot} and restored with
 * {@link #restore} instead of being rebuilt (format: {@code GraphSnapshot}); a snapshot is used
 * only when it provably holds the very vectors it is restored for.
 */
public final class VectorIndex {

  /**
   * Cost of scoring one given id directly (a hash lookup, then a vector out of cache) relative to
   * scoring one match in an exact scan, the unit of {@link IndexSettings}: 1.4 to 1.5 measured at
   * 100k vectors of 384 dimensions (m = 1k to 10k given ids against the graph with a filter).
   */
  private static final double DIRECT_SCORE_COST = 1.5;

  private final int dimension;
  private final IndexSettings settings;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private Store store;
  /** Ids written since the running build's snapshot; null when no build runs. */
  private @Nullable Set<String> dirty;
  /** Counts the writes, under the write lock. */
  private long version;
  /** The {@link #version} the last snapshot was written or restored at; -1 for none. */
  private volatile long snapshotVersion = -1;
  private volatile boolean hadGraph;
  private volatile int graphBuilds;

  public VectorIndex(int dimension, IndexSettings settings) {
    if (dimension < 1) {
      throw new IllegalArgumentException("dimension must be positive, was " + dimension);
    }
    this.dimension = dimension;
    this.settings = Objects.requireNonNull(settings, "settings");
    this.store = new FlatStore(dimension, settings);
  }

  private VectorIndex(int dimension, IndexSettings settings, GraphStore restored) {
    this.dimension = dimension;
    this.settings = settings;
    this.store = restored;
    this.snapshotVersion = 0;
    this.hadGraph = true;
  }

  /**
   * An index restored from the snapshot {@code source} opens, for a partition whose vectors are
   * {@code vectors} (unit length, {@code dimension} components). The snapshot must have been written by {@link #writeSnapshot} for the
   * same embedder id, dimension, m and efConstruction, over exactly these ids and vectors.
   *
   * @throws InvalidSnapshotException when it was not, or is damaged; the message says which
   * @throws IOException when the snapshot cannot be read
   */
  public static VectorIndex restore(SnapshotSource source, String embedderId, int dimension,
      IndexSettings settings, Map<String, float[]> vectors) throws IOException {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(embedderId, "embedderId");
    Objects.requireNonNull(settings, "settings");
    return new VectorIndex(dimension, settings,
        GraphSnapshot.read(source, embedderId, dimension, settings, vectors));
  }

  /**
   * Writes this index's graph as a snapshot to {@code out} (left open); searches go on meanwhile,
   * writes wait. Writes nothing and returns false when the index scans exactly (no graph).
   */
  public boolean writeSnapshot(OutputStream out, String embedderId) throws IOException {
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(embedderId, "embedderId");
    lock.readLock().lock();
    try {
      if (!(store instanceof GraphStore graph)) {
        return false;
      }
      GraphSnapshot.write(out, embedderId, graph);
      snapshotVersion = version;
      return true;
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Whether the index changed since its last snapshot was written or restored (always true when
   * it never had one).
   */
  public boolean changedSinceSnapshot() {
    lock.readLock().lock();
    try {
      return version != snapshotVersion;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Whether this index searched a graph at any time, restored or built. */
  public boolean hadGraph() {
    return hadGraph;
  }

  /** How many graphs this index built (restoring one is not building); for logs and tests. */
  public int graphBuilds() {
    return graphBuilds;
  }

  /**
   * What computes the dot products in this JVM: the Vector API (with its register width) when
   * the JVM was started with {@code --add-modules jdk.incubator.vector}, else plain Java.
   */
  public static String dotProduct() {
    return Vectors.dotProduct();
  }

  public int dimension() {
    return dimension;
  }

  public int size() {
    lock.readLock().lock();
    try {
      return store.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  public boolean contains(String id) {
    Objects.requireNonNull(id, "id");
    lock.readLock().lock();
    try {
      return store.contains(id);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Adds or replaces the vector of {@code id}.
   *
   * @throws IllegalArgumentException if the vector has the wrong dimension, a non-finite
   *     component or a length other than 1 (within 1e-3 on the squared length)
   */
  public void put(String id, float[] vector) {
    write(List.of(entry(id, vector)));
  }

  /**
   * Adds or replaces several vectors at once, cheaper than one {@link #put} each when it makes
   * the index cross to HNSW. Validates every vector before storing any.
   *
   * @throws IllegalArgumentException as {@link #put}
   */
  public void putAll(Map<String, float[]> vectors) {
    List<Entry> batch = new ArrayList<>(vectors.size());
    vectors.forEach((id, vector) -> batch.add(entry(id, vector)));
    write(batch);
  }

  /** Removes the vector of {@code id}; returns whether there was one. */
  public boolean remove(String id) {
    Objects.requireNonNull(id, "id");
    boolean removed;
    List<Entry> snapshot;
    lock.writeLock().lock();
    try {
      removed = store.remove(id);
      if (removed) {
        version++;
        markDirty(id);
      }
      snapshot = startBuildIfDue();
    } finally {
      lock.writeLock().unlock();
    }
    build(snapshot);
    return removed;
  }

  /** The {@code k} stored vectors closest to {@code query}, best first. */
  public List<Neighbor> search(float[] query, int k) {
    return search(query, k, null, -1);
  }

  /**
   * The {@code k} vectors closest to {@code query} among those whose id passes {@code filter},
   * best first; fewer only when fewer pass. When few ids pass (relative to the size) they are
   * scanned exactly; otherwise the graph is searched with a beam widened by the inverse
   * selectivity, and an exact scan of the passing ids takes over if that still yields fewer than
   * k. The filter runs under the index's read lock: it must be fast, side-effect free and must not
   * write to this index.
   *
   * @param filter ids to consider, or null for all
   * @param matchingCount how many stored ids pass the filter if the caller knows, else -1; it
   *     steers the strategy, a wrong count costs time but never results
   * @throws IllegalArgumentException if {@code k < 1}, {@code matchingCount < -1} or the query
   *     has the wrong dimension or a non-finite component
   */
  public List<Neighbor> search(
      float[] query, int k, @Nullable Predicate<String> filter, int matchingCount) {
    checkSearch(query, k);
    if (matchingCount < -1) {
      throw new IllegalArgumentException("matchingCount must be -1 or more, was " + matchingCount);
    }
    lock.readLock().lock();
    try {
      return store.search(query, k, settings.ef(k, store.size()), filter, matchingCount);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * As {@link #search(float[], int)} with the HNSW beam width {@code ef} instead of the one the
   * settings derive from k: a wider beam finds more of the true nearest, slower. For callers that
   * trade recall against speed, and for measuring that trade; an exact scan ignores it.
   *
   * @throws IllegalArgumentException if {@code k < 1}, {@code ef < k} or the query has the wrong
   *     dimension or a non-finite component
   */
  public List<Neighbor> search(float[] query, int k, int ef) {
    checkSearch(query, k);
    if (ef < k) {
      throw new IllegalArgumentException("ef must be at least k (" + k + "), was " + ef);
    }
    lock.readLock().lock();
    try {
      return store.search(query, k, ef, null, -1);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * The {@code k} vectors closest to {@code query} among those stored under {@code ids}, best
   * first; ids without a vector are ignored. For a caller that already knows the passing ids: as
   * {@link #search(float[], int, Predicate, int)} with {@code ids::contains} and their count, but
   * the ids are scored directly, exactly and without testing any other, whenever that is
   * estimated cheaper than walking the graph (see {@link IndexSettings}). {@code ids} must not
   * change during the call.
   *
   * @throws IllegalArgumentException if {@code k < 1} or the query has the wrong dimension or a
   *     non-finite component
   */
  public List<Neighbor> searchAmong(float[] query, int k, Set<String> ids) {
    checkSearch(query, k);
    Objects.requireNonNull(ids, "ids");
    lock.readLock().lock();
    try {
      int matching = ids.size();
      int size = store.size();
      int ef = settings.ef(k, size);
      // A graph fetches about ef * n / m candidates to find k of m matches among n.
      boolean direct = store instanceof GraphStore && (matching <= k
          || DIRECT_SCORE_COST * matching < settings.graphCandidateCost() * ef * size / matching);
      if (!direct) {
        return store.search(query, k, ef, ids::contains, matching);
      }
      TopK top = new TopK(Math.min(k, matching));
      for (String id : ids) {
        float[] vector = store.vector(id);
        if (vector != null) {
          top.offer(Vectors.dot(vector, query), id);
        }
      }
      return top.toList();
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * The score {@link #search} would give the vector of {@code id} for {@code query}: their dot
   * product; empty when no vector is stored under {@code id}.
   *
   * @throws IllegalArgumentException if the query has the wrong dimension or a non-finite
   *     component
   */
  public OptionalDouble score(float[] query, String id) {
    Vectors.checkQuery(query, dimension);
    Objects.requireNonNull(id, "id");
    lock.readLock().lock();
    try {
      float[] vector = store.vector(id);
      return vector == null
          ? OptionalDouble.empty() : OptionalDouble.of(Vectors.dot(vector, query));
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * The dot product of the vectors stored under {@code a} and {@code b}; empty when either is not
   * stored.
   */
  public OptionalDouble similarity(String a, String b) {
    lock.readLock().lock();
    try {
      float[] first = store.vector(a);
      float[] second = store.vector(b);
      return first == null || second == null
          ? OptionalDouble.empty() : OptionalDouble.of(Vectors.dot(first, second));
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Whether searches currently go through an HNSW graph. */
  public boolean usesGraph() {
    lock.readLock().lock();
    try {
      return store instanceof GraphStore;
    } finally {
      lock.readLock().unlock();
    }
  }

  private void checkSearch(float[] query, int k) {
    Vectors.checkQuery(query, dimension);
    if (k < 1) {
      throw new IllegalArgumentException("k must be positive, was " + k);
    }
  }

  private Entry entry(String id, float[] vector) {
    Objects.requireNonNull(id, "id");
    Vectors.checkStored(vector, dimension);
    return new Entry(id, vector);
  }

  private void write(List<Entry> batch) {
    List<Entry> snapshot;
    lock.writeLock().lock();
    try {
      for (Entry entry : batch) {
        store.put(entry.id(), entry.vector());
        markDirty(entry.id());
      }
      if (!batch.isEmpty()) {
        version++;
      }
      snapshot = startBuildIfDue();
    } finally {
      lock.writeLock().unlock();
    }
    build(snapshot);
  }

  private void markDirty(String id) {
    if (dirty != null) {
      dirty.add(id);
    }
  }

  /** Under the write lock: a snapshot to build from if a build is due and none runs, else null. */
  private List<Entry> startBuildIfDue() {
    if (dirty != null || !store.rebuildDue()) {
      return null;
    }
    dirty = new HashSet<>();
    return store.entries();
  }

  /**
   * Builds the layout for {@code snapshot} without holding the lock, then replays the writes made
   * meanwhile and swaps it in. An interrupted build is dropped (the interrupt is kept): the
   * current layout stays correct and the next write retries.
   */
  private void build(List<Entry> snapshot) {
    if (snapshot == null) {
      return;
    }
    Store built = null;
    try {
      built = Store.of(snapshot, dimension, settings);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.writeLock().lock();
      try {
        if (built != null) {
          for (String id : dirty) {
            float[] vector = store.vector(id);
            if (vector == null) {
              built.remove(id);
            } else {
              built.put(id, vector);
            }
          }
          store = built;
          if (built instanceof GraphStore) {
            hadGraph = true;
            graphBuilds++;
          }
        }
        dirty = null;
      } finally {
        lock.writeLock().unlock();
      }
    }
  }
}
