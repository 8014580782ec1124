package io.inmemory.transport.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * A client's resolved settings, and the parsers of the configured values that need one.
 *
 * @param conversationTimeout how long a conversation add may take (its server may call an
 *     extraction model), instead of {@code requestTimeout}
 * @param delays the executor that runs a retry after the given delay; tests record the delays
 *     instead of waiting them out
 */
record Settings(URI baseUrl, String apiKey, Duration connectTimeout, Duration requestTimeout,
    Duration conversationTimeout, int maxRetries, Duration retryBackoff, boolean idempotencyKeys,
    Function<Duration, Executor> delays) {

  Settings {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(apiKey, "apiKey");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(conversationTimeout, "conversationTimeout");
    Objects.requireNonNull(retryBackoff, "retryBackoff");
    Objects.requireNonNull(delays, "delays");
  }

  /** Never prints the API key. */
  @Override
  public String toString() {
    return "Settings[baseUrl=" + baseUrl + ", connectTimeout=" + connectTimeout
        + ", requestTimeout=" + requestTimeout + ", conversationTimeout=" + conversationTimeout
        + ", maxRetries=" + maxRetries + "]";
  }

  /**
   * An http or https URL with a host and no query, user info or trailing slash.
   *
   * @throws IllegalArgumentException naming the value and an example of a valid one
   */
  static URI parseBaseUrl(String value) {
    URI uri;
    try {
      uri = new URI(value.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("'" + value + "' is not a URL such as"
          + " http://localhost:8080");
    }
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException("'" + value + "' holds credentials before '@', which"
          + " are not sent: give the API key as inmemory.api-key and the URL without them");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null
        || uri.getQuery() != null || uri.getFragment() != null) {
      throw new IllegalArgumentException("'" + value + "' is not an http or https URL with a host"
          + " and no query, such as http://localhost:8080");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
    return URI.create(scheme + "://" + uri.getRawAuthority() + path);
  }
}
