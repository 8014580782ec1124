package io.inmemory.transport.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.inmemory.InMemoryException;
import io.inmemory.MemoryClients;
import io.inmemory.TransportException;
import io.inmemory.wire.ProblemJson;
import io.inmemory.wire.ProblemType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The HTTP exchange shared by {@link Inmry} and {@link AsyncInmry}: one {@link HttpClient}
 * (keep-alive; HTTP/2 negotiated over TLS), authentication, retries with exponential backoff and
 * jitter, and problem+json mapped to exceptions. Non-blocking and thread-safe.
 */
final class HttpCore {
  /** A 429 asking to wait longer than this is reported at once rather than waited out. */
  static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);
  private static final int MAX_BACKOFF_DOUBLINGS = 5;
  private static final ObjectMapper MAPPER = JsonMapper.builder().build();

  private final Settings settings;
  private final HttpClient http;
  private final String userAgent = "inmemory-java/" + MemoryClients.version();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean released = new AtomicBoolean();
  private final AtomicInteger inFlight = new AtomicInteger();

  HttpCore(Settings settings) {
    this.settings = settings;
    // Over plain http the JDK would probe with an h2c upgrade; servers offer HTTP/2 through ALPN.
    boolean tls = settings.baseUrl().getScheme().equals("https");
    this.http = HttpClient.newBuilder()
        .version(tls ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
        .connectTimeout(settings.connectTimeout())
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  Settings settings() {
    return settings;
  }

  /** Throws {@link IllegalStateException} once {@link #close()} was called. */
  void ensureOpen() {
    if (closed.get()) {
      throw new IllegalStateException("this InMemory client is closed");
    }
  }

  /**
   * Sends the call, retrying it when that is safe, and completes with the answer's JSON (a
   * {@link NullNode} for an empty body) or with the {@link InMemoryException} it maps to.
   */
  CompletableFuture<JsonNode> send(Call call) {
    inFlight.incrementAndGet();
    if (closed.get()) {
      finished();
      return CompletableFuture.failedFuture(
          new IllegalStateException("this InMemory client is closed"));
    }
    HttpRequest request;
    try {
      request = request(call);
    } catch (RuntimeException e) {
      finished();
      throw e;
    }
    return attempt(call, request, 0)
        .thenApply(response -> answer(call, response))
        .whenComplete((json, error) -> finished());
  }

  /**
   * Refuses new calls; calls in flight, their retries included, complete first, then the
   * connections are released.
   */
  void close() {
    closed.set(true);
    if (inFlight.get() == 0) {
      release();
    }
  }

  private void finished() {
    if (inFlight.decrementAndGet() == 0 && closed.get()) {
      release();
    }
  }

  private void release() {
    // HttpClient is AutoCloseable from Java 21 on; before, its threads end once it is unreachable.
    if (released.compareAndSet(false, true) && http instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        // Closing only frees idle connections; nothing to report to the caller.
      }
    }
  }

  private HttpRequest request(Call call) {
    HttpRequest.Builder request = HttpRequest.newBuilder(
            URI.create(settings.baseUrl() + call.path()))
        .timeout(timeout(call))
        .header("Authorization", "Bearer " + settings.apiKey())
        .header("User-Agent", userAgent)
        .header("Accept", "application/json, application/problem+json");
    if (call.idempotencyKey() != null) {
      request.header("Idempotency-Key", call.idempotencyKey());
    }
    if (call.body() == null) {
      request.method(call.method(), HttpRequest.BodyPublishers.noBody());
    } else if (call.body() instanceof Call.Raw raw) {
      request.header("Content-Type", raw.mediaType())
          .method(call.method(), HttpRequest.BodyPublishers.ofByteArray(raw.bytes()));
    } else {
      request.header("Content-Type", "application/json")
          .method(call.method(), HttpRequest.BodyPublishers.ofByteArray(write(call.body())));
    }
    return request.build();
  }

  private CompletableFuture<HttpResponse<byte[]>> attempt(Call call, HttpRequest request,
      int retries) {
    CompletableFuture<HttpResponse<byte[]>> exchange;
    try {
      exchange = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (RuntimeException e) {
      exchange = CompletableFuture.failedFuture(e);
    }
    return exchange
        .handle((response, error) -> {
          Throwable failure = unwrap(error);
          Optional<Duration> delay = retries < settings.maxRetries() && call.retryable()
              ? retryDelay(retries, response, failure) : Optional.empty();
          if (delay.isPresent()) {
            return CompletableFuture.runAsync(() -> { }, settings.delays().apply(delay.get()))
                .thenCompose(ignored -> attempt(call, request, retries + 1));
          }
          return failure == null ? CompletableFuture.completedFuture(response)
              : CompletableFuture.<HttpResponse<byte[]>>failedFuture(noAnswer(call, failure));
        })
        .thenCompose(next -> next);
  }

  /** How long to wait before retrying, or empty when this outcome is not worth a retry. */
  private Optional<Duration> retryDelay(int retries, HttpResponse<byte[]> response,
      Throwable failure) {
    if (failure != null) {
      // A request that timed out already used its whole budget; a refused or dropped connection
      // is worth another try.
      boolean timedOut = failure instanceof HttpTimeoutException
          && !(failure instanceof HttpConnectTimeoutException);
      return failure instanceof IOException && !timedOut
          ? Optional.of(backoff(retries)) : Optional.empty();
    }
    int status = response.statusCode();
    if (status != 429 && status != 502 && status != 503 && status != 504
        || status == 502 && extractionFailed(response)) {
      return Optional.empty();
    }
    Optional<Duration> asked = retryAfter(response);
    if (asked.isPresent() && asked.get().compareTo(MAX_RETRY_AFTER) > 0) {
      // A 429 asking for a long wait is the caller's to decide (its exception carries the wait);
      // a gateway's long Retry-After falls back to the backoff.
      return status == 429 ? Optional.empty() : Optional.of(backoff(retries));
    }
    return Optional.of(asked.orElseGet(() -> backoff(retries)));
  }

  /**
   * Whether a 502 is the server's {@code extraction-failed} problem: the model failed, and asking
   * again at once would only make it fail (and cost) again, so it is never retried here.
   */
  private static boolean extractionFailed(HttpResponse<byte[]> response) {
    return contentType(response).startsWith("application/problem+json")
        && parse(response.body())
        .map(json -> json.path(ProblemJson.TYPE.name()).asText())
        .filter(ProblemType.EXTRACTION_FAILED.type()::equals).isPresent();
  }

  private Duration timeout(Call call) {
    return call.timeout() != null ? call.timeout() : settings.requestTimeout();
  }

  /** Exponential backoff with "equal jitter": between half and all of base × 2^retries. */
  private Duration backoff(int retries) {
    long full = settings.retryBackoff().toNanos() << Math.min(retries, MAX_BACKOFF_DOUBLINGS);
    return Duration.ofNanos(full / 2 + ThreadLocalRandom.current().nextLong(full / 2 + 1));
  }

  /** The {@code Retry-After} header, in seconds or as an HTTP date. */
  static Optional<Duration> retryAfter(HttpResponse<?> response) {
    return response.headers().firstValue("Retry-After").map(String::trim).flatMap(value -> {
      try {
        return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value))));
      } catch (NumberFormatException notSeconds) {
        try {
          Duration until = Duration.between(ZonedDateTime.now(),
              ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
          return Optional.of(until.isNegative() ? Duration.ZERO : until);
        } catch (DateTimeParseException notDate) {
          return Optional.empty();
        }
      }
    });
  }

  /**
   * Sends the call once (a stream read part way cannot be repeated) and hands each line of the
   * answer's body (UTF-8, without its line break) to {@code lines} as it arrives, on the calling
   * thread; blocks until the body ends.
   *
   * @throws InMemoryException the answer's problem, or a {@link TransportException} when the
   *     exchange fails, also part way
   */
  void lines(Call call, Consumer<String> lines) {
    ensureOpen();
    inFlight.incrementAndGet();
    try {
      HttpResponse<InputStream> response = http.send(request(call),
          HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = response.body()) {
        if (response.statusCode() / 100 != 2) {
          throw error(call, response, body.readAllBytes());
        }
        BufferedReader reader = new BufferedReader(
            new InputStreamReader(body, StandardCharsets.UTF_8));
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          lines.accept(line);
        }
      }
    } catch (IOException e) {
      throw noAnswer(call, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransportException("interrupted while reading " + call.describe(), e);
    } finally {
      finished();
    }
  }

  private JsonNode answer(Call call, HttpResponse<byte[]> response) {
    int status = response.statusCode();
    boolean problem = contentType(response).startsWith("application/problem+json");
    if (status / 100 == 2 || call.health() && status == 503 && !problem) {
      return parse(response.body())
          .orElseThrow(() -> new TransportException("The server answered " + call.describe()
              + " with a body that is not JSON", status));
    }
    throw error(call, response, response.body());
  }

  private InMemoryException error(Call call, HttpResponse<?> response, byte[] body) {
    int status = response.statusCode();
    String contentType = contentType(response);
    return parse(body)
        .filter(json -> json.isObject() && json.path(ProblemJson.TYPE.name()).isTextual())
        .map(problem -> ProblemJson.toException(status, problem, retryAfter(response)))
        .orElseGet(() -> new TransportException("HTTP " + status + " from "
            + settings.baseUrl() + " for " + call.describe() + " without a problem document ("
            + (contentType.isEmpty() ? "no content type" : contentType)
            + "): is a proxy in the way, or inmemory.base-url wrong?", status));
  }

  private static byte[] write(Object body) {
    try {
      return MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write the request as JSON: " + e.getMessage(), e);
    }
  }

  /** An answer that must be a JSON object, as maps and lists (for {@link Inmry#route}). */
  static Map<String, Object> document(JsonNode answer, Call call) {
    if (!answer.isObject()) {
      throw new TransportException("The server answered " + call.describe()
          + " with JSON that is not an object", 200);
    }
    return MAPPER.convertValue(answer, new TypeReference<Map<String, Object>>() {});
  }

  private static Optional<JsonNode> parse(byte[] body) {
    if (body.length == 0) {
      return Optional.of(NullNode.getInstance());
    }
    try {
      return Optional.of(MAPPER.readTree(body));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static String contentType(HttpResponse<?> response) {
    return response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
  }

  private TransportException noAnswer(Call call, Throwable failure) {
    String what;
    if (failure instanceof HttpConnectTimeoutException) {
      what = "could not connect within " + settings.connectTimeout();
    } else if (failure instanceof HttpTimeoutException) {
      what = "no answer within " + timeout(call);
    } else if (failure instanceof ConnectException) {
      what = "could not connect";
    } else {
      what = "the exchange failed (" + failure.getClass().getSimpleName() + ")";
    }
    return new TransportException(call.describe() + " to " + settings.baseUrl() + ": " + what,
        failure);
  }

  static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
