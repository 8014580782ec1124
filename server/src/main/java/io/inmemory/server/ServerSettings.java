package io.inmemory.server;

import io.inmemory.ConfigKey;
import io.inmemory.ConfigurationException;
import io.inmemory.InMemoryConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The server's configuration keys, and the settings {@link InMemoryServer} reads from them: read
 * from {@link InMemoryConfig} and validated at once, every problem reported in one
 * {@link ConfigurationException}. Each key is read from every source of {@link InMemoryConfig}
 * (system property, environment variable {@link ConfigKey#envName()}, {@code inmemory.properties}).
 * Immutable and thread-safe; {@code adminKey} is null when none is configured.
 */
public record ServerSettings(
    Mode mode,
    String host,
    int port,
    int workers,
    String logLevel,
    List<String> corsOrigins,
    String keyPrefix,
    boolean docs,
    boolean dashboard,
    @Nullable String adminKey,
    int rateLimitPerMinute,
    long maxRequestSize,
    long minRequestDataRate,
    long maxDiscardSize,
    Duration idleTimeout,
    int maxConnections,
    Duration keyCacheTtl,
    Duration shutdownTimeout,
    Duration idempotencyTtl,
    long idempotencyCacheSize,
    long maxRequestMemory,
    int maxCostlyRequests,
    int maxLargeAnswers,
    int maxQueuedRequests,
    Duration queueTimeout,
    int maxConcurrentExtractions,
    Duration idempotencyLease,
    Duration keyRevocationPoll,
    Duration keyUsageFlushInterval,
    boolean metrics) {

  /**
   * {@code dev} or {@code prod}; env {@code INMEMORY_SERVER_MODE} ({@code INMEMORY_MODE} is the
   * client's {@code inmemory.mode}, local or managed, and is not read here).
   */
  public static final ConfigKey<Mode> MODE = ConfigKey.enumeration("inmemory.server.mode",
      Mode.class, Mode.DEV,
      "The server's mode: dev (loopback, generated admin key; default) or prod (admin key"
          + " required).");
  /** The interface to bind; default 127.0.0.1 in dev, 0.0.0.0 in prod. */
  public static final ConfigKey<String> HOST = ConfigKey.string("inmemory.host", null,
      "The interface the server binds (prod); dev always binds loopback.");
  /** The port; 0 picks a free one. */
  public static final ConfigKey<Integer> PORT = ConfigKey.integer("inmemory.port", 8080, 0,
      65535, "The server's TCP port; 0 picks a free one.");
  /** The server's thread pool size (Jetty's acceptor and selector threads included), 16 or more. */
  public static final ConfigKey<Integer> WORKERS = ConfigKey.integer("inmemory.workers", 64, 16,
      10_000, "The most threads serving requests at once.");
  /** The log level of the runnable jar: trace, debug, info, warn, error or off. */
  public static final ConfigKey<String> LOG_LEVEL = ConfigKey.string("inmemory.log-level", "info",
      "The log level of the runnable server: trace, debug, info, warn, error or off.");
  /** Browser origins allowed to call the API, comma-separated; {@code *} for any. */
  public static final ConfigKey<String> CORS_ORIGINS = ConfigKey.string("inmemory.cors-origins",
      "", "Browser origins allowed to call the API (comma-separated, * for any; default none).");
  /** The prefix of generated API keys. */
  public static final ConfigKey<String> API_KEY_PREFIX = ConfigKey.string(
      "inmemory.api-key-prefix", "im_", "The prefix of generated API keys (default im_).");
  /** Whether {@code /docs} serves Swagger UI. */
  public static final ConfigKey<Boolean> ENABLE_DOCS = ConfigKey.bool("inmemory.enable-docs",
      true, "Whether /docs serves the interactive API documentation (default true).");
  /** Whether {@code /dashboard} serves the dashboard. */
  public static final ConfigKey<Boolean> ENABLE_DASHBOARD = ConfigKey.bool(
      "inmemory.enable-dashboard", true,
      "Whether /dashboard serves the dashboard, a page signed in with an API key (default true).");
  /** The bootstrap admin key, at least 32 characters; required in prod. */
  public static final ConfigKey<String> ADMIN_KEY = ConfigKey.string("inmemory.admin-key", null,
      "The bootstrap admin key (at least 32 characters) that creates projects and keys;"
          + " required in prod mode.");
  /** Requests per API key and minute; 0 disables rate limiting. */
  public static final ConfigKey<Integer> RATE_LIMIT_PER_MINUTE = ConfigKey.integer(
      "inmemory.rate-limit-per-minute", 600, 0, 10_000_000,
      "Requests per API key and minute, also the burst size; 0 disables rate limiting.");
  /** The largest request body accepted. */
  public static final ConfigKey<Long> MAX_REQUEST_SIZE = ConfigKey.bytes(
      "inmemory.max-request-size", 16L * 1024 * 1024, 1024,
      "The largest request body accepted, in bytes (suffixes KB, MB; default 16MB).");
  /**
   * The fewest bytes per second a request body must arrive at, averaged from the request's start,
   * once {@link BodyLimits#GRACE} has passed; 0 for no minimum.
   */
  public static final ConfigKey<Long> MIN_REQUEST_DATA_RATE = ConfigKey.bytes(
      "inmemory.min-request-data-rate", 240L, 0,
      "The fewest bytes per second a request body must arrive at after its first 5 s, or it is"
          + " answered 408 and its connection closed (default 240; 0 = no minimum).");
  /** The most bytes of a rejected request's body read and discarded after the answer. */
  public static final ConfigKey<Long> MAX_DISCARD_SIZE = ConfigKey.bytes(
      "inmemory.max-discard-size", 2L * 1024 * 1024, 0,
      "The most bytes of a request body still arriving after its answer (a rejected or oversized"
          + " request) that are read and discarded so the client gets the answer; past it the"
          + " connection is closed (suffixes KB, MB; default 2MB).");
  /** How long a connection may be silent before it is closed. */
  public static final ConfigKey<Integer> IDLE_TIMEOUT_SECONDS = ConfigKey.integer(
      "inmemory.idle-timeout-seconds", 30, 1, 3600,
      "How long a connection may go without a byte in either direction, between requests or"
          + " while a request body is awaited, before it is closed (default 30 s).");
  /** The most connections open at once; past it the server accepts no more until one closes. */
  public static final ConfigKey<Integer> MAX_CONNECTIONS = ConfigKey.integer(
      "inmemory.max-connections", 4096, 16, 1_000_000,
      "The most client connections open at once (default 4096); past it new connections wait"
          + " in the operating system's backlog until one closes (idle ones close after"
          + " inmemory.idle-timeout-seconds), so no number of clients exhausts the heap or the"
          + " file descriptors.");
  /**
   * The heap the request bodies being handled may take at once; each reserves 64 times its size.
   * Default: half the JVM's maximum heap.
   */
  public static final ConfigKey<Long> MAX_REQUEST_MEMORY = ConfigKey.bytes(
      "inmemory.max-request-memory", Runtime.getRuntime().maxMemory() / 2, 1024 * 1024,
      "The heap the request bodies being handled may take at once, each reserving 64 times its"
          + " size (the most parsing its JSON and copying its values can take); when it is"
          + " taken, requests wait, then get 503. Bodies too large to ever fit are refused with"
          + " 413 (suffixes KB, MB, GB; default half the JVM's maximum heap).");
  /** How many adds, updates and searches run at once; more wait for a turn. */
  public static final ConfigKey<Integer> MAX_COSTLY_REQUESTS = ConfigKey.integer(
      "inmemory.max-costly-requests", null, 1, 10_000,
      "How many adds, updates and searches (the requests that embed text or rank memories) run"
          + " at once; more wait for a turn (default: twice the processors, at least 2 and"
          + " at most a quarter of inmemory.workers).");
  /**
   * How many answers over {@value JsonAnswer#BUFFER} bytes are streamed at once, each by a thread
   * that waits while the client reads; more wait for a turn.
   */
  public static final ConfigKey<Integer> MAX_LARGE_ANSWERS = ConfigKey.integer(
      "inmemory.max-large-answers", null, 1, 10_000,
      "How many answers over 64 KB (lists, searches, histories of large memories) are sent at"
          + " once, each streamed by a thread that waits while the client reads; more wait for a"
          + " turn (default: twice the processors, at least 2 and at most an eighth of"
          + " inmemory.workers).");
  /** How many requests wait for a turn at once; more are refused with 503 at once. */
  public static final ConfigKey<Integer> MAX_QUEUED_REQUESTS = ConfigKey.integer(
      "inmemory.max-queued-requests", null, 0, 10_000,
      "How many requests wait at once for a turn (costly work, request memory or a large"
          + " answer); more are refused with 503 at once. With inmemory.max-costly-requests and"
          + " inmemory.max-large-answers, at most inmemory.workers less a quarter of them (at"
          + " least 8), which stay for cheap requests such as ping (default: that many less the"
          + " costly requests and large answers).");
  /** How long a request waits for its turn before it is refused with 503. */
  public static final ConfigKey<Integer> QUEUE_TIMEOUT_MS = ConfigKey.integer(
      "inmemory.queue-timeout-ms", 5000, 0, 600_000,
      "How long a request waits for a turn before it is refused with 503 and Retry-After"
          + " (default 5000 ms).");
  /**
   * How many conversation adds run at once: each may hold its request for seconds while a model
   * answers, so they have their own turns, apart from the adds, updates and searches.
   */
  public static final ConfigKey<Integer> MAX_CONCURRENT_EXTRACTIONS = ConfigKey.integer(
      "inmemory.server.max-concurrent-extractions", null, 1, 10_000,
      "How many conversation adds (which may call the extraction model and hold their request"
          + " for seconds) run at once, apart from the other adds and searches; more wait for a"
          + " turn, then get 503 with Retry-After (default 4, or fewer when inmemory.workers"
          + " leaves fewer threads beside the costly requests and large answers).");
  private static final int DEFAULT_EXTRACTIONS = 4;
  /**
   * How long a key lookup is cached; the most another process takes to see a revocation when the
   * store's revocations cannot be watched (see {@link #KEY_REVOCATION_POLL_MS}).
   */
  public static final ConfigKey<Integer> KEY_CACHE_TTL_SECONDS = ConfigKey.integer(
      "inmemory.key-cache-ttl-seconds", 5, 0, 3600,
      "How long API key lookups are cached (default 5 s). On a store shared by several server"
          + " processes (mongo, h2 over TCP) a revocation reaches the others by"
          + " inmemory.key-revocation-poll-ms; this is the safety net when that signal is lost"
          + " (a process that died between revoking and signalling on mongo), and the bound for"
          + " stores that give no signal.");
  /**
   * How often the store's revocations are watched, when it is shared; a revocation through
   * another process is honoured within about this long.
   */
  public static final ConfigKey<Integer> KEY_REVOCATION_POLL_MS = ConfigKey.integer(
      "inmemory.key-revocation-poll-ms", 250, 10, 60_000,
      "How often a server process on a shared store (mongo, h2 over TCP) asks the store whether a"
          + " key was revoked by another process, then drops its cached keys (default 250 ms):"
          + " a revocation is refused everywhere within this interval and one store read. When"
          + " the store cannot be asked for four intervals (at least 1 s), cached keys are"
          + " dropped, so requests fail with the store rather than pass a revoked key.");
  /** How often key usage counts are written to the store. */
  public static final ConfigKey<Integer> KEY_USAGE_FLUSH_SECONDS = ConfigKey.integer(
      "inmemory.key-usage-flush-seconds", 10, 1, 3600,
      "How often the API key usage counts are added to the store (default 10 s): counts are"
          + " exact once every server process has shut down gracefully; a process killed"
          + " loses its last interval, and a listing shows other processes' counts up to this"
          + " late.");
  /** Whether {@code GET /metrics} serves the server's metrics to admin keys. */
  public static final ConfigKey<Boolean> METRICS_ENABLED = ConfigKey.bool(
      "inmemory.metrics.enabled", true,
      "Whether GET /metrics serves the server's metrics in Prometheus's text format to admin"
          + " keys (default true); off, nothing is measured and /metrics is no route.");
  /** How long {@link InMemoryServer#close()} waits for requests in flight. */
  public static final ConfigKey<Integer> SHUTDOWN_TIMEOUT_SECONDS = ConfigKey.integer(
      "inmemory.shutdown-timeout-seconds", 30, 0, 3600,
      "How long a graceful shutdown waits for requests in flight (default 30 s).");

  /** How long an answer to a request with an {@code Idempotency-Key} is replayed. */
  public static final ConfigKey<Integer> IDEMPOTENCY_TTL_SECONDS = ConfigKey.integer(
      "inmemory.idempotency-ttl-seconds", 86_400, 1, 30 * 86_400,
      "How long the answer to an add carrying an Idempotency-Key is replayed to its retries"
          + " (default 86400 s = 24 h; kept in the store when several processes share it, mongo"
          + " or h2, else in memory and lost on restart).");
  /** The most bytes of kept answers to requests with an {@code Idempotency-Key}. */
  public static final ConfigKey<Long> IDEMPOTENCY_CACHE_SIZE = ConfigKey.bytes(
      "inmemory.idempotency-cache-size", 64L * 1024 * 1024, 64 * 1024,
      "The most bytes of answers to Idempotency-Key requests cached in this process for"
          + " replays, the least recently used going first; on a store not shared between"
          + " processes (file, memory) also the most kept at all, those expiring first going"
          + " first (suffixes KB, MB; default 64MB).");
  /** How long a request with an {@code Idempotency-Key} holds its key without renewing it. */
  public static final ConfigKey<Integer> IDEMPOTENCY_LEASE_SECONDS = ConfigKey.integer(
      "inmemory.idempotency-lease-seconds", 30, 1, 3600,
      "How long a request with an Idempotency-Key holds its key in the store while it runs"
          + " (default 30 s, renewed every third of it): a retry arriving meanwhile waits for"
          + " its answer; a process that dies mid-request holds the key this long at most.");

  /** How the server runs; see {@link InMemoryServer}'s class comment. */
  public enum Mode {
    /** Loopback only, docs on, local file store, generated admin key. */
    DEV,
    /** Binds {@link #HOST}; {@link #ADMIN_KEY} required. */
    PROD
  }

  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_]{1,12}");
  private static final List<String> LOG_LEVELS = List.of("trace", "debug", "info", "warn",
      "error", "off");
  static final int MIN_ADMIN_KEY_LENGTH = 32;
  private static final List<String> LOOPBACK = List.of("127.0.0.1", "localhost", "::1");

  public ServerSettings {
    corsOrigins = List.copyOf(corsOrigins);
  }

  static ServerSettings from(InMemoryConfig config) {
    return from(config, null);
  }

  /** The settings, with {@code adminKey} (when not null) instead of the configured one. */
  static ServerSettings from(InMemoryConfig config, @Nullable String adminKeyOverride) {
    List<String> problems = new ArrayList<>();
    Mode mode = read(problems, () -> config.get(MODE), Mode.DEV);
    String host = read(problems, () -> config.find(HOST).orElse(null), null);
    int port = read(problems, () -> config.get(PORT), 0);
    int workers = read(problems, () -> config.get(WORKERS), 0);
    String logLevel = read(problems, () -> config.get(LOG_LEVEL), "info")
        .trim().toLowerCase(Locale.ROOT);
    if (!LOG_LEVELS.contains(logLevel)) {
      problems.add(LOG_LEVEL.name() + ": '" + logLevel + "' is not one of " + LOG_LEVELS);
    }
    List<String> origins = Arrays.stream(
            read(problems, () -> config.get(CORS_ORIGINS), "").split(","))
        .map(String::trim).filter(origin -> !origin.isEmpty()).toList();
    String prefix = read(problems, () -> config.get(API_KEY_PREFIX), "im_");
    if (!PREFIX.matcher(prefix).matches()) {
      problems.add(API_KEY_PREFIX.name() + ": '" + prefix + "' must be 1 to 12"
          + " letters, digits or '_'");
    }
    boolean docs = read(problems, () -> config.get(ENABLE_DOCS), true);
    boolean dashboard = read(problems, () -> config.get(ENABLE_DASHBOARD), true);
    String adminKey = adminKeyOverride != null ? adminKeyOverride
        : read(problems, () -> config.find(ADMIN_KEY).orElse(null), null);
    if (adminKey != null && adminKey.trim().length() < MIN_ADMIN_KEY_LENGTH) {
      problems.add(ADMIN_KEY.name() + ": must be at least " + MIN_ADMIN_KEY_LENGTH
          + " characters");
    }
    if (mode == Mode.PROD && adminKey == null) {
      problems.add(ADMIN_KEY.name() + ": is required in prod mode (set "
          + ADMIN_KEY.envName() + " to a secret of at least "
          + MIN_ADMIN_KEY_LENGTH + " characters)");
    }
    if (mode == Mode.DEV && host != null && !LOOPBACK.contains(host.trim())) {
      problems.add(HOST.name() + ": dev mode binds the loopback interface only;"
          + " set " + MODE.name() + "=prod to listen on " + host);
    }
    int rate = read(problems, () -> config.get(RATE_LIMIT_PER_MINUTE), 0);
    long maxRequest = read(problems, () -> config.get(MAX_REQUEST_SIZE), 0L);
    long minDataRate = read(problems,
        () -> config.get(MIN_REQUEST_DATA_RATE), 0L);
    long maxDiscard = read(problems, () -> config.get(MAX_DISCARD_SIZE), 0L);
    int idle = read(problems, () -> config.get(IDLE_TIMEOUT_SECONDS), 1);
    int connections = read(problems, () -> config.get(MAX_CONNECTIONS), 16);
    int ttl = read(problems, () -> config.get(KEY_CACHE_TTL_SECONDS), 0);
    int shutdown = read(problems, () -> config.get(SHUTDOWN_TIMEOUT_SECONDS), 0);
    int idempotencyTtl = read(problems,
        () -> config.get(IDEMPOTENCY_TTL_SECONDS), 1);
    long idempotencySize = read(problems,
        () -> config.get(IDEMPOTENCY_CACHE_SIZE), 0L);
    read(problems, () -> config.get(InMemoryConfig.MAX_MEMORY_SIZE), 0L);
    long requestMemory = read(problems, () -> config.get(MAX_REQUEST_MEMORY), 0L);
    // Waiting and costly requests and large answers each hold a thread: the rest stay for cheap
    // requests and Jetty.
    int threadsForWork = workers - Math.max(8, workers / 4);
    // Twice the processors: embedding is CPU-bound, but a store's writes overlap it.
    int costly = read(problems, config, MAX_COSTLY_REQUESTS, twiceTheProcessors(workers / 4));
    // Each holds a thread while its client reads, and writing JSON takes CPU: as many as costly
    // work, within an eighth of the workers.
    int large = read(problems, config, MAX_LARGE_ANSWERS, twiceTheProcessors(workers / 8));
    // Each conversation add holds a thread while the model answers: by default 4, within what
    // costly work and large answers leave.
    int extractions = read(problems, config, MAX_CONCURRENT_EXTRACTIONS,
        Math.max(1, Math.min(DEFAULT_EXTRACTIONS, threadsForWork - costly - large)));
    int queued = read(problems, config, MAX_QUEUED_REQUESTS,
        Math.max(0, threadsForWork - costly - large - extractions));
    if (workers > 0 && costly + large + extractions + queued > threadsForWork) {
      problems.add(MAX_COSTLY_REQUESTS.name() + " + "
          + MAX_LARGE_ANSWERS.name() + " + " + MAX_CONCURRENT_EXTRACTIONS.name() + " + "
          + MAX_QUEUED_REQUESTS.name() + ": " + costly + " + " + large + " + " + extractions
          + " + " + queued + " is over the " + threadsForWork + " of the " + workers + " workers ("
          + WORKERS.name() + ") that may wait or work, so cheap requests such as"
          + " ping could find no thread");
    }
    int queueTimeout = read(problems, () -> config.get(QUEUE_TIMEOUT_MS), 0);
    int lease = read(problems, () -> config.get(IDEMPOTENCY_LEASE_SECONDS), 1);
    int revocationPoll = read(problems, () -> config.get(KEY_REVOCATION_POLL_MS), 10);
    int usageFlush = read(problems, () -> config.get(KEY_USAGE_FLUSH_SECONDS), 1);
    boolean metrics = read(problems, () -> config.get(METRICS_ENABLED), true);
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
    if (host == null) {
      host = mode == Mode.DEV ? "127.0.0.1" : "0.0.0.0";
    }
    return new ServerSettings(mode, host, port, workers, logLevel, origins, prefix, docs, dashboard,
        adminKey == null ? null : adminKey.trim(), rate, maxRequest, minDataRate, maxDiscard,
        Duration.ofSeconds(idle), connections, Duration.ofSeconds(ttl),
        Duration.ofSeconds(shutdown), Duration.ofSeconds(idempotencyTtl), idempotencySize,
        requestMemory, costly, large, queued, Duration.ofMillis(queueTimeout), extractions,
        Duration.ofSeconds(lease), Duration.ofMillis(revocationPoll),
        Duration.ofSeconds(usageFlush), metrics);
  }

  /** Twice the processors, within {@code most}, at least 2. */
  private static int twiceTheProcessors(int most) {
    return Math.max(2, Math.min(2 * Runtime.getRuntime().availableProcessors(), most));
  }

  /** The value of {@code key} when it is set (and valid), else {@code unset}. */
  private static int read(List<String> problems, InMemoryConfig config, ConfigKey<Integer> key,
      int unset) {
    return read(problems, () -> config.find(key), Optional.<Integer>empty()).orElse(unset);
  }

  /** The value, or {@code fallback} with its problems added to {@code problems}. */
  static <T> T read(List<String> problems, Supplier<T> value, T fallback) {
    try {
      return value.get();
    } catch (ConfigurationException e) {
      problems.addAll(e.problems());
      return fallback;
    }
  }
}
