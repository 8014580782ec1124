package io.inmemory.server;

import io.inmemory.ConfigurationException;
import io.inmemory.InMemoryConfig;
import io.inmemory.MemoryClients;
import io.inmemory.ProviderSelection;
import io.inmemory.engine.Memory;
import io.inmemory.engine.spi.EngineMetrics;
import io.inmemory.engine.spi.EventSettings;
import io.inmemory.engine.spi.StoreProvider;
import io.inmemory.server.ServerSettings.Mode;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
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
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * The InMemory REST server: the engine behind an HTTP API with projects, API keys, rate limits
 * and OpenAPI documentation (Jetty). Run it with {@code java -jar inmemory-server.jar [dev|prod]},
 * configured by the environment (the keys of {@link ServerSettings}, plus the engine's keys such as
 * {@code INMEMORY_STORAGE_TYPE} and {@code INMEMORY_MAX_MEMORY_SIZE}); or embed it with
 * {@link #builder()}, for example on port 0 in tests.
 *
 * <p><b>Modes.</b> {@code dev} (default) binds the loopback interface only, serves the docs and
 * prints a freshly generated admin key once when none is configured. {@code prod} requires
 * {@link ServerSettings#ADMIN_KEY} and binds {@link ServerSettings#HOST}.
 *
 * <p><b>Data.</b> In both modes, unless a store is configured, the server keeps its data in the
 * file store under {@code ./inmemory-data} of the working directory ({@code
 * inmemory.store.file.dir} moves it); without the file store on the classpath the engine's own
 * choice applies.
 *
 * <p><b>Lifecycle.</b> {@link #close()} stops accepting connections, lets requests in flight
 * finish (up to {@link ServerSettings#SHUTDOWN_TIMEOUT_SECONDS}), writes the pending key usage counts and closes
 * the engine it opened (an engine given to the builder stays the caller's to close). Thread-safe.
 */
public final class InMemoryServer implements AutoCloseable {

  private static final String FILE_STORE = "file";
  private static final String FILE_STORE_DIR = "inmemory.store.file.dir";
  private static final String DEFAULT_STORE_DIR = "inmemory-data";
  /** Read by the logback configurations of the runnable jar. */
  private static final String LOG_LEVEL_PROPERTY = "inmemory.server.log-level";
  private static final String LOGBACK_CONFIGURATION = "logback.configurationFile";
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
  private final Idempotency idempotency;
  private final Memory ownedMemory;
  private final @Nullable ServerMetrics metrics;
  private final @Nullable ServerWebhooks webhooks;
  private final List<Route> routes;
  private final AtomicBoolean closed = new AtomicBoolean();

  private InMemoryServer(Builder builder) {
    ServerSettings settings = ServerSettings.from(builder.config, builder.adminKey);
    WebhookSettings webhookSettings = WebhookSettings.from(builder.config);
    Docs docs = settings.docs() ? new Docs() : null;
    String configuredAdminKey = settings.adminKey();
    String adminKey = configuredAdminKey != null
        ? configuredAdminKey : settings.keyPrefix() + RandomIds.base62(new SecureRandom(), 43);
    this.metrics = settings.metrics() ? new ServerMetrics() : null;
    try {
      this.ownedMemory = builder.memory == null ? openEngine(builder.config,
          metrics != null ? metrics.engine() : EngineMetrics.NONE, webhookSettings.enabled())
          : null;
    } catch (RuntimeException e) {
      closeMetrics();
      throw e;
    }
    Memory memory = builder.memory != null ? builder.memory : ownedMemory;
    if (metrics != null) {
      metrics.bind(memory);
    }
    // this process's name in the idempotency records it claims in a shared store
    String owner = RandomIds.base62(new SecureRandom(), 16);
    try {
      this.keys = new ApiKeys(memory.access(), settings.keyPrefix(), adminKey,
          builder.clock, settings.keyCacheTtl(), builder.usageFlushInterval != null
              ? builder.usageFlushInterval : settings.keyUsageFlushInterval(),
          settings.keyRevocationPoll());
    } catch (RuntimeException e) {
      closeMetrics();
      closeOwned();
      throw e;
    }
    SharedState shared = SharedState.of(memory.access(), settings);
    this.idempotency = new Idempotency(shared.idempotency(), owner, settings.idempotencyTtl(),
        settings.idempotencyLease(), settings.idempotencyCacheSize(), builder.clock);
    this.webhooks = ServerWebhooks.start(memory.access(), webhookSettings, builder.clock, owner,
        metrics).orElse(null);
    Admission admission = Admission.of(settings);
    Api api = new Api(memory, keys, docs, settings.dashboard() ? new Dashboard() : null,
        admission, metrics, webhooks, builder.clock);
    this.routes = api.routes();
    ApiHandler handler = new ApiHandler(new Router(routes), keys,
        new RateLimiter(settings.rateLimitPerMinute()), new Cors(settings.corsOrigins()),
        new BodyLimits(admission.maxBodySize(), settings.minRequestDataRate(),
            BodyLimits.GRACE, settings.maxDiscardSize()),
        idempotency, admission, metrics != null ? metrics : RequestTimer.NONE);
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
    if (metrics != null) {
      metrics.bind(jetty);
    }
    try {
      jetty.start();
    } catch (Exception e) {
      closeWebhooks();
      closeMetrics();
      idempotency.close();
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
        "InMemory server {} listening on http://{}:{} ({} mode, docs {}, dashboard {})",
        MemoryClients.version(), connector.getHost(), port(),
        settings.mode().name().toLowerCase(Locale.ROOT), settings.docs() ? "on" : "off",
        settings.dashboard() ? "on" : "off");
    LoggerFactory.getLogger(InMemoryServer.class).info("Shared state: {} (process id {})",
        shared.description(), owner);
  }

  /**
   * Opens the engine of {@code config}. With no store configured, the server — an application
   * that bundles several stores, where the library would refuse to pick one — keeps its data in
   * the file store (when on the classpath) under {@code ./inmemory-data} of the working directory,
   * in both modes. That default lies beneath every source, so a configured store or directory
   * still wins and the caller's isolation still holds. The engine reports to {@code metrics}.
   * With {@code recordEvents} (webhooks on) the store marks each memory change as a pending event
   * in the same write, unless {@link EventSettings#RECORD} is set otherwise.
   */
  private static Memory openEngine(InMemoryConfig config, EngineMetrics metrics,
      boolean recordEvents) {
    Map<String, String> fallbacks = new HashMap<>();
    if (recordEvents) {
      fallbacks.put(EventSettings.RECORD.name(), "true");
    }
    if (config.find(InMemoryConfig.STORE).isEmpty() && fileStoreAvailable()) {
      fallbacks.put(InMemoryConfig.STORE.name(), FILE_STORE);
      fallbacks.put(FILE_STORE_DIR, Path.of(DEFAULT_STORE_DIR).toAbsolutePath().toString());
    }
    return Memory.builder().config(config.withFallbacks(fallbacks)).metrics(metrics).build();
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

  /** The routes this server answers. */
  List<Route> routes() {
    return routes;
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
        closeWebhooks();
        closeMetrics();
        idempotency.close();
        keys.close();
      } finally {
        closeOwned();
      }
    }
  }

  /** Stops the webhook dispatcher, after the requests (whose writes it delivers) are done. */
  private void closeWebhooks() {
    if (webhooks != null) {
      webhooks.close();
    }
  }

  private void closeMetrics() {
    if (metrics != null) {
      metrics.close();
    }
  }

  private void closeOwned() {
    if (ownedMemory != null) {
      ownedMemory.close();
    }
  }

  /**
   * Runs the server configured by the environment until the JVM stops. One optional argument,
   * {@code dev} or {@code prod}, sets the mode over {@link ServerSettings#MODE}; anything else (or an invalid
   * mode) prints the usage on standard error and exits with status 2. Logs with logback, set up by
   * mode before anything logs: plain lines in dev, JSON lines in prod, at
   * {@link ServerSettings#LOG_LEVEL}; a
   * {@code logback.configurationFile} system property wins. A start-up that fails is logged as
   * one line saying what failed and what to do, and exits with status 2 for an invalid
   * configuration, 1 otherwise (see {@link StartupFailure}).
   */
  public static void main(String[] args) {
    run(InMemoryConfig.builder(), args);
  }

  /**
   * Starts the server as {@link #main} does, configured by {@code sources} (the {@code dev|prod}
   * argument set over them), and returns once it listens; a shutdown hook closes it when the JVM
   * stops. Exits the JVM as {@link #main} does when the arguments or the configuration are invalid
   * or the start fails: meant for a process that is the server, such as {@code inmemory serve}.
   */
  public static void run(InMemoryConfig.Builder sources, String... args) {
    InMemoryConfig config;
    Mode mode;
    try {
      modeArgument(args).ifPresent(
          argument -> sources.set(ServerSettings.MODE.name(), argument.name()));
      config = sources.build();
      mode = config.get(ServerSettings.MODE);
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
  private static void configureLogging(Mode mode, @Nullable String level) {
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
    private Duration usageFlushInterval;

    private Builder() {}

    /** The configuration for everything not set explicitly. */
    public Builder config(InMemoryConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /**
     * The engine to serve instead of one opened from the configuration; it stays the caller's to
     * close, after the server. For webhooks to get its memory events, its store must have been
     * opened with {@code inmemory.events.record=true} (the server sets it on the engines it
     * opens).
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

    /** The bootstrap admin key, instead of {@link ServerSettings#ADMIN_KEY}. */
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

    /**
     * How often key usage counts are written to the store, instead of
     * {@link ServerSettings#KEY_USAGE_FLUSH_SECONDS}.
     */
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
