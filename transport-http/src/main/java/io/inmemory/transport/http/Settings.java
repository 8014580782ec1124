package io.inmemory.transport.http;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * A client's resolved settings.
 *
 * @param delays the executor that runs a retry after the given delay; tests record the delays
 *     instead of waiting them out
 */
record Settings(URI baseUrl, String apiKey, Duration connectTimeout, Duration requestTimeout,
    int maxRetries, Duration retryBackoff, boolean idempotencyKeys,
    Function<Duration, Executor> delays) {

  Settings {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(apiKey, "apiKey");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(retryBackoff, "retryBackoff");
    Objects.requireNonNull(delays, "delays");
  }

  /** Never prints the API key. */
  @Override
  public String toString() {
    return "Settings[baseUrl=" + baseUrl + ", connectTimeout=" + connectTimeout
        + ", requestTimeout=" + requestTimeout + ", maxRetries=" + maxRetries + "]";
  }
}
