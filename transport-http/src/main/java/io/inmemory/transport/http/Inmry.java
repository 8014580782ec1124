package io.inmemory.transport.http;

import io.inmemory.AddRequest;
import io.inmemory.AddResult;
import io.inmemory.ArchivedMemory;
import io.inmemory.BatchDelete;
import io.inmemory.BatchItemResult;
import io.inmemory.BatchUpdate;
import io.inmemory.ConfigKey;
import io.inmemory.ConfigurationException;
import io.inmemory.ConversationRequest;
import io.inmemory.ConversationResult;
import io.inmemory.ExportRequest;
import io.inmemory.Health;
import io.inmemory.HistoryEntry;
import io.inmemory.InMemoryConfig;
import io.inmemory.ListRequest;
import io.inmemory.MemoryArchive;
import io.inmemory.MemoryClient;
import io.inmemory.MemoryRecord;
import io.inmemory.Page;
import io.inmemory.RestoreResult;
import io.inmemory.Scope;
import io.inmemory.SearchRequest;
import io.inmemory.SearchResult;
import io.inmemory.TransportException;
import io.inmemory.UpdateRequest;
import io.inmemory.UserStats;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The client of an InMemory server: every {@link MemoryClient} operation as an HTTP call, with the
 * same exceptions the local engine throws for the same mistakes. Calls that are safe to repeat
 * (reads, updates, deletes, and adds carrying their {@code Idempotency-Key}) are retried with
 * exponential backoff after a connection failure, 429 (after its {@code Retry-After}), 502, 503
 * or 504 — never after a 502 {@code extraction-failed}, which throws the server's
 * {@link io.inmemory.ExtractionException}. Conversation adds wait up to
 * {@link #CONVERSATION_TIMEOUT_MS} instead of the request timeout.
 *
 * <pre>{@code
 * try (Inmry memory = Inmry.builder().baseUrl("http://localhost:8080").apiKey(key).build()) {
 *   memory.add("I love pizza", "alice");
 * }
 * }</pre>
 *
 * <p>Nothing is stored on this side: durability is the server's store's.
 *
 * <p>Built by {@link #builder()}; unset values come from {@link InMemoryConfig#API_KEY} and the
 * keys below.
 *
 * <p>Thread-safe; share one instance (it keeps connections alive). Built on {@link AsyncInmry}:
 * a call blocks only its caller's thread. Interrupting a waiting caller abandons the call with a
 * {@link TransportException} and keeps the interrupt flag set.
 */
public final class Inmry implements MemoryClient, MemoryArchive {

  /** The server's base URL; a path prefix (a reverse proxy's mount point) is kept. */
  public static final ConfigKey<URI> BASE_URL = ConfigKey.of("inmemory.base-url",
      URI.create("http://localhost:8080"), Settings::parseBaseUrl,
      "The InMemory server a managed client talks to, for example https://memory.example.com.");

  /** How long establishing a connection may take. */
  public static final ConfigKey<Duration> CONNECT_TIMEOUT = duration(
      "inmemory.http.connect-timeout", Duration.ofSeconds(10),
      "How long a managed client waits for a connection to the server (500ms, 10s, PT10S).");

  /** How long one HTTP exchange may take, from sending to the whole answer. */
  public static final ConfigKey<Duration> REQUEST_TIMEOUT = duration(
      "inmemory.http.request-timeout", Duration.ofSeconds(30),
      "How long a managed client waits for each answer of the server (500ms, 30s, PT30S).");

  /** How many times a failed call is retried when retrying it is safe. */
  public static final ConfigKey<Integer> MAX_RETRIES = ConfigKey.integer(
      "inmemory.http.max-retries", 3, 0, 10,
      "How many times a managed client retries a call after a connection failure, 429, 502, 503"
          + " or 504, when the call is idempotent or carries an idempotency key (0 to 10).");

  /**
   * How long a conversation add may take, instead of {@link #REQUEST_TIMEOUT}: the server may call
   * an extraction model, within its own deadline, which this stays above.
   */
  public static final ConfigKey<Integer> CONVERSATION_TIMEOUT_MS = ConfigKey.integer(
      "inmemory.conversation-timeout-ms", 200_000, 1, Integer.MAX_VALUE,
      "How long a managed client waits for the answer to a conversation add, which may call the"
          + " server's extraction model (default 200000 ms; other calls use"
          + " inmemory.http.request-timeout).");

  static final List<ConfigKey<?>> CONFIG_KEYS =
      List.of(BASE_URL, CONNECT_TIMEOUT, REQUEST_TIMEOUT, CONVERSATION_TIMEOUT_MS, MAX_RETRIES);

  private final AsyncInmry async;

  Inmry(AsyncInmry async) {
    this.async = async;
  }

  /** A builder for {@link Inmry} ({@link Builder#build()}) or {@link AsyncInmry}. */
  public static Builder builder() {
    return new Builder();
  }

  /** The asynchronous view of this client, sharing its connections; closing either closes both. */
  public AsyncInmry async() {
    return async;
  }

  @Override
  public AddResult add(AddRequest request) {
    return await(async.add(request));
  }

  @Override
  public List<AddResult> addAll(List<AddRequest> requests) {
    return await(async.addAll(requests));
  }

  @Override
  public SearchResult search(SearchRequest request) {
    return await(async.search(request));
  }

  @Override
  public Page<MemoryRecord> getAll(String userId, int limit, int offset) {
    return await(async.getAll(userId, limit, offset));
  }

  @Override
  public UserStats getUserStats(String userId) {
    return await(async.getUserStats(userId));
  }

  /**
   * {@inheritDoc} Waits up to {@link #CONVERSATION_TIMEOUT_MS}; a failed extraction throws the
   * server's {@link io.inmemory.ExtractionException} and is not retried.
   */
  @Override
  public ConversationResult add(ConversationRequest request) {
    return await(async.add(request));
  }

  @Override
  public Page<MemoryRecord> list(ListRequest request) {
    return await(async.list(request));
  }

  @Override
  public Optional<MemoryRecord> get(String memoryId, Scope scope) {
    return await(async.get(memoryId, scope));
  }

  @Override
  public MemoryRecord update(String memoryId, Scope scope, UpdateRequest request) {
    return await(async.update(memoryId, scope, request));
  }

  @Override
  public boolean delete(String memoryId, Scope scope) {
    return await(async.delete(memoryId, scope));
  }

  @Override
  public long deleteAll(Scope scope) {
    return await(async.deleteAll(scope));
  }

  @Override
  public List<HistoryEntry> history(String memoryId, Scope scope) {
    return await(async.history(memoryId, scope));
  }

  @Override
  public UserStats stats(Scope scope) {
    return await(async.stats(scope));
  }

  @Override
  public Health healthCheck() {
    return await(async.healthCheck());
  }

  @Override
  public List<BatchItemResult> updateMany(List<BatchUpdate> updates) {
    return await(async.updateMany(updates));
  }

  @Override
  public List<BatchItemResult> deleteMany(List<BatchDelete> deletes) {
    return await(async.deleteMany(deletes));
  }

  /**
   * {@inheritDoc}
   *
   * <p>{@code GET /v1/export}, read line by line as the server streams it, on the calling thread;
   * not retried (a stream read part way cannot be). An answer that ends before its end line, or
   * whose counts differ from the lines read, is a {@link TransportException}: the sink has then
   * seen a part.
   */
  @Override
  public void export(ExportRequest request, Consumer<ArchivedMemory> sink) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(sink, "sink");
    Archives.export(async.core(), request, sink);
  }

  /**
   * {@inheritDoc}
   *
   * <p>One {@code POST /v1/import} of the memories as JSON Lines, with an idempotency key, so
   * that a retry after a lost answer gets the first answer.
   */
  @Override
  public List<RestoreResult> restore(List<ArchivedMemory> memories) {
    return await(Archives.restore(async.core(), memories));
  }

  /**
   * Calls a route of the server that this client does not wrap — the operators' routes for keys
   * and webhooks ({@code /v1/auth/…}, {@code /v1/webhooks…}) — with this client's key, timeouts,
   * retries and errors: GET, PUT and DELETE are retried as every idempotent call is, POST is not;
   * a refusal is the API's exception for its problem, as for every call. For tools such as the
   * command line; applications use the {@link MemoryClient} methods. Thread-safe.
   *
   * @param method the HTTP method
   * @param pathAndQuery the route's path below the base URL with its query, such as
   *     {@code /v1/webhooks?project_id=p1}; values in the query must be URL-encoded
   * @param body the JSON body's members, or {@code null} for none
   * @return the answer's JSON object as maps, lists, strings, numbers and booleans
   * @throws TransportException when the answer is not a JSON object
   */
  public Map<String, Object> route(String method, String pathAndQuery,
      @Nullable Map<String, ?> body) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(pathAndQuery, "pathAndQuery");
    boolean idempotent = method.equals("GET") || method.equals("PUT") || method.equals("DELETE");
    Call call = new Call(method, pathAndQuery, body, idempotent, null, false, null);
    return HttpCore.document(await(async.core().send(call)), call);
  }

  /** Refuses new calls; calls in flight on other threads complete first. Idempotent. */
  @Override
  public void close() {
    async.close();
  }

  /** The base URL and timeouts; never the API key. */
  @Override
  public String toString() {
    return "Inmry[" + async.core().settings() + "]";
  }

  private static <T> T await(CompletableFuture<T> call) {
    try {
      return call.get();
    } catch (InterruptedException e) {
      call.cancel(true);
      Thread.currentThread().interrupt();
      throw new TransportException("interrupted while waiting for the InMemory server", e);
    } catch (ExecutionException e) {
      Throwable cause = HttpCore.unwrap(e.getCause());
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new TransportException("unexpected failure", cause);
    }
  }

  private static ConfigKey<Duration> duration(String name, Duration defaultValue,
      String description) {
    return ConfigKey.duration(name, defaultValue, Duration.ofMillis(1), Duration.ofDays(1),
        description);
  }

  /**
   * Builds an {@link Inmry} or an {@link AsyncInmry}. Values set here win; unset ones come from
   * the {@linkplain #config(InMemoryConfig) configuration} (by default
   * {@link InMemoryConfig#load()}): {@code inmemory.api-key} (or {@code INMEM_API_KEY}),
   * {@code inmemory.base-url}, {@code inmemory.http.connect-timeout},
   * {@code inmemory.http.request-timeout}, {@code inmemory.conversation-timeout-ms},
   * {@code inmemory.http.max-retries}. Not thread-safe;
   * each {@code build} makes an independent client. A null argument is a
   * {@link NullPointerException}, an out-of-range value is an {@link IllegalArgumentException}
   * at once, an invalid configured one a {@link ConfigurationException} at {@code build}.
   */
  public static final class Builder {
    private static final Duration DEFAULT_BACKOFF = Duration.ofMillis(200);
    /** Every key a client reads, for {@link InMemoryConfig#validate}: built once, not per build. */
    private static final List<ConfigKey<?>> KEYS = allKeys();

    private @Nullable InMemoryConfig config;
    private @Nullable URI baseUrl;
    private @Nullable String apiKey;
    private @Nullable Duration connectTimeout;
    private @Nullable Duration requestTimeout;
    private @Nullable Duration conversationTimeout;
    private @Nullable Integer maxRetries;
    private Duration retryBackoff = DEFAULT_BACKOFF;
    private boolean idempotencyKeys = true;
    private Function<Duration, Executor> delays =
        delay -> CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS);

    private Builder() {}

    /** The configuration unset values are read from, instead of {@link InMemoryConfig#load()}. */
    public Builder config(InMemoryConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /** The server, such as {@code http://localhost:8080}; a path prefix is kept. */
    public Builder baseUrl(String baseUrl) {
      try {
        this.baseUrl = Settings.parseBaseUrl(Objects.requireNonNull(baseUrl, "baseUrl"));
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException("baseUrl (from the builder): " + e.getMessage());
      }
      return this;
    }

    /** The API key ({@code im_…}) sent as a bearer token. */
    public Builder apiKey(String apiKey) {
      this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
      return this;
    }

    /** How long establishing a connection may take. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    /** How long each HTTP exchange may take. */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive(timeout, "requestTimeout");
      return this;
    }

    /** How long a conversation add may take (its server may call an extraction model). */
    public Builder conversationTimeout(Duration timeout) {
      this.conversationTimeout = positive(timeout, "conversationTimeout");
      return this;
    }

    /** How many times a call is retried when that is safe; 0 disables retries. */
    public Builder maxRetries(int maxRetries) {
      if (maxRetries < 0 || maxRetries > 10) {
        throw new IllegalArgumentException("maxRetries must be between 0 and 10: " + maxRetries);
      }
      this.maxRetries = maxRetries;
      return this;
    }

    /**
     * The first retry's delay (default 200 ms); each further retry doubles it, up to 32 times it,
     * and a random jitter takes up to half of it off so that clients do not retry in lockstep.
     */
    public Builder retryBackoff(Duration backoff) {
      this.retryBackoff = positive(backoff, "retryBackoff");
      return this;
    }

    /**
     * Whether each {@code add}/{@code addAll} sends an {@code Idempotency-Key} (default true), which
     * makes it safe to retry. Turn it off only for a server that does not honour the header: adds
     * are then never retried, since a retry could store a memory twice.
     */
    public Builder idempotencyKeys(boolean send) {
      this.idempotencyKeys = send;
      return this;
    }

    /** Test hook: how a retry waits out its delay. */
    Builder delays(Function<Duration, Executor> delays) {
      this.delays = Objects.requireNonNull(delays, "delays");
      return this;
    }

    /**
     * A blocking client.
     *
     * @throws ConfigurationException when no API key is given or a configured value is invalid
     */
    public Inmry build() {
      return new Inmry(buildAsync());
    }

    /**
     * An asynchronous client.
     *
     * @throws ConfigurationException when no API key is given or a configured value is invalid
     */
    public AsyncInmry buildAsync() {
      return new AsyncInmry(new HttpCore(settings()));
    }

    Settings settings() {
      InMemoryConfig source = config == null ? InMemoryConfig.load() : config;
      source.validate(KEYS);
      URI url = baseUrl != null ? baseUrl : source.get(BASE_URL);
      String key = apiKey != null ? apiKey : source.find(InMemoryConfig.API_KEY).orElse("");
      if (key.isBlank()) {
        throw new ConfigurationException("No API key for the InMemory server at " + url + ": set "
            + InMemoryConfig.API_KEY.name() + " (system property, environment variable "
            + String.join(" or ", InMemoryConfig.API_KEY.aliases()) + " or "
            + InMemoryConfig.API_KEY.envName() + ", or inmemory.properties), or pass it to"
            + " Inmry.builder().apiKey(...).");
      }
      if (!key.strip().chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
        throw new ConfigurationException("The API key (from " + (apiKey != null ? "the builder"
            : source.sourceOf(InMemoryConfig.API_KEY)) + ") contains spaces or characters that"
            + " cannot be sent in an HTTP header.");
      }
      return new Settings(url, key.strip(),
          connectTimeout != null ? connectTimeout : source.get(CONNECT_TIMEOUT),
          requestTimeout != null ? requestTimeout : source.get(REQUEST_TIMEOUT),
          conversationTimeout != null ? conversationTimeout
              : Duration.ofMillis(source.get(CONVERSATION_TIMEOUT_MS)),
          maxRetries != null ? maxRetries : source.get(MAX_RETRIES),
          retryBackoff, idempotencyKeys, delays);
    }

    private static List<ConfigKey<?>> allKeys() {
      List<ConfigKey<?>> keys = new ArrayList<>(InMemoryConfig.keys());
      keys.addAll(CONFIG_KEYS);
      return List.copyOf(keys);
    }

    private static Duration positive(Duration duration, String name) {
      Objects.requireNonNull(duration, name);
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException(name + " must be positive: " + duration);
      }
      return duration;
    }
  }
}
