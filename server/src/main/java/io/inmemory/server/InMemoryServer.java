package io.inmemory.server;

import io.inmemory.ConfigKey;
import io.inmemory.ConfigurationException;
import io.inmemory.InMemoryConfig;
import io.inmemory.MemoryClients;
import io.inmemory.ProviderSelection;
import io.inmemory.engine.Memory;
import io.inmemory.engine.spi.StoreProvider;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.LoggerFactory;

/**
 * The InMemory REST server: the engine behind an HTTP API with projects, API keys, rate limits
 * and OpenAPI documentation (Jetty). Run it with {@code java -jar inmemory-server.jar [dev|prod]},
 * configured by the environment (the constants below, plus the engine's keys such as
 * {@code INMEMORY_STORAGE_TYPE} and {@code INMEMORY_MAX_MEMORY_SIZE}); or embed it with
 * {@link #builder()}, for example on port 0 in tests.
 *
 * <p><b>Modes.</b> {@code dev} (default) binds the loopback interface only, serves the docs and
 * prints a freshly generated admin key once when none is configured. {@code prod} requires
 * {@link #ADMIN_KEY} and binds {@link #HOST}.
 *
 * <p><b>Data.</b> In both modes, unless a store is configured, the server keeps its data in the
 * file store under {@code ./inmemory-data} of the working directory ({@code
 * inmemory.store.file.dir} moves it); without the file store on the classpath the engine's own
 * choice applies.
 *
 * <p><b>Lifecycle.</b> {@link #close()} stops accepting connections, lets requests in flight
 * finish (up to {@link #SHUTDOWN_TIMEOUT_SECONDS}), writes the pending key usage counts and closes
 * the engine it opened (an engine given to the builder stays the caller's to close). Thread-safe.
 *
 * <p>Arguments must not be null.
 */
public final class InMemoryServer implements AutoCloseable {

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
  /** How long a key lookup is cached; bounds how late another process sees a revocation. */
  public static final ConfigKey<Integer> KEY_CACHE_TTL_SECONDS = ConfigKey.integer(
      "inmemory.key-cache-ttl-seconds", 5, 0, 3600,
      "How long API key lookups are cached (default 5 s): the most another server process"
          + " sharing the store takes to see a revocation.");
  /** How long {@link #close()} waits for requests in flight. */
  public static final ConfigKey<Integer> SHUTDOWN_TIMEOUT_SECONDS = ConfigKey.integer(
      "inmemory.shutdown-timeout-seconds", 30, 0, 3600,
      "How long a graceful shutdown waits for requests in flight (default 30 s).");

  /** How long an answer to a request with an {@code Idempotency-Key} is replayed. */
  public static final ConfigKey<Integer> IDEMPOTENCY_TTL_SECONDS = ConfigKey.integer(
      "inmemory.idempotency-ttl-seconds", 86_400, 1, 30 * 86_400,
      "How long the answer to an add carrying an Idempotency-Key is replayed to its retries"
          + " (default 86400 s = 24 h; kept in memory, lost on restart).");
  /** The most bytes of kept answers to requests with an {@code Idempotency-Key}. */
  public static final ConfigKey<Long> IDEMPOTENCY_CACHE_SIZE = ConfigKey.bytes(
      "inmemory.idempotency-cache-size", 64L * 1024 * 1024, 64 * 1024,
      "The most bytes of answers kept for Idempotency-Key replays; the least recently used go"
          + " first (suffixes KB, MB; default 64MB).");

  /** How the server runs; see the class comment. */
  public enum Mode {
    /** Loopback only, docs on, local file store, generated admin key. */
    DEV,
    /** Binds {@link #HOST}; {@link #ADMIN_KEY} required. */
    PROD
  }

  private static final String FILE_STORE = "file";
  private static final String FILE_STORE_DIR = "inmemory.store.file.dir";
  private static final String DEFAULT_STORE_DIR = "inmemory-data";
  /** Read by the logback configurations of the runnable jar. */
  private static final String LOG_LEVEL_PROPERTY = "inmemory.server.log-level";
  private static final String LOGBACK_CONFIGURATION = "logback.configurationFile";
  private static final Duration USAGE_FLUSH_INTERVAL = Duration.ofSeconds(10);
  static final String USAGE = String.join(System.lineSeparator(),
      "Usage: java -jar inmemory-server.jar [dev|prod]",
      "  dev   loopback only, generated admin key (the default)",
      "  prod  binds INMEMORY_HOST, requires INMEMORY_ADMIN_KEY",
      "Both keep data in ./inmemory-data unless INMEMORY_STORAGE_TYPE or INMEMORY_STORE_FILE_DIR"
          + " says otherwise.",
      "The argument overrides INMEMORY_SERVER_MODE; everything else is configured by INMEMORY_*"
          + " environment variables (see the server's README).");

  private final Server jetty;
  private final ServerConnector connector;
  private final ApiKeys keys;
  private final Memory ownedMemory;
  private final AtomicBoolean closed = new AtomicBoolean();

  private InMemoryServer(Builder builder) {
    ServerSettings settings = ServerSettings.from(builder.config, builder.adminKey);
    Docs docs = settings.docs() ? new Docs() : null;
    String configuredAdminKey = settings.adminKey();
    String adminKey = configuredAdminKey != null
        ? configuredAdminKey : settings.keyPrefix() + ApiKeys.base62(new SecureRandom(), 43);
    this.ownedMemory = builder.memory == null ? openEngine(builder.config) : null;
    Memory memory = builder.memory != null ? builder.memory : ownedMemory;
    try {
      this.keys = new ApiKeys(memory.access(), settings.keyPrefix(), adminKey,
          builder.clock, settings.keyCacheTtl(), builder.usageFlushInterval);
    } catch (RuntimeException e) {
      closeOwned();
      throw e;
    }
    Admission admission = Admission.of(settings);
    Api api = new Api(memory, keys, docs, admission);
    ApiHandler handler = new ApiHandler(new Router(api.routes()), keys,
        new RateLimiter(settings.rateLimitPerMinute()), new Cors(settings.corsOrigins()),
        new BodyLimits(admission.maxBodySize(), settings.minRequestDataRate(),
            BodyLimits.GRACE, settings.maxDiscardSize()),
        new Idempotency(settings.idempotencyTtl(), settings.idempotencyCacheSize()), admission);
    QueuedThreadPool threads = new QueuedThreadPool(settings.workers(), 8);
    threads.setName("inmemory-http");
    this.jetty = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    this.connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
    connector.setHost(builder.host != null ? builder.host : settings.host());
    connector.setPort(builder.port != null ? builder.port : settings.port());
    connector.setIdleTimeout(settings.idleTimeout().toMillis());
    jetty.addConnector(connector);
    jetty.addBean(new NetworkConnectionLimit(settings.maxConnections(), connector));
    jetty.setHandler(new GracefulHandler(handler));
    jetty.setErrorHandler(ApiHandler.errorHandler());
    jetty.setStopTimeout(settings.shutdownTimeout().toMillis());
    try {
      jetty.start();
    } catch (Exception e) {
      keys.close();
      closeOwned();
      throw new IllegalStateException("The server could not start on " + connector.getHost()
          + ":" + connector.getPort() + ": " + e.getMessage(), e);
    }
    if (configuredAdminKey == null) {
      // printed, never logged: the one place the generated key is shown
      System.out.println("InMemory dev mode: admin key (shown once, not stored): " + adminKey);
    }
    LoggerFactory.getLogger(InMemoryServer.class).info(
        "InMemory server {} listening on http://{}:{} ({} mode, docs {})", MemoryClients.version(),
        connector.getHost(), port(), settings.mode().name().toLowerCase(Locale.ROOT),
        settings.docs() ? "on" : "off");
  }

  /**
   * Opens the engine of {@code config}. With no store configured, the server — an application
   * that bundles several stores, where the library would refuse to pick one — keeps its data in
   * the file store (when on the classpath) under {@code ./inmemory-data} of the working directory,
   * in both modes. That default lies beneath every source, so a configured store or directory
   * still wins and the caller's isolation still holds.
   */
  private static Memory openEngine(InMemoryConfig config) {
    if (config.find(InMemoryConfig.STORE).isEmpty() && fileStoreAvailable()) {
      config = config.withFallbacks(Map.of(InMemoryConfig.STORE.name(), FILE_STORE,
          FILE_STORE_DIR, Path.of(DEFAULT_STORE_DIR).toAbsolutePath().toString()));
    }
    return Memory.builder().config(config).build();
  }

  private static boolean fileStoreAvailable() {
    return ProviderSelection.load(StoreProvider.class).stream()
        .anyMatch(provider -> provider.name().equals(FILE_STORE));
  }

  /** A builder; see {@link Builder}. */
  public static Builder builder() {
    return new Builder();
  }

  /** The port the server listens on (the one picked when started on port 0). */
  public int port() {
    return connector.getLocalPort();
  }

  /** Stops gracefully (see the class comment); idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      jetty.stop();
    } catch (Exception e) {
      LoggerFactory.getLogger(InMemoryServer.class).warn("Stopping the HTTP server failed", e);
    } finally {
      try {
        keys.close();
      } finally {
        closeOwned();
      }
    }
  }

  private void closeOwned() {
    if (ownedMemory != null) {
      ownedMemory.close();
    }
  }

  /**
   * Runs the server configured by the environment until the JVM stops. One optional argument,
   * {@code dev} or {@code prod}, sets the mode over {@link #MODE}; anything else (or an invalid
   * mode) prints the usage on standard error and exits with status 2. Logs with logback, set up by
   * mode before anything logs: plain lines in dev, JSON lines in prod, at {@link #LOG_LEVEL}; a
   * {@code logback.configurationFile} system property wins. A start-up that fails is logged as
   * one line saying what failed and what to do, and exits with status 2 for an invalid
   * configuration, 1 otherwise (see {@link StartupFailure}).
   */
  public static void main(String[] args) {
    InMemoryConfig.Builder sources = InMemoryConfig.builder();
    InMemoryConfig config;
    Mode mode;
    try {
      modeArgument(args).ifPresent(argument -> sources.set(MODE.name(), argument.name()));
      config = sources.build();
      mode = config.get(MODE);
    } catch (IllegalArgumentException | ConfigurationException e) {
      System.err.println(e.getMessage());
      System.err.println(USAGE);
      System.exit(StartupFailure.CONFIGURATION);
      return;
    }
    ServerSettings settings;
    try {
      settings = ServerSettings.from(config);
    } catch (ConfigurationException e) {
      configureLogging(mode, null);
      exit(StartupFailure.of(e, null));
      return;
    }
    configureLogging(mode, settings.logLevel());
    try {
      StartupFailure.requireListenable(settings.host(), settings.port());
      InMemoryServer server = builder().config(config).start();
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "inmemory-shutdown"));
    } catch (RuntimeException e) {
      exit(StartupFailure.of(e, settings));
    }
  }

  /**
   * Points logback at the mode's configuration (unless the JVM names one) and {@code level}
   * (null: the configuration's default, info), before anything logs.
   */
  private static void configureLogging(Mode mode, String level) {
    if (level != null) {
      System.setProperty(LOG_LEVEL_PROPERTY, level);
    }
    if (System.getProperty(LOGBACK_CONFIGURATION) == null) {
      System.setProperty(LOGBACK_CONFIGURATION, "io/inmemory/server/logback-"
          + mode.name().toLowerCase(Locale.ROOT) + ".xml");
    }
  }

  private static void exit(StartupFailure failure) {
    failure.report(LoggerFactory.getLogger(InMemoryServer.class));
    System.exit(failure.status());
  }

  /**
   * The mode named by the command line: none without arguments, else its one argument, which
   * must be {@code dev} or {@code prod}.
   *
   * @throws IllegalArgumentException for anything else
   */
  static Optional<Mode> modeArgument(String... args) {
    if (args.length == 0) {
      return Optional.empty();
    }
    if (args.length == 1) {
      for (Mode mode : Mode.values()) {
        if (mode.name().toLowerCase(Locale.ROOT).equals(args[0])) {
          return Optional.of(mode);
        }
      }
    }
    throw new IllegalArgumentException("Unexpected arguments: " + String.join(" ", args));
  }

  /**
   * Configures and starts a server. Anything not set comes from the configuration (by default
   * {@link InMemoryConfig#load()}). Not thread-safe.
   */
  public static final class Builder {
    private InMemoryConfig config;
    private Memory memory;
    private Integer port;
    private String host;
    private String adminKey;
    private Clock clock = Clock.systemUTC();
    private Duration usageFlushInterval = USAGE_FLUSH_INTERVAL;

    private Builder() {}

    /** The configuration for everything not set explicitly. */
    public Builder config(InMemoryConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /**
     * The engine to serve instead of one opened from the configuration; it stays the caller's to
     * close, after the server.
     */
    public Builder memory(Memory memory) {
      this.memory = Objects.requireNonNull(memory, "memory");
      return this;
    }

    /** The port, 0 for a free one. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0 to 65535, was " + port);
      }
      this.port = port;
      return this;
    }

    /** The interface to bind. */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** The bootstrap admin key, instead of {@link #ADMIN_KEY}. */
    public Builder adminKey(String adminKey) {
      if (adminKey.length() < ServerSettings.MIN_ADMIN_KEY_LENGTH) {
        throw new IllegalArgumentException("the admin key must be at least "
            + ServerSettings.MIN_ADMIN_KEY_LENGTH + " characters");
      }
      this.adminKey = adminKey;
      return this;
    }

    /** The clock of key creation, expiry and usage times. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** How often key usage counts are written to the store (default 10 s). */
    public Builder usageFlushInterval(Duration interval) {
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("the usage flush interval must be positive");
      }
      this.usageFlushInterval = interval;
      return this;
    }

    /**
     * Starts the server.
     *
     * @throws ConfigurationException listing every invalid setting
     * @throws IllegalStateException when the port cannot be bound
     */
    public InMemoryServer start() {
      if (config == null) {
        config = InMemoryConfig.load();
      }
      return new InMemoryServer(this);
    }
  }
}
