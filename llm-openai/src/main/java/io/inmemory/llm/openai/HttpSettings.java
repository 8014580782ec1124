package io.inmemory.llm.openai;

import io.inmemory.ConfigKey;
import io.inmemory.ConfigurationException;
import io.inmemory.InMemoryConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * How {@link OpenAiHttp} reaches one endpoint: where, with which key, and how long it waits and
 * retries. Immutable; {@link #toString()} never shows the key.
 *
 * @param baseUrl the endpoint's base, such as {@code https://api.openai.com/v1}, without a
 *     trailing slash
 * @param apiKey the Bearer token, or {@code null} for an endpoint without authentication
 * @param connectTimeout the TCP and TLS connect timeout
 * @param requestTimeout the longest one HTTP exchange may take
 * @param deadline the longest one call may take, all attempts and waits included
 * @param maxRetries how many times a failed exchange is retried
 * @param maxRetryAfter the longest {@code Retry-After} waited for; a longer one fails at once
 */
record HttpSettings(URI baseUrl, @Nullable String apiKey, Duration connectTimeout,
    Duration requestTimeout, Duration deadline, int maxRetries, Duration maxRetryAfter) {

  /** The host whose endpoint always needs a key. */
  private static final String OPENAI_HOST = "api.openai.com";

  HttpSettings {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(deadline, "deadline");
    Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries is not negative: " + maxRetries);
    }
  }

  /** Whether the endpoint is OpenAI's own, which refuses every request without a key. */
  boolean needsKey() {
    return OPENAI_HOST.equals(baseUrl.getHost().toLowerCase(Locale.ROOT));
  }

  @Override
  public String toString() {
    return "HttpSettings[baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null ? "none" : "***")
        + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout
        + ", deadline=" + deadline + ", maxRetries=" + maxRetries + ", maxRetryAfter="
        + maxRetryAfter + "]";
  }

  /** A base URL key's parser: an absolute http or https URL, trailing slashes removed. */
  static URI url(String value) {
    String trimmed = value.trim().replaceAll("/+$", "");
    URI uri;
    try {
      uri = URI.create(trimmed);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + value + "' is not a URL such as"
          + " http://localhost:11434/v1");
    }
    if (uri.getRawUserInfo() != null) {
      // Java's HTTP client never sends them; the message shows them masked, as every
      // ConfigurationException does
      throw new IllegalArgumentException("'" + value + "' holds credentials before '@', which"
          + " are not sent: give the key as the endpoint's api-key setting and the URL without"
          + " them");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw new IllegalArgumentException("'" + value + "' is not an http or https URL such as"
          + " http://localhost:11434/v1");
    }
    return uri;
  }

  /**
   * The keys of the waits and retries of one endpoint, named under a prefix such as
   * {@code inmemory.llm.}; the settings records expose them as their own constants.
   */
  record Keys(ConfigKey<Integer> connectTimeout, ConfigKey<Integer> requestTimeout,
      ConfigKey<Integer> deadline, ConfigKey<Integer> maxRetries,
      ConfigKey<Integer> maxRetryAfter) {

    static Keys under(String prefix, String what) {
      return new Keys(
          ConfigKey.integer(prefix + "connect-timeout-ms", 5_000, 1, 600_000,
              "Milliseconds to connect (TCP and TLS) to the " + what + " endpoint."),
          ConfigKey.integer(prefix + "request-timeout-ms", 60_000, 1, 3_600_000,
              "Milliseconds one HTTP exchange with the " + what + " endpoint may take."),
          ConfigKey.integer(prefix + "deadline-ms", 180_000, 1, 3_600_000,
              "Milliseconds one " + what + " call may take, every attempt and wait included."),
          ConfigKey.integer(prefix + "max-retries", 3, 0, 20,
              "Retries of an exchange that failed with 429, 500, 502, 503, 504, a connect"
                  + " failure or a timeout."),
          ConfigKey.integer(prefix + "max-retry-after-ms", 60_000, 0, 3_600_000,
              "The longest Retry-After waited for, in milliseconds; a longer one fails at once."));
    }

    List<ConfigKey<?>> list() {
      return List.of(connectTimeout, requestTimeout, deadline, maxRetries, maxRetryAfter);
    }

    /**
     * The settings of one endpoint.
     *
     * @throws ConfigurationException when a value is invalid, or OpenAI's endpoint has no key
     */
    HttpSettings read(InMemoryConfig config, ConfigKey<URI> baseUrlKey, URI baseUrl,
        ConfigKey<String> apiKeyKey, @Nullable String apiKey) {
      config.validate(list());
      HttpSettings settings = new HttpSettings(baseUrl, apiKey,
          millis(config, connectTimeout), millis(config, requestTimeout), millis(config, deadline),
          config.get(maxRetries), millis(config, maxRetryAfter));
      if (settings.apiKey() == null && settings.needsKey()) {
        throw new ConfigurationException(apiKeyKey.name() + " is not set, but " + baseUrl
            + " (" + baseUrlKey.name() + ", from " + config.sourceOf(baseUrlKey) + ") needs an"
            + " API key: set " + apiKeyKey.name() + " (or the environment variable "
            + String.join(" or ", envNames(apiKeyKey)) + "), or point " + baseUrlKey.name()
            + " at your own endpoint, such as http://localhost:11434/v1 for Ollama.");
      }
      return settings;
    }

    private static List<String> envNames(ConfigKey<String> key) {
      return Stream.concat(Stream.of(key.envName()),
          key.aliases().stream()).toList();
    }

    private static Duration millis(InMemoryConfig config, ConfigKey<Integer> key) {
      return Duration.ofMillis(config.get(key));
    }
  }
}
