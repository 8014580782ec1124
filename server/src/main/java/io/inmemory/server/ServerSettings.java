package io.inmemory.server;

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

/**
 * The server's settings, read from {@link InMemoryConfig} and validated at once: every problem is
 * reported in one {@link ConfigurationException}.
 */
record ServerSettings(
    InMemoryServer.Mode mode,
    String host,
    int port,
    int workers,
    String logLevel,
    List<String> corsOrigins,
    String keyPrefix,
    boolean docs,
    String adminKey,
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
    Duration queueTimeout) {

  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_]{1,12}");
  private static final List<String> LOG_LEVELS = List.of("trace", "debug", "info", "warn",
      "error", "off");
  static final int MIN_ADMIN_KEY_LENGTH = 32;
  private static final List<String> LOOPBACK = List.of("127.0.0.1", "localhost", "::1");

  ServerSettings {
    corsOrigins = List.copyOf(corsOrigins);
  }

  static ServerSettings from(InMemoryConfig config) {
    return from(config, null);
  }

  /** The settings, with {@code adminKey} (when not null) instead of the configured one. */
  static ServerSettings from(InMemoryConfig config, String adminKeyOverride) {
    List<String> problems = new ArrayList<>();
    InMemoryServer.Mode mode = read(problems, () -> config.get(InMemoryServer.MODE),
        InMemoryServer.Mode.DEV);
    String host = read(problems, () -> config.find(InMemoryServer.HOST).orElse(null), null);
    int port = read(problems, () -> config.get(InMemoryServer.PORT), 0);
    int workers = read(problems, () -> config.get(InMemoryServer.WORKERS), 0);
    String logLevel = read(problems, () -> config.get(InMemoryServer.LOG_LEVEL), "info")
        .trim().toLowerCase(Locale.ROOT);
    if (!LOG_LEVELS.contains(logLevel)) {
      problems.add(InMemoryServer.LOG_LEVEL.name() + ": '" + logLevel + "' is not one of "
          + LOG_LEVELS);
    }
    List<String> origins = Arrays.stream(
            read(problems, () -> config.get(InMemoryServer.CORS_ORIGINS), "").split(","))
        .map(String::trim).filter(origin -> !origin.isEmpty()).toList();
    String prefix = read(problems, () -> config.get(InMemoryServer.API_KEY_PREFIX), "im_");
    if (!PREFIX.matcher(prefix).matches()) {
      problems.add(InMemoryServer.API_KEY_PREFIX.name() + ": '" + prefix + "' must be 1 to 12"
          + " letters, digits or '_'");
    }
    boolean docs = read(problems, () -> config.get(InMemoryServer.ENABLE_DOCS), true);
    String adminKey = adminKeyOverride != null ? adminKeyOverride
        : read(problems, () -> config.find(InMemoryServer.ADMIN_KEY).orElse(null), null);
    if (adminKey != null && adminKey.trim().length() < MIN_ADMIN_KEY_LENGTH) {
      problems.add(InMemoryServer.ADMIN_KEY.name() + ": must be at least " + MIN_ADMIN_KEY_LENGTH
          + " characters");
    }
    if (mode == InMemoryServer.Mode.PROD && adminKey == null) {
      problems.add(InMemoryServer.ADMIN_KEY.name() + ": is required in prod mode (set "
          + InMemoryServer.ADMIN_KEY.envName() + " to a secret of at least "
          + MIN_ADMIN_KEY_LENGTH + " characters)");
    }
    if (mode == InMemoryServer.Mode.DEV && host != null && !LOOPBACK.contains(host.trim())) {
      problems.add(InMemoryServer.HOST.name() + ": dev mode binds the loopback interface only;"
          + " set " + InMemoryServer.MODE.name() + "=prod to listen on " + host);
    }
    int rate = read(problems, () -> config.get(InMemoryServer.RATE_LIMIT_PER_MINUTE), 0);
    long maxRequest = read(problems, () -> config.get(InMemoryServer.MAX_REQUEST_SIZE), 0L);
    long minDataRate = read(problems,
        () -> config.get(InMemoryServer.MIN_REQUEST_DATA_RATE), 0L);
    long maxDiscard = read(problems, () -> config.get(InMemoryServer.MAX_DISCARD_SIZE), 0L);
    int idle = read(problems, () -> config.get(InMemoryServer.IDLE_TIMEOUT_SECONDS), 1);
    int connections = read(problems, () -> config.get(InMemoryServer.MAX_CONNECTIONS), 16);
    int ttl = read(problems, () -> config.get(InMemoryServer.KEY_CACHE_TTL_SECONDS), 0);
    int shutdown = read(problems, () -> config.get(InMemoryServer.SHUTDOWN_TIMEOUT_SECONDS), 0);
    int idempotencyTtl = read(problems,
        () -> config.get(InMemoryServer.IDEMPOTENCY_TTL_SECONDS), 1);
    long idempotencySize = read(problems,
        () -> config.get(InMemoryServer.IDEMPOTENCY_CACHE_SIZE), 0L);
    read(problems, () -> config.get(InMemoryConfig.MAX_MEMORY_SIZE), 0L);
    long requestMemory = read(problems, () -> config.get(InMemoryServer.MAX_REQUEST_MEMORY), 0L);
    // Waiting and costly requests and large answers each hold a thread: the rest stay for cheap
    // requests and Jetty.
    int threadsForWork = workers - Math.max(8, workers / 4);
    Optional<Integer> costlySet = read(problems,
        () -> config.find(InMemoryServer.MAX_COSTLY_REQUESTS), Optional.empty());
    // Twice the processors: embedding is CPU-bound, but a store's writes overlap it.
    int costly = costlySet.orElse(
        Math.max(2, Math.min(2 * Runtime.getRuntime().availableProcessors(), workers / 4)));
    Optional<Integer> largeSet = read(problems,
        () -> config.find(InMemoryServer.MAX_LARGE_ANSWERS), Optional.empty());
    // Each holds a thread while its client reads, and writing JSON takes CPU: as many as costly
    // work, within an eighth of the workers.
    int large = largeSet.orElse(
        Math.max(2, Math.min(2 * Runtime.getRuntime().availableProcessors(), workers / 8)));
    Optional<Integer> queuedSet = read(problems,
        () -> config.find(InMemoryServer.MAX_QUEUED_REQUESTS), Optional.empty());
    int queued = queuedSet.orElse(Math.max(0, threadsForWork - costly - large));
    if (workers > 0 && costly + large + queued > threadsForWork) {
      problems.add(InMemoryServer.MAX_COSTLY_REQUESTS.name() + " + "
          + InMemoryServer.MAX_LARGE_ANSWERS.name() + " + "
          + InMemoryServer.MAX_QUEUED_REQUESTS.name() + ": " + costly + " + " + large + " + "
          + queued + " is over the " + threadsForWork + " of the " + workers + " workers ("
          + InMemoryServer.WORKERS.name() + ") that may wait or work, so cheap requests such as"
          + " ping could find no thread");
    }
    int queueTimeout = read(problems, () -> config.get(InMemoryServer.QUEUE_TIMEOUT_MS), 0);
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
    if (host == null) {
      host = mode == InMemoryServer.Mode.DEV ? "127.0.0.1" : "0.0.0.0";
    }
    return new ServerSettings(mode, host, port, workers, logLevel, origins, prefix, docs,
        adminKey == null ? null : adminKey.trim(), rate, maxRequest, minDataRate, maxDiscard,
        Duration.ofSeconds(idle), connections, Duration.ofSeconds(ttl),
        Duration.ofSeconds(shutdown), Duration.ofSeconds(idempotencyTtl), idempotencySize,
        requestMemory, costly, large, queued, Duration.ofMillis(queueTimeout));
  }

  private static <T> T read(List<String> problems, Supplier<T> value, T fallback) {
    try {
      return value.get();
    } catch (ConfigurationException e) {
      problems.addAll(e.problems());
      return fallback;
    }
  }
}
