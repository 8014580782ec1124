package io.inmemory.transport.http;

import io.inmemory.AsyncMemoryClient;
import io.inmemory.ConfigKey;
import io.inmemory.InMemoryConfig;
import io.inmemory.MemoryClient;
import io.inmemory.MemoryClientProvider;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code managed} runtime: {@link Inmry} and {@link AsyncInmry}, configured from an
 * {@link InMemoryConfig} (the API key from {@link InMemoryConfig#API_KEY}, the rest from the keys
 * below). Stateless and thread-safe.
 *
 * <p>Arguments must not be null.
 */
public final class ManagedMemoryClientProvider implements MemoryClientProvider {
  /** The name {@code inmemory.mode} selects the HTTP client by. */
  public static final String NAME = "managed";

  /** The server's base URL; a path prefix (a reverse proxy's mount point) is kept. */
  public static final ConfigKey<URI> BASE_URL = ConfigKey.of("inmemory.base-url",
      URI.create("http://localhost:8080"), ManagedMemoryClientProvider::parseBaseUrl,
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

  static final List<ConfigKey<?>> CONFIG_KEYS =
      List.of(BASE_URL, CONNECT_TIMEOUT, REQUEST_TIMEOUT, MAX_RETRIES);

  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

  @Override
  public String name() {
    return NAME;
  }

  /** The keys a managed client reads besides {@link InMemoryConfig#keys()}. */
  public List<ConfigKey<?>> configKeys() {
    return CONFIG_KEYS;
  }

  @Override
  public MemoryClient create(InMemoryConfig config) {
    return Inmry.builder().config(config).build();
  }

  @Override
  public AsyncMemoryClient createAsync(InMemoryConfig config) {
    return Inmry.builder().config(config).buildAsync();
  }

  static URI parseBaseUrl(String value) {
    URI uri;
    try {
      uri = new URI(value.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("'" + value + "' is not a URL such as"
          + " http://localhost:8080");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null
        || uri.getQuery() != null || uri.getFragment() != null || uri.getUserInfo() != null) {
      throw new IllegalArgumentException("'" + value + "' is not an http or https URL with a host"
          + " and no query, such as http://localhost:8080");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
    return URI.create(scheme + "://" + uri.getRawAuthority() + path);
  }

  static Duration parseDuration(String value) {
    String text = value.trim().toLowerCase(Locale.ROOT);
    Duration parsed;
    Matcher matcher = SHORT_DURATION.matcher(text);
    if (matcher.matches()) {
      long amount = Long.parseLong(matcher.group(1));
      parsed = switch (matcher.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        default -> Duration.ofHours(amount);
      };
    } else {
      try {
        parsed = Duration.parse(text.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("'" + value + "' is not a duration such as 500ms, 10s,"
            + " 2m or PT10S");
      }
    }
    if (parsed.isNegative() || parsed.isZero()) {
      throw new IllegalArgumentException("'" + value + "' is not a positive duration");
    }
    return parsed;
  }

  private static ConfigKey<Duration> duration(String name, Duration defaultValue,
      String description) {
    return ConfigKey.of(name, defaultValue, ManagedMemoryClientProvider::parseDuration,
        description);
  }
}
