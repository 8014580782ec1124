package io.inmemory.transport.http;

import io.inmemory.ConfigKey;
import io.inmemory.ConfigurationException;
import io.inmemory.InMemoryConfig;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Builds an {@link Inmry} or an {@link AsyncInmry}. Values set here win; unset ones come from the
 * {@linkplain #config(InMemoryConfig) configuration} (by default {@link InMemoryConfig#load()}):
 * {@code inmemory.api-key} (or {@code INMEM_API_KEY}), {@code inmemory.base-url},
 * {@code inmemory.http.connect-timeout}, {@code inmemory.http.request-timeout},
 * {@code inmemory.http.max-retries}. Not thread-safe; each {@code build} makes an independent
 * client. Arguments are never null ({@link NullPointerException}); an out-of-range value is an
 * {@link IllegalArgumentException} at once, an invalid configured one a
 * {@link ConfigurationException} at {@code build}.
 */
public final class InmryBuilder {
  private static final Duration DEFAULT_BACKOFF = Duration.ofMillis(200);
  /** Every key a client reads, for {@link InMemoryConfig#validate}: built once, not per build. */
  private static final List<ConfigKey<?>> KEYS = allKeys();

  private InMemoryConfig config;
  private URI baseUrl;
  private String apiKey;
  private Duration connectTimeout;
  private Duration requestTimeout;
  private Integer maxRetries;
  private Duration retryBackoff = DEFAULT_BACKOFF;
  private boolean idempotencyKeys = true;
  private Function<Duration, Executor> delays =
      delay -> CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS);

  InmryBuilder() {}

  /** The configuration unset values are read from, instead of {@link InMemoryConfig#load()}. */
  public InmryBuilder config(InMemoryConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    return this;
  }

  /** The server, such as {@code http://localhost:8080}; a path prefix is kept. */
  public InmryBuilder baseUrl(String baseUrl) {
    try {
      this.baseUrl = ManagedMemoryClientProvider.parseBaseUrl(
          Objects.requireNonNull(baseUrl, "baseUrl"));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("baseUrl (from the builder): " + e.getMessage());
    }
    return this;
  }

  /** The API key ({@code im_…}) sent as a bearer token. */
  public InmryBuilder apiKey(String apiKey) {
    this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
    return this;
  }

  /** How long establishing a connection may take. */
  public InmryBuilder connectTimeout(Duration timeout) {
    this.connectTimeout = positive(timeout, "connectTimeout");
    return this;
  }

  /** How long each HTTP exchange may take. */
  public InmryBuilder requestTimeout(Duration timeout) {
    this.requestTimeout = positive(timeout, "requestTimeout");
    return this;
  }

  /** How many times a call is retried when that is safe; 0 disables retries. */
  public InmryBuilder maxRetries(int maxRetries) {
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
  public InmryBuilder retryBackoff(Duration backoff) {
    this.retryBackoff = positive(backoff, "retryBackoff");
    return this;
  }

  /**
   * Whether each {@code add}/{@code addAll} sends an {@code Idempotency-Key} (default true), which
   * makes it safe to retry. Turn it off only for a server that does not honour the header: adds
   * are then never retried, since a retry could store a memory twice.
   */
  public InmryBuilder idempotencyKeys(boolean send) {
    this.idempotencyKeys = send;
    return this;
  }

  /** Test hook: how a retry waits out its delay. */
  InmryBuilder delays(Function<Duration, Executor> delays) {
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
    URI url = baseUrl != null ? baseUrl : source.get(ManagedMemoryClientProvider.BASE_URL);
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
        connectTimeout != null ? connectTimeout
            : source.get(ManagedMemoryClientProvider.CONNECT_TIMEOUT),
        requestTimeout != null ? requestTimeout
            : source.get(ManagedMemoryClientProvider.REQUEST_TIMEOUT),
        maxRetries != null ? maxRetries : source.get(ManagedMemoryClientProvider.MAX_RETRIES),
        retryBackoff, idempotencyKeys, delays);
  }

  private static List<ConfigKey<?>> allKeys() {
    List<ConfigKey<?>> keys = new ArrayList<>(InMemoryConfig.keys());
    keys.addAll(ManagedMemoryClientProvider.CONFIG_KEYS);
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
