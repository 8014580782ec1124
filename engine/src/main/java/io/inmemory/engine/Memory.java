package io.inmemory.engine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.inmemory.AddRequest;
import io.inmemory.AddResult;
import io.inmemory.AsyncMemoryClient;
import io.inmemory.ConfigKey;
import io.inmemory.Health;
import io.inmemory.HistoryEntry;
import io.inmemory.InMemoryConfig;
import io.inmemory.Limits;
import io.inmemory.MemoryClient;
import io.inmemory.MemoryClients;
import io.inmemory.MemoryRecord;
import io.inmemory.NotFoundException;
import io.inmemory.Page;
import io.inmemory.SearchHit;
import io.inmemory.SearchRequest;
import io.inmemory.SearchResult;
import io.inmemory.TimeRange;
import io.inmemory.UpdateRequest;
import io.inmemory.UserStats;
import io.inmemory.Validation;
import io.inmemory.engine.embedding.Embeddings;
import io.inmemory.engine.index.IndexSettings;
import io.inmemory.engine.index.InvalidSnapshotException;
import io.inmemory.engine.index.VectorIndex;
import io.inmemory.engine.retrieval.RetrievalSettings;
import io.inmemory.engine.spi.Embedder;
import io.inmemory.engine.spi.EmbedderProvider;
import io.inmemory.engine.spi.IndexSnapshots;
import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoreProvider;
import io.inmemory.engine.spi.StoredMemory;
import io.inmemory.engine.temporal.TemporalExpression;
import io.inmemory.engine.temporal.TemporalParser;
import io.inmemory.engine.tenant.AccessStore;
import io.inmemory.engine.tenant.Project;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded InMemory engine: a {@link MemoryClient} running inside the application's JVM.
 *
 * <p>{@code new Memory()} needs no set-up: it reads {@link InMemoryConfig#load()}, opens the store
 * ({@code inmemory.store}; the only durable store on the classpath, else the volatile one) and
 * the embedder ({@code inmemory.embedder}; the only one on the classpath). {@link #builder()}
 * wires a store, embedder, clock and time zone explicitly, without {@link java.util.ServiceLoader}.
 *
 * <p><b>Search.</b> Each user's memories form a partition, loaded from the store on first use and
 * then held in memory: exact vector scan while small, an HNSW graph once large, and a BM25 index
 * of the words of every memory. By default ({@link RetrievalSettings#MODE} hybrid,
 * {@link RetrievalSettings#FUSION} boost) a search ranks by cosine similarity raised by the query
 * words a memory holds; see {@link SearchResult.Ranking} for what scores mean in each mode.
 * Filters apply to both sides: a filtered search returns the true top-k among the memories that
 * pass.
 *
 * <p><b>Limits.</b> Every request is checked against {@link #limits()} (the {@link Limits} of the
 * configuration) before any work: a value over its limit throws
 * {@link io.inmemory.ContentTooLargeException} naming it, its size and the limit.
 *
 * <p><b>Thread-safety.</b> Thread-safe: any number of threads may call any method. Reads of one
 * user run concurrently; writes of one user are serialized; users are independent.
 *
 * <p><b>Durability.</b> A change is written to the store before the call returns and is visible to
 * every later call; what survives a crash is the store's contract (the volatile {@code memory}
 * store keeps nothing).
 *
 * <p><b>Lifecycle.</b> The engine owns its store and embedder, including those given to the
 * builder, and closes them in {@link #close()}.
 *
 * <p><b>Index snapshots.</b> When the store keeps {@linkplain MemoryStore#indexSnapshots() index
 * snapshots}, {@link #close()} saves the HNSW graph of every loaded partition that changed, and
 * loading a partition restores its graph from the snapshot instead of rebuilding it, provided the
 * snapshot was made by the same embedder over exactly the partition's current vectors; otherwise
 * (missing, stale after a crash, damaged, other embedder or settings) the graph is rebuilt and
 * the log says why.
 *
 * <p><b>Namespaces.</b> An engine keeps its memories in the namespace
 * {@value PartitionKey#DEFAULT_NAMESPACE}; {@link #namespace(String)} gives views of the same
 * engine bound to other namespaces (the server uses one per project). Nothing crosses namespaces.
 */
public final class Memory implements MemoryClient {

  private static final Logger LOG = LoggerFactory.getLogger(Memory.class);
  private static final int REEMBED_BATCH = 64;

  private final MemoryStore store;
  private final Embeddings embeddings;
  private final Clock clock;
  private final ZoneId zone;
  private final Limits limits;
  private final String namespace;
  private final TemporalParser temporalParser;
  private final IndexSettings indexSettings;
  private final RetrievalSettings retrieval;
  private final Cache<PartitionKey, Partition> partitions;
  /** The engine owning the store and embedder when this is a namespace view, else null. */
  private final Memory owner;
  private final AtomicBoolean closing = new AtomicBoolean();
  private volatile boolean closed;
  private volatile AsyncMemory async;

  /** An engine configured from system properties, environment and {@code inmemory.properties}. */
  public Memory() {
    this(InMemoryConfig.load());
  }

  /** An engine configured from {@code config}. */
  public Memory(InMemoryConfig config) {
    this(builder().config(config));
  }

  private Memory(Builder builder) {
    InMemoryConfig config = builder.config;
    // Discovered once: the same lists serve validation (their keys) and selection.
    List<StoreProvider> storeProviders = builder.store == null ? Providers.stores() : List.of();
    List<EmbedderProvider> embedderProviders =
        builder.embedder == null ? Providers.embedders() : List.of();
    validate(config, storeProviders, embedderProviders);
    this.clock = builder.clock;
    this.zone = builder.zone != null ? builder.zone : config.get(InMemoryConfig.TIME_ZONE);
    Limits configured = builder.limits != null ? builder.limits : Limits.from(config);
    this.limits = builder.maxMemorySize == null
        ? configured : configured.withMaxMemorySize(builder.maxMemorySize);
    this.namespace = PartitionKey.DEFAULT_NAMESPACE;
    this.owner = null;
    this.partitions = Caffeine.newBuilder().build();
    this.temporalParser = TemporalParser.from(config);
    this.indexSettings = IndexSettings.defaults();
    this.retrieval = RetrievalSettings.from(config);
    int cacheSize = config.get(Embeddings.QUERY_CACHE_SIZE);
    Embedder chosenEmbedder = builder.embedder;
    MemoryStore chosenStore = builder.store;
    try {
      if (chosenEmbedder == null) {
        chosenEmbedder = Providers.embedder(embedderProviders, config).create(config);
      }
      if (chosenStore == null) {
        chosenStore = Providers.store(storeProviders, config).open(config);
      }
    } catch (RuntimeException e) {
      if (builder.embedder == null) {
        closeQuietly(chosenEmbedder, e);
      }
      throw e;
    }
    this.embeddings = new Embeddings(chosenEmbedder, cacheSize);
    this.store = chosenStore;
    LOG.info("InMemory engine {} ready: store {}, embedder {} ({} dimensions), time zone {}",
        MemoryClients.version(), store.describe(), embeddings.id(), embeddings.dimension(), zone);
  }

  /** A view of {@code owner} bound to {@code namespace}, sharing everything but its lifecycle. */
  private Memory(Memory owner, String namespace) {
    this.owner = owner;
    this.namespace = namespace;
    this.store = owner.store;
    this.embeddings = owner.embeddings;
    this.clock = owner.clock;
    this.zone = owner.zone;
    this.limits = owner.limits;
    this.temporalParser = owner.temporalParser;
    this.indexSettings = owner.indexSettings;
    this.retrieval = owner.retrieval;
    this.partitions = owner.partitions;
  }

  private static void validate(InMemoryConfig config, List<StoreProvider> storeProviders,
      List<EmbedderProvider> embedderProviders) {
    List<ConfigKey<?>> keys = new ArrayList<>(InMemoryConfig.keys());
    keys.addAll(Limits.keys());
    keys.add(Embeddings.QUERY_CACHE_SIZE);
    keys.addAll(TemporalParser.keys());
    keys.addAll(RetrievalSettings.keys());
    storeProviders.forEach(provider -> keys.addAll(provider.configKeys()));
    embedderProviders.forEach(provider -> keys.addAll(provider.configKeys()));
    config.validate(keys);
  }

  /** A builder for explicit wiring. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A view of this engine whose memories live in {@code namespace} instead of this engine's: the
   * same store, embedder, caches and settings, and no memory of another namespace is ever seen
   * through it. Closing the view releases only the view (its calls then throw
   * {@link IllegalStateException}); closing this engine closes every view. Views are cheap and
   * need not be cached; thread-safe like the engine.
   *
   * @param namespace a {@linkplain Project#isValidId valid project id}
   * @throws IllegalArgumentException when the namespace is malformed
   */
  public Memory namespace(String namespace) {
    Objects.requireNonNull(namespace, "namespace");
    if (!Project.isValidId(namespace)) {
      throw new IllegalArgumentException(
          "namespace must be " + Project.ID_RULE + "; got '" + namespace + "'");
    }
    ensureOpen();
    return new Memory(owner != null ? owner : this, namespace);
  }

  /**
   * The projects and API keys kept by this engine's store, for the InMemory server; not needed by
   * applications.
   */
  public AccessStore access() {
    ensureOpen();
    return store.access();
  }

  /** The size limits every request is checked against before any work. */
  public Limits limits() {
    return limits;
  }

  /**
   * The asynchronous view of this engine: the same operations on a small pool of the engine's own
   * threads. One view per engine; closing either closes both.
   */
  public AsyncMemoryClient async() {
    if (closing.get()) {
      throw new IllegalStateException("this Memory is closed");
    }
    AsyncMemory view = async;
    if (view == null) {
      synchronized (this) {
        view = async;
        if (view == null) {
          view = new AsyncMemory(this);
          async = view;
        }
      }
    }
    return view;
  }

  // ---------------------------------------------------------------- writes

  @Override
  public AddResult add(AddRequest request) {
    return addAll(List.of(Objects.requireNonNull(request, "request"))).get(0);
  }

  @Override
  public List<AddResult> addAll(List<AddRequest> requests) {
    ensureOpen();
    Objects.requireNonNull(requests, "requests");
    if (requests.isEmpty()) {
      return List.of();
    }
    for (int i = 0; i < requests.size(); i++) {
      Objects.requireNonNull(requests.get(i), "requests[" + i + "]");
    }
    limits.checkAll(requests);
    List<float[]> vectors = embeddings.documents(requests.stream().map(AddRequest::content).toList());
    Instant now = now();
    List<StoredMemory> memories = new ArrayList<>(requests.size());
    List<HistoryEntry> entries = new ArrayList<>(requests.size());
    Map<PartitionKey, List<StoredMemory>> byPartition = new LinkedHashMap<>();
    for (int i = 0; i < requests.size(); i++) {
      AddRequest request = requests.get(i);
      Instant createdAt = request.createdAt() != null ? request.createdAt() : now;
      MemoryRecord record = new MemoryRecord(UUID.randomUUID().toString(), request.userId(),
          request.content(), request.tags(), request.people(), request.topic(), request.metadata(),
          createdAt, createdAt);
      StoredMemory stored = new StoredMemory(namespace, record, vectors.get(i), embeddings.id());
      memories.add(stored);
      entries.add(new HistoryEntry(record.id(), record.userId(), HistoryEntry.Event.ADD, null,
          record.content(), now));
      byPartition.computeIfAbsent(stored.partition(), key -> new ArrayList<>()).add(stored);
    }
    List<Partition> touched = byPartition.keySet().stream().map(this::partition).toList();
    Partition.writeAll(touched, () -> {
      store.insert(memories, entries);
      for (Partition partition : touched) {
        partition.added(byPartition.get(partition.key()));
      }
      return null;
    });
    return memories.stream().map(stored -> new AddResult(stored.memory())).toList();
  }

  @Override
  public MemoryRecord update(String memoryId, String userId, UpdateRequest request) {
    ensureOpen();
    Validation.requireMemoryId(memoryId);
    Validation.requireUserId(userId);
    Objects.requireNonNull(request, "request");
    limits.check(request);
    float[] newEmbedding = request.content() == null
        ? null : embeddings.documents(List.of(request.content())).get(0);
    Partition partition = partition(new PartitionKey(namespace, userId));
    return partition.write(() -> {
      StoredMemory existing = partition.get(memoryId).orElseThrow(() -> notFound(memoryId, userId));
      MemoryRecord old = existing.memory();
      Instant now = now();
      MemoryRecord updated = new MemoryRecord(old.id(), old.userId(),
          request.content() != null ? request.content() : old.content(),
          request.tags() != null ? request.tags() : old.tags(),
          request.people() != null ? request.people() : old.people(),
          request.topic() != null ? request.topic() : old.topic(),
          request.metadata() != null ? request.metadata() : old.metadata(),
          old.createdAt(), now);
      StoredMemory stored = newEmbedding == null
          ? new StoredMemory(namespace, updated, existing.embedding(), existing.embedderId())
          : new StoredMemory(namespace, updated, newEmbedding, embeddings.id());
      store.replace(stored, new HistoryEntry(memoryId, userId, HistoryEntry.Event.UPDATE,
          old.content(), updated.content(), now));
      partition.replaced(stored);
      return updated;
    });
  }

  @Override
  public boolean delete(String memoryId, String userId) {
    ensureOpen();
    Validation.requireMemoryId(memoryId);
    Validation.requireUserId(userId);
    Partition partition = partition(new PartitionKey(namespace, userId));
    return partition.write(() -> {
      Optional<StoredMemory> existing = partition.get(memoryId);
      if (existing.isEmpty()) {
        return false;
      }
      deleteLocked(partition, List.of(existing.get()));
      return true;
    });
  }

  @Override
  public long deleteAll(String userId) {
    ensureOpen();
    Validation.requireUserId(userId);
    Partition partition = partition(new PartitionKey(namespace, userId));
    return partition.write(() -> {
      List<StoredMemory> all = partition.ids().stream()
          .map(id -> partition.get(id).orElseThrow()).toList();
      if (all.isEmpty()) {
        return 0L;
      }
      return (long) deleteLocked(partition, all);
    });
  }

  private int deleteLocked(Partition partition, List<StoredMemory> memories) {
    Instant now = now();
    List<String> ids = memories.stream().map(StoredMemory::id).toList();
    List<HistoryEntry> entries = memories.stream()
        .map(memory -> new HistoryEntry(memory.id(), memory.memory().userId(),
            HistoryEntry.Event.DELETE, memory.memory().content(), null, now))
        .toList();
    int deleted = store.delete(partition.key(), ids, entries);
    partition.removed(ids);
    return deleted;
  }

  // ---------------------------------------------------------------- reads

  @Override
  public SearchResult search(SearchRequest request) {
    ensureOpen();
    Objects.requireNonNull(request, "request");
    limits.check(request);
    Optional<TemporalExpression> temporal = Optional.ofNullable(request.temporal())
        .map(phrase -> temporalParser.parse(phrase,
            request.referenceTime() != null ? request.referenceTime() : clock.instant(),
            request.zone() != null ? request.zone() : zone));
    Optional<TimeRange> range = timeRange(request, temporal);
    if (range == null) {
      return new SearchResult(List.of(), ranking(request), Optional.empty());
    }
    Filter filter = request.hasFilters() ? Filters.of(request, temporal) : null;
    float[] query = request.query() == null || !retrieval.dense()
        ? null : embeddings.query(request.query());
    Partition partition = partition(new PartitionKey(namespace, request.userId()));
    List<SearchHit> hits = partition.read(() -> request.query() == null
        ? partition.newest(filter == null ? record -> true : filter, request.limit())
        : partition.search(query, request.query(), request.limit(), filter, request.threshold()));
    return new SearchResult(hits, ranking(request), range);
  }

  private SearchResult.Ranking ranking(SearchRequest request) {
    return request.query() == null ? SearchResult.Ranking.RECENCY : retrieval.ranking();
  }

  /**
   * The intersection of the temporal phrase's bounds and the explicit bounds: empty if neither
   * bounds creation time (a purely recurring phrase such as "weekends" does not), {@code null} if
   * they exclude each other, so that nothing can match.
   */
  private static Optional<TimeRange> timeRange(SearchRequest request,
      Optional<TemporalExpression> temporal) {
    Instant start = request.createdAfter();
    Instant end = request.createdBefore();
    if (temporal.isPresent()) {
      TimeRange bounds = temporal.get().bounds();
      start = later(start, bounds.start());
      end = earlier(end, bounds.end());
    }
    if (start == null && end == null) {
      return Optional.empty();
    }
    if (start != null && end != null && !start.isBefore(end)) {
      return null;
    }
    return Optional.of(new TimeRange(start, end));
  }

  private static Instant later(Instant a, Instant b) {
    return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
  }

  private static Instant earlier(Instant a, Instant b) {
    return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
  }

  @Override
  public Page<MemoryRecord> getAll(String userId, int limit, int offset) {
    ensureOpen();
    Validation.requireUserId(userId);
    Validation.requirePage(limit, offset);
    Partition partition = partition(new PartitionKey(namespace, userId));
    return partition.read(() -> partition.page(limit, offset));
  }

  @Override
  public Optional<MemoryRecord> get(String memoryId, String userId) {
    ensureOpen();
    Validation.requireMemoryId(memoryId);
    Validation.requireUserId(userId);
    Partition partition = partition(new PartitionKey(namespace, userId));
    return partition.read(() -> partition.get(memoryId).map(StoredMemory::memory));
  }

  @Override
  public List<HistoryEntry> history(String memoryId, String userId) {
    ensureOpen();
    Validation.requireMemoryId(memoryId);
    Validation.requireUserId(userId);
    List<HistoryEntry> entries = store.history(new PartitionKey(namespace, userId), memoryId);
    if (entries.isEmpty()) {
      throw notFound(memoryId, userId);
    }
    return entries;
  }

  @Override
  public UserStats getUserStats(String userId) {
    ensureOpen();
    Validation.requireUserId(userId);
    Partition partition = partition(new PartitionKey(namespace, userId));
    return partition.read(partition::stats);
  }

  @Override
  public Health healthCheck() {
    ensureOpen();
    Map<String, Health.Component> components = new LinkedHashMap<>();
    components.put("store", probe(() -> {
      store.ping();
      return store.describe();
    }));
    components.put("embedder", probe(() -> {
      Embedder embedder = embeddings.embedder();
      float[] vector = embedder.embedQuery("health check");
      if (vector.length != embedder.dimension()) {
        throw new IllegalStateException("returned " + vector.length + " dimensions, expected "
            + embedder.dimension());
      }
      return embedder.id() + " (" + embedder.dimension() + " dimensions)";
    }));
    boolean up = components.values().stream()
        .allMatch(component -> component.status() == Health.Status.UP);
    return new Health(up ? Health.Status.UP : Health.Status.DOWN, MemoryClients.version(), components,
        clock.instant());
  }

  private static Health.Component probe(Callable<String> check) {
    long start = System.nanoTime();
    try {
      String detail = check.call();
      return new Health.Component(Health.Status.UP, Duration.ofNanos(System.nanoTime() - start),
          detail);
    } catch (Exception e) {
      return new Health.Component(Health.Status.DOWN, Duration.ofNanos(System.nanoTime() - start),
          e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  /**
   * Closes the engine: operations already submitted to the {@linkplain #async() asynchronous
   * view} complete first, then the graphs that changed are saved as index snapshots (when the
   * store keeps them; 3.4 s for 100,000 memories on 2 busy cores), then the store and embedder
   * are closed. Idempotent.
   */
  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    AsyncMemory view = async;
    if (view != null) {
      view.drain();
    }
    closed = true;
    if (owner != null) {
      return;
    }
    store.indexSnapshots().ifPresent(this::saveIndexes);
    RuntimeException failure = null;
    for (AutoCloseable resource : List.<AutoCloseable>of(store, embeddings.embedder())) {
      try {
        resource.close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new IllegalStateException("closing the engine failed", e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    partitions.invalidateAll();
    if (failure != null) {
      throw failure;
    }
  }

  // ---------------------------------------------------------------- internals

  Partition partition(PartitionKey key) {
    return partitions.get(key, this::loadPartition);
  }

  private Partition loadPartition(PartitionKey key) {
    List<StoredMemory> stored = store.load(key);
    List<StoredMemory> current = new ArrayList<>(stored.size());
    List<StoredMemory> stale = new ArrayList<>();
    for (StoredMemory memory : stored) {
      boolean fresh = memory.embedderId().equals(embeddings.id())
          && memory.embedding().length == embeddings.dimension();
      (fresh ? current : stale).add(memory);
    }
    if (!stale.isEmpty()) {
      current.addAll(reembed(key, stale));
    }
    return new Partition(key, embeddings.dimension(), indexSettings, retrieval, current,
        vectors -> store.indexSnapshots()
            .map(snapshots -> restoreIndex(snapshots, key, vectors)).orElse(null));
  }

  /**
   * The partition's vector index restored from its snapshot, or null when there is no usable
   * one (then it is built, and the log says why). Never fails: a snapshot only saves time.
   */
  private VectorIndex restoreIndex(IndexSnapshots snapshots, PartitionKey key,
      Map<String, float[]> vectors) {
    boolean large = vectors.size() >= indexSettings.hnswThreshold();
    try {
      Optional<InputStream> probe = snapshots.read(key);
      if (probe.isEmpty()) {
        if (large) {
          LOG.info("Building the HNSW graph of {} memories of user {} in {}: no index snapshot",
              vectors.size(), key.userId(), key.namespace());
        }
        return null;
      }
      probe.get().close();
      if (!large) {
        // The partition shrank below the graph's threshold: it scans exactly, the graph is moot.
        snapshots.delete(key);
        return null;
      }
      long start = System.nanoTime();
      VectorIndex index = VectorIndex.restore(() -> snapshots.read(key).orElseThrow(
              () -> new NoSuchFileException("the index snapshot of user " + key.userId())),
          embeddings.id(), embeddings.dimension(), indexSettings, vectors);
      LOG.info("Restored the HNSW graph of {} memories of user {} in {} from its snapshot in {} ms",
          vectors.size(), key.userId(), key.namespace(), (System.nanoTime() - start) / 1_000_000);
      return index;
    } catch (InvalidSnapshotException e) {
      LOG.info("Rebuilding the HNSW graph of {} memories of user {} in {}: its index snapshot"
          + " cannot be used, {}", vectors.size(), key.userId(), key.namespace(), e.getMessage());
    } catch (IOException | RuntimeException e) {
      LOG.warn("Rebuilding the HNSW graph of {} memories of user {} in {}: its index snapshot"
          + " could not be read", vectors.size(), key.userId(), key.namespace(), e);
    }
    return null;
  }

  /**
   * Saves the graph of every loaded partition that changed since its snapshot, and deletes the
   * snapshots of partitions that scan exactly now. Failures are logged, never thrown: the store
   * holds the data, a snapshot only saves time.
   */
  private void saveIndexes(IndexSnapshots snapshots) {
    long start = System.nanoTime();
    int saved = 0;
    for (Partition partition : partitions.asMap().values()) {
      // The read lock waits for writes still running and keeps later ones out.
      saved += partition.read(() -> saveIndex(snapshots, partition) ? 1 : 0);
    }
    if (saved > 0) {
      LOG.info("Saved {} index snapshots in {} ms", saved,
          (System.nanoTime() - start) / 1_000_000);
    }
  }

  private boolean saveIndex(IndexSnapshots snapshots, Partition partition) {
    VectorIndex index = partition.index();
    PartitionKey key = partition.key();
    try {
      if (!index.changedSinceSnapshot()) {
        return false;
      }
      if (index.usesGraph()) {
        snapshots.write(key, out -> index.writeSnapshot(out, embeddings.id()));
        return true;
      }
      if (index.hadGraph()) {
        snapshots.delete(key);
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("Could not save the index snapshot of user {} in {}; it will be rebuilt on the next"
          + " load", key.userId(), key.namespace(), e);
    }
    return false;
  }

  /** Recomputes embeddings made by another embedder, so models are never mixed. */
  private List<StoredMemory> reembed(PartitionKey key, List<StoredMemory> stale) {
    LOG.info("Re-embedding {} memories of user {} made by another embedder (now {})",
        stale.size(), key.userId(), embeddings.id());
    List<StoredMemory> refreshed = new ArrayList<>(stale.size());
    for (int from = 0; from < stale.size(); from += REEMBED_BATCH) {
      List<StoredMemory> batch = stale.subList(from, Math.min(stale.size(), from + REEMBED_BATCH));
      List<float[]> vectors =
          embeddings.documents(batch.stream().map(m -> m.memory().content()).toList());
      List<StoredMemory> updated = new ArrayList<>(batch.size());
      for (int i = 0; i < batch.size(); i++) {
        updated.add(new StoredMemory(batch.get(i).namespace(), batch.get(i).memory(),
            vectors.get(i), embeddings.id()));
      }
      store.replaceEmbeddings(updated);
      refreshed.addAll(updated);
      LOG.info("Re-embedded {}/{} memories of user {}", refreshed.size(), stale.size(),
          key.userId());
    }
    return refreshed;
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  private static NotFoundException notFound(String memoryId, String userId) {
    return new NotFoundException("No memory " + memoryId + " for user " + userId);
  }

  private void ensureOpen() {
    if (closed || (owner != null && owner.closed)) {
      throw new IllegalStateException("this Memory is closed");
    }
  }

  private static void closeQuietly(AutoCloseable resource, RuntimeException failure) {
    if (resource != null) {
      try {
        resource.close();
      } catch (Exception e) {
        failure.addSuppressed(e);
      }
    }
  }

  /**
   * Wires an engine explicitly. Anything not given comes from the configuration (by default
   * {@link InMemoryConfig#load()}). Not thread-safe; {@link #build()} may be called once.
   */
  public static final class Builder {
    private InMemoryConfig config;
    private MemoryStore store;
    private Embedder embedder;
    private Clock clock = Clock.systemUTC();
    private ZoneId zone;
    private Limits limits;
    private Long maxMemorySize;

    private Builder() {}

    /** The configuration for everything not set explicitly. */
    public Builder config(InMemoryConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /**
     * The store to use instead of the configured one; the engine closes it, also when
     * {@link #build()} fails.
     */
    public Builder store(MemoryStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * The embedder to use instead of the configured one; the engine closes it, also when
     * {@link #build()} fails.
     */
    public Builder embedder(Embedder embedder) {
      this.embedder = Objects.requireNonNull(embedder, "embedder");
      return this;
    }

    /** The clock that stamps createdAt, updatedAt and history, and resolves "now". */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The time zone temporal phrases are resolved in when a request names none. */
    public Builder timeZone(ZoneId zone) {
      this.zone = Objects.requireNonNull(zone, "zone");
      return this;
    }

    /** The size limits of requests, instead of the configured ones. */
    public Builder limits(Limits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /** The largest content accepted, in UTF-8 bytes, over the {@linkplain #limits limits}. */
    public Builder maxMemorySize(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("maxMemorySize must be at least 1 byte, was " + bytes);
      }
      this.maxMemorySize = bytes;
      return this;
    }

    /**
     * Opens the engine.
     *
     * @throws io.inmemory.ConfigurationException when the configuration is invalid or names a
     *     store or embedder that is not on the classpath
     */
    public Memory build() {
      if (config == null) {
        config = InMemoryConfig.load();
      }
      try {
        return new Memory(this);
      } catch (RuntimeException e) {
        // the engine owns what it was given, also when it cannot start: release a store's lock
        closeQuietly(store, e);
        closeQuietly(embedder, e);
        throw e;
      }
    }
  }
}
