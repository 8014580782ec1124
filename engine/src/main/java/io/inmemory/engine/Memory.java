package io.inmemory.engine;

import io.inmemory.AddRequest;
import io.inmemory.AddResult;
import io.inmemory.ArchivedMemory;
import io.inmemory.AsyncMemoryClient;
import io.inmemory.BatchDelete;
import io.inmemory.BatchItemResult;
import io.inmemory.BatchUpdate;
import io.inmemory.ConversationRequest;
import io.inmemory.ConversationResult;
import io.inmemory.ExportRequest;
import io.inmemory.Health;
import io.inmemory.HistoryEntry;
import io.inmemory.InMemoryConfig;
import io.inmemory.InvalidRequestException;
import io.inmemory.Labels;
import io.inmemory.Limits;
import io.inmemory.ListRequest;
import io.inmemory.MemoryArchive;
import io.inmemory.MemoryClient;
import io.inmemory.MemoryRecord;
import io.inmemory.NotFoundException;
import io.inmemory.Page;
import io.inmemory.RestoreResult;
import io.inmemory.Scope;
import io.inmemory.SearchHit;
import io.inmemory.SearchRequest;
import io.inmemory.SearchResult;
import io.inmemory.TimeRange;
import io.inmemory.UpdateRequest;
import io.inmemory.UserStats;
import io.inmemory.Validation;
import io.inmemory.engine.extraction.Extraction;
import io.inmemory.engine.retrieval.RetrievalSettings;
import io.inmemory.engine.spi.Embedder;
import io.inmemory.engine.spi.EngineMetrics;
import io.inmemory.engine.spi.Extractor;
import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.PartitionSummary;
import io.inmemory.engine.spi.StoredMemory;
import io.inmemory.engine.temporal.TemporalExpression;
import io.inmemory.engine.tenant.AccessStore;
import io.inmemory.engine.tenant.Project;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The embedded InMemory engine: a {@link MemoryClient} running inside the application's JVM.
 *
 * <p>{@code new Memory()} needs no set-up: it reads {@link InMemoryConfig#load()}, opens the store
 * ({@code inmemory.store}; the only durable store on the classpath, else the volatile one) and
 * the embedder ({@code inmemory.embedder}; the only one on the classpath). {@link #builder()}
 * wires a store, embedder, clock and time zone explicitly, without {@link java.util.ServiceLoader}.
 *
 * <p><b>Search.</b> Each owner's memories form a partition, loaded from the store on first use and
 * then held in memory: exact vector scan while small, an HNSW graph once large, and a BM25 index
 * of the words of every memory. By default ({@link RetrievalSettings#MODE} hybrid,
 * {@link RetrievalSettings#FUSION} boost) a search ranks by cosine similarity raised by the query
 * words a memory holds; see {@link SearchResult.Ranking} for what scores mean in each mode.
 * Filters apply to both sides: a filtered search returns the true top-k among the memories that
 * pass.
 *
 * <p><b>Scopes and conversations.</b> A user's memories, including those an agent recorded for
 * them, form the user's partition; an agent's own memories form the agent's. A conversation
 * without an extractor is remembered message by message, one store insert per call. Texts are
 * de-duplicated within this engine: a partition indexes the normalized text of its current
 * memories and checks an add against it under the same write lock as the insert; engines of
 * several processes sharing a database do not see each other's adds in flight.
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
public final class Memory implements MemoryClient, MemoryArchive {

  private final Engine engine;
  private final String namespace;
  /** The engine owning the store and embedder when this is a namespace view, else null. */
  private final @Nullable Memory owner;
  private final AtomicBoolean closing = new AtomicBoolean();
  private volatile boolean closed;
  private volatile @Nullable AsyncMemory async;

  /** An engine configured from system properties, environment and {@code inmemory.properties}. */
  public Memory() {
    this(InMemoryConfig.load());
  }

  /** An engine configured from {@code config}. */
  public Memory(InMemoryConfig config) {
    this(builder().config(config).open(), PartitionKey.DEFAULT_NAMESPACE, null);
  }

  /**
   * The engine, when {@code owner} is null, else a view of {@code owner} bound to
   * {@code namespace}, sharing everything but its lifecycle.
   */
  private Memory(Engine engine, String namespace, @Nullable Memory owner) {
    this.engine = engine;
    this.namespace = namespace;
    this.owner = owner;
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
    return new Memory(engine, namespace, owner != null ? owner : this);
  }

  /**
   * The projects and API keys kept by this engine's store, for the InMemory server; not needed by
   * applications.
   */
  public AccessStore access() {
    ensureOpen();
    return engine.store().access();
  }

  /** The size limits every request is checked against before any work. */
  public Limits limits() {
    return settings().limits();
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
    settings().limits().checkAll(requests);
    Instant now = now();
    List<Additions.Draft> drafts = new ArrayList<>(requests.size());
    for (AddRequest request : requests) {
      Instant createdAt = request.createdAt() != null ? request.createdAt() : now;
      // The request's labels are normalized already; the record's constructor is the one more pass
      // a record needs, so they go in as they are rather than through another Labels.
      MemoryRecord record = new MemoryRecord(UUID.randomUUID().toString(), request.userId(),
          request.content(), request.tags(), request.people(), request.topic(),
          request.metadata(), createdAt, createdAt, request.agentId(), request.sessionId(),
          request.role(), request.validFrom() != null ? request.validFrom() : createdAt, null,
          null);
      drafts.add(new Additions.Draft(record, request.deduplicate()));
    }
    return Additions.add(engine, namespace, now, drafts);
  }

  /**
   * {@inheritDoc}
   *
   * <p>With an extractor and {@code infer} not {@code false}, the model's facts are reconciled
   * with the scope's memories (see {@link ExtractedConversations}); otherwise every message of the
   * asked roles is remembered as it is, de-duplicated within the scope.
   */
  @Override
  public ConversationResult add(ConversationRequest request) {
    ensureOpen();
    Objects.requireNonNull(request, "request");
    Extraction extraction = engine.extraction();
    boolean offline = extraction == null || Boolean.FALSE.equals(request.infer());
    if (offline) {
      refuseModelOptions(request, extraction == null);
    }
    settings().limits().check(request);
    if (offline) {
      return Conversations.remember(engine, namespace, now(), request);
    }
    return ExtractedConversations.remember(this::search, engine, extraction, namespace, now(),
        request);
  }

  /**
   * Options that only a model call reads are refused when no model is called, rather than
   * ignored: the caller expects them to shape what is remembered. All are listed at once.
   */
  private static void refuseModelOptions(ConversationRequest request, boolean noExtractor) {
    String why = noExtractor ? "no extractor is configured (set inmemory.extractor)"
        : "infer is false";
    List<InvalidRequestException.Violation> violations = new ArrayList<>();
    if (noExtractor && Boolean.TRUE.equals(request.infer())) {
      violations.add(new InvalidRequestException.Violation("infer",
          "no extractor is configured: set inmemory.extractor"));
    }
    if (request.instructions() != null) {
      violations.add(new InvalidRequestException.Violation("instructions",
          "are for the model, which this add does not call: " + why));
    }
    if (request.storeRawOnFailure()) {
      violations.add(new InvalidRequestException.Violation("storeRawOnFailure",
          "is for a failed model call, which this add does not make: " + why));
    }
    if (!violations.isEmpty()) {
      throw new InvalidRequestException(violations);
    }
  }

  @Override
  public MemoryRecord update(String memoryId, Scope scope, UpdateRequest request) {
    ensureOpen();
    Validation.requireMemoryId(memoryId);
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(request, "request");
    settings().limits().check(request);
    float @Nullable [] newEmbedding = request.content() == null
        ? null : engine.embeddings().documents(List.of(request.content())).get(0);
    return using(owner(scope), partition -> partition.write(() -> {
      StoredMemory existing = partition.get(memoryId, scope)
          .orElseThrow(() -> NotFoundException.memory(memoryId, scope));
      BatchChanges.Updated change = BatchChanges.updated(engine, namespace, existing, request,
          newEmbedding, now());
      engine.store().replace(change.stored(), change.entry());
      partition.replaced(change.stored());
      return change.stored().memory();
    }));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Every new content is embedded in one call; each owner's items are written by one store
   * call under its partition's write lock.
   */
  @Override
  public List<BatchItemResult> updateMany(List<BatchUpdate> updates) {
    ensureOpen();
    Objects.requireNonNull(updates, "updates");
    return BatchChanges.updateMany(engine, namespace, limits(), now(), updates);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Each owner's items are deleted by one store call under its partition's write lock.
   */
  @Override
  public List<BatchItemResult> deleteMany(List<BatchDelete> deletes) {
    ensureOpen();
    Objects.requireNonNull(deletes, "deletes");
    return BatchChanges.deleteMany(engine, namespace, limits(), now(), deletes);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Owner by owner ({@link MemoryStore#historyPartitions}, so owners whose memories were all
   * deleted too), each under its partition's read lock: consistent per owner against this
   * engine's writes, not a snapshot of the namespace. Memories are read from the store.
   */
  @Override
  public void export(ExportRequest request, Consumer<ArchivedMemory> sink) {
    ensureOpen();
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(sink, "sink");
    Archives.export(engine, namespace, request, sink);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Each owner's new memories are inserted with their whole histories by one store call
   * under its partition's write lock; a deleted memory is inserted, then deleted with its
   * archived delete entry, under the same lock (should the process stop in between, running the
   * restore again completes it: {@link RestoreResult.Outcome#COMPLETED}).
   */
  @Override
  public List<RestoreResult> restore(List<ArchivedMemory> memories) {
    ensureOpen();
    Objects.requireNonNull(memories, "memories");
    return Archives.restore(engine, namespace, memories);
  }

  @Override
  public boolean delete(String memoryId, Scope scope) {
    ensureOpen();
    Validation.requireMemoryId(memoryId);
    Objects.requireNonNull(scope, "scope");
    return using(owner(scope), partition -> partition.write(() -> {
      Optional<StoredMemory> existing = partition.get(memoryId, scope);
      if (existing.isEmpty()) {
        return false;
      }
      BatchChanges.delete(engine, partition, List.of(existing.get()), now());
      return true;
    }));
  }

  /**
   * {@inheritDoc}
   *
   * <p>The memories of the scope are deleted by one store call under the partition's write lock:
   * all of them or none.
   */
  @Override
  public long deleteAll(Scope scope) {
    ensureOpen();
    Objects.requireNonNull(scope, "scope");
    return using(owner(scope), partition -> partition.write(() -> {
      List<StoredMemory> inScope = partition.all(scope);
      if (inScope.isEmpty()) {
        return 0L;
      }
      return (long) BatchChanges.delete(engine, partition, inScope, now());
    }));
  }

  @Override
  public SearchResult search(SearchRequest request) {
    ensureOpen();
    Objects.requireNonNull(request, "request");
    settings().limits().check(request);
    Optional<TemporalExpression> temporal = settings().temporal(request);
    Optional<TimeRange> range = Filters.timeRange(request, temporal);
    if (range == null) {
      return new SearchResult(List.of(), ranking(request), Optional.empty());
    }
    Selection selection = Filters.of(request, temporal);
    float[] query = request.query() == null || !settings().retrieval().dense()
        ? null : engine.embeddings().query(request.query());
    List<SearchHit> hits = using(PartitionKey.of(namespace, request.userId(), request.agentId()),
        partition -> partition.read(() -> request.query() == null
            ? partition.newest(selection, request.limit())
            : partition.search(query, request.query(), request.limit(), selection,
                request.threshold())));
    return new SearchResult(hits, ranking(request), range);
  }

  @Override
  public Page<MemoryRecord> list(ListRequest request) {
    ensureOpen();
    Objects.requireNonNull(request, "request");
    settings().limits().check(request);
    Selection selection =
        Filters.of(request.scope(), request.filter(), !request.includeSuperseded());
    return using(owner(request.scope()), partition ->
        partition.read(() -> partition.page(selection, request.limit(), request.offset())));
  }

  @Override
  public UserStats stats(Scope scope) {
    ensureOpen();
    Objects.requireNonNull(scope, "scope");
    // Superseded memories are counted apart, so the selection passes them too.
    Selection selection = Filters.of(scope, null, false);
    return using(owner(scope),
        partition -> partition.read(() -> partition.stats(selection, scope)));
  }

  /** The partition of a scope's owner: its user, else its agent's own. */
  private PartitionKey owner(Scope scope) {
    return PartitionKey.of(namespace, scope.userId(), scope.agentId());
  }

  private SearchResult.Ranking ranking(SearchRequest request) {
    return request.query() == null
        ? SearchResult.Ranking.RECENCY : settings().retrieval().ranking();
  }

  @Override
  public Page<MemoryRecord> getAll(String userId, int limit, int offset) {
    ensureOpen();
    Validation.requireUserId(userId);
    Validation.requirePage(limit, offset);
    return list(ListRequest.builder(Scope.user(userId)).limit(limit).offset(offset).build());
  }

  @Override
  public Optional<MemoryRecord> get(String memoryId, Scope scope) {
    ensureOpen();
    Validation.requireMemoryId(memoryId);
    Objects.requireNonNull(scope, "scope");
    return using(owner(scope),
        partition -> partition.read(() -> partition.get(memoryId, scope).map(StoredMemory::memory)));
  }

  /**
   * {@inheritDoc}
   *
   * <p>History records no session: the history of a deleted memory asked for with a session is
   * not found, since the memory can no longer be placed in it.
   */
  @Override
  public List<HistoryEntry> history(String memoryId, Scope scope) {
    ensureOpen();
    Validation.requireMemoryId(memoryId);
    Objects.requireNonNull(scope, "scope");
    PartitionKey key = owner(scope);
    List<HistoryEntry> entries = engine.store().history(key, memoryId);
    if (entries.isEmpty()
        || !using(key, partition -> historyInScope(partition, memoryId, entries, scope))) {
      throw NotFoundException.memory(memoryId, scope);
    }
    return entries;
  }

  /**
   * Whether the memory {@code entries} are the history of is in {@code scope}: when it is held,
   * by its agent and session; when it was deleted, by the agent of its history, and never when
   * the scope names a session.
   */
  private static boolean historyInScope(Partition partition, String memoryId,
      List<HistoryEntry> entries, Scope scope) {
    if (scope.agentId() == null && scope.sessionId() == null) {
      return true;
    }
    return partition.read(() -> partition.get(memoryId))
        .map(held -> Partition.inScope(held.memory(), scope.agentId(), scope.sessionId()))
        .orElse(scope.sessionId() == null
            && Objects.equals(entries.get(0).agentId(), scope.agentId()));
  }

  @Override
  public UserStats getUserStats(String userId) {
    ensureOpen();
    Validation.requireUserId(userId);
    return stats(Scope.user(userId));
  }

  @Override
  public Health healthCheck() {
    ensureOpen();
    return engine.health();
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
    if (owner == null) {
      engine.close();
    }
  }

  /**
   * {@code use} applied to the partition of {@code key}, pinned meanwhile: an eviction cannot
   * make a second instance load while this one is used.
   */
  private <T> T using(PartitionKey key, Function<Partition, T> use) {
    return engine.using(key, use);
  }

  /**
   * The partition of {@code key} as the cache holds it now, unpinned: for tests that look at
   * its index once no operation runs.
   */
  Partition partition(PartitionKey key) {
    return using(key, partition -> partition);
  }

  /**
   * The partitions of this engine's namespace that hold memories, one page at a time: users'
   * partitions, then agents' own ({@linkplain PartitionKey#agentId() agent} set, owner
   * {@value PartitionKey#AGENT_PREFIX} and the agent id), in owner order, each with its count of
   * memories (current and superseded) and the newest one's creation time. A partition whose
   * memories were all deleted is absent. Pass the last summary's
   * {@code partition().owner()} as {@code after} for the next page; a page shorter than
   * {@code limit} is the last. Read from the store (see {@link MemoryStore#partitions}): no
   * partition is loaded into the cache, and a page reflects each partition as stored when it was
   * read. Engine only, not on {@link io.inmemory.MemoryClient}: the server lists a project's
   * users with it, and export walks a project's partitions.
   *
   * @param after the owner the page starts after; {@code null} from the first
   * @param limit how many partitions at most, 1 to {@value PartitionSummary#MAX_LIMIT}
   * @throws InvalidRequestException when {@code limit} is out of range
   * @throws UnsupportedOperationException when the store cannot list its partitions (every
   *     built-in store can)
   * @throws io.inmemory.StorageException when the store fails
   * @throws IllegalStateException when the engine is closed
   */
  public List<PartitionSummary> partitions(@Nullable String after, int limit) {
    ensureOpen();
    if (limit < 1 || limit > PartitionSummary.MAX_LIMIT) {
      throw new InvalidRequestException("limit",
          "must be between 1 and " + PartitionSummary.MAX_LIMIT + ", was " + limit);
    }
    return engine.store().partitions(namespace, after, limit);
  }

  /**
   * A snapshot of the partition cache this engine shares with its namespace views: the heap
   * budget ({@code inmemory.cache.max-heap}), the estimated heap held, hits, loads and
   * evictions. Engine only: a server reports the same figures in its health check.
   *
   * @throws IllegalStateException when the engine is closed
   */
  public PartitionCacheStats cacheStats() {
    ensureOpen();
    return engine.partitions().stats();
  }

  /**
   * How this engine follows the changes other processes sharing its store make: what it applied
   * and how stale it is (see {@link ChangeFeedStats}). Empty when the store has no change feed
   * (a single-process store) or {@code inmemory.cluster.feed} is off. Engine only: a server
   * reports the same figures in its health check (component {@code feed}).
   *
   * @throws IllegalStateException when the engine is closed
   */
  public Optional<ChangeFeedStats> feedStats() {
    ensureOpen();
    return Optional.ofNullable(engine.follower()).map(ChangeFollower::stats);
  }

  private EngineSettings settings() {
    return engine.settings();
  }

  private Instant now() {
    return settings().clock().instant().truncatedTo(ChronoUnit.MILLIS);
  }

  private void ensureOpen() {
    if (closed || (owner != null && owner.closed)) {
      throw new IllegalStateException("this Memory is closed");
    }
  }

  /**
   * Wires an engine explicitly. Anything not given comes from the configuration (by default
   * {@link InMemoryConfig#load()}). Not thread-safe; {@link #build()} may be called once.
   */
  public static final class Builder {
    private @Nullable InMemoryConfig config;
    private @Nullable MemoryStore store;
    private @Nullable Embedder embedder;
    private @Nullable Extractor extractor;
    private Clock clock = Clock.systemUTC();
    private @Nullable ZoneId zone;
    private @Nullable Limits limits;
    private @Nullable Long maxMemorySize;
    private @Nullable Long cacheMaxHeap;
    private EngineMetrics metrics = EngineMetrics.NONE;

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

    /**
     * The extractor of conversation adds, instead of the one {@code inmemory.extractor} names
     * (by default none: conversations are then remembered message by message); the engine closes
     * it, also when {@link #build()} fails.
     */
    public Builder extractor(Extractor extractor) {
      this.extractor = Objects.requireNonNull(extractor, "extractor");
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
     * The heap budget of the partitions the engine holds, in bytes, over
     * {@code inmemory.cache.max-heap} (by default 40% of the JVM's max heap, at least 16 MiB):
     * the least recently/frequently used partitions are dropped when their estimated heap
     * passes it, and loaded again on their next use.
     *
     * @throws IllegalArgumentException when below 1 MiB, or above this JVM's max heap (-Xmx),
     *     where partitions would run out of memory before they are dropped
     */
    public Builder cacheMaxHeap(long bytes) {
      this.cacheMaxHeap =
          PartitionCache.explicitBudget(bytes, Runtime.getRuntime().maxMemory());
      return this;
    }

    /**
     * Where the engine reports how long embedding and store calls take (see
     * {@link EngineMetrics}); by default nowhere, and then the calls are not even timed.
     */
    public Builder metrics(EngineMetrics metrics) {
      this.metrics = Objects.requireNonNull(metrics, "metrics");
      return this;
    }

    /**
     * Opens the engine.
     *
     * @throws io.inmemory.ConfigurationException when the configuration is invalid or names a
     *     store, embedder or extractor that is not on the classpath
     */
    public Memory build() {
      try {
        return new Memory(open(), PartitionKey.DEFAULT_NAMESPACE, null);
      } catch (RuntimeException e) {
        // the engine owns what it was given, also when it cannot start: release a store's lock
        Engine.closeQuietly(store, e);
        Engine.closeQuietly(embedder, e);
        Engine.closeQuietly(extractor, e);
        throw e;
      }
    }

    private Engine open() {
      return Engine.open(config != null ? config : InMemoryConfig.load(), store, embedder,
          extractor, clock, zone, limits, maxMemorySize, cacheMaxHeap, metrics);
    }
  }
}
