package io.inmemory.server;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cross-origin access for browsers, from the configured origins ({@code *} for any). Credentials
 * (cookies) are never allowed: API keys travel in headers, so {@code *} is safe. Immutable.
 */
final class Cors {
  private static final String ALLOW_METHODS = "GET, POST, PUT, DELETE, OPTIONS";
  private static final String ALLOW_HEADERS =
      "Authorization, Content-Type, X-API-Key, X-Request-Id";
  private static final String EXPOSE_HEADERS =
      "X-Request-Id, Retry-After, X-RateLimit-Remaining, Allow";

  private final boolean any;
  private final Set<String> origins;

  Cors(List<String> origins) {
    this.any = origins.contains("*");
    this.origins = Set.copyOf(origins);
  }

  /** The headers a response to a request from {@code origin} carries; empty when not allowed. */
  Map<String, String> headers(String origin) {
    if (origin == null || !(any || origins.contains(origin))) {
      return Map.of();
    }
    return Map.of("Access-Control-Allow-Origin", any ? "*" : origin,
        "Access-Control-Expose-Headers", EXPOSE_HEADERS, "Vary", "Origin");
  }

  /** The headers answering a preflight request from {@code origin}; empty when not allowed. */
  Map<String, String> preflight(String origin) {
    if (headers(origin).isEmpty()) {
      return Map.of();
    }
    return Map.of("Access-Control-Allow-Origin", any ? "*" : origin,
        "Access-Control-Allow-Methods", ALLOW_METHODS,
        "Access-Control-Allow-Headers", ALLOW_HEADERS,
        "Access-Control-Max-Age", "600", "Vary", "Origin");
  }
}
