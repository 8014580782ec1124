package io.inmemory.llm.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inmemory.ExtractionException;
import io.inmemory.ExtractionException.Reason;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON POSTs to one OpenAI-compatible endpoint with one {@link HttpClient} (HTTP/1.1): the
 * Bearer key, timeouts, retries and the mapping of failures to {@link ExtractionException}
 * reasons. Retries 429, 500, 502, 503, 504, connect failures and timeouts, waiting the
 * {@code Retry-After} the endpoint asks (seconds or HTTP-date) or else an exponential backoff
 * with full jitter ({@code 500 ms · 2^n}, capped at 20 s); never waits past the call's deadline.
 * Any other status fails at once as {@link Reason#REJECTED}. The key never appears in a message
 * or a log line, even when the endpoint echoes it. Thread-safe.
 */
final class OpenAiHttp {
  private static final Logger LOG = LoggerFactory.getLogger(OpenAiHttp.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<Integer> RETRYABLE = Set.of(429, 500, 502, 503, 504);
  private static final Duration BACKOFF_BASE = Duration.ofMillis(500);
  private static final Duration BACKOFF_CAP = Duration.ofSeconds(20);
  /** How much of an endpoint's error text a message quotes. */
  private static final int QUOTE = 300;

  /** Time and waiting, replaceable so that tests of backoff need not wait. */
  interface Ticker {
    Ticker SYSTEM = new Ticker() {
      @Override
      public long nanoTime() {
        return System.nanoTime();
      }

      @Override
      public Instant now() {
        return Instant.now();
      }

      @Override
      public void sleep(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis());
      }
    };

    long nanoTime();

    /** The wall clock, for {@code Retry-After} dates. */
    Instant now();

    void sleep(Duration duration) throws InterruptedException;
  }

  private final HttpSettings settings;
  private final Ticker ticker;
  private final HttpClient client;

  OpenAiHttp(HttpSettings settings) {
    this(settings, Ticker.SYSTEM);
  }

  OpenAiHttp(HttpSettings settings, Ticker ticker) {
    this.settings = settings;
    this.ticker = ticker;
    this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(settings.connectTimeout()).build();
  }

  /** The deadline of a call starting now, in {@link Ticker#nanoTime()} terms. */
  long deadline() {
    return ticker.nanoTime() + settings.deadline().toNanos();
  }

  /**
   * POSTs {@code body} to {@code path} (such as {@code /chat/completions}) under the base URL
   * and returns the answer's JSON.
   *
   * @param deadline from {@link #deadline()}: no attempt starts or waits past it
   * @throws ExtractionException when every allowed attempt failed, or one failed for good
   */
  JsonNode post(String path, JsonNode body, long deadline) {
    URI uri = URI.create(settings.baseUrl() + path);
    String endpoint = "POST " + uri;
    for (int attempt = 0; ; attempt++) {
      long remaining = deadline - ticker.nanoTime();
      if (remaining <= 0) {
        throw new ExtractionException(Reason.TIMEOUT, endpoint + ": the deadline of "
            + settings.deadline().toMillis() + " ms passed before attempt " + (attempt + 1));
      }
      Failure failure;
      try {
        HttpResponse<String> response = client.send(request(uri, body, remaining),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() / 100 == 2) {
          return parse(endpoint, response);
        }
        failure = failure(endpoint, response);
      } catch (HttpConnectTimeoutException | ConnectException e) {
        failure = new Failure(Reason.UNAVAILABLE, endpoint + ": cannot connect ("
            + redact(String.valueOf(e.getMessage())) + ")", null, null, true, e);
      } catch (HttpTimeoutException e) {
        failure = new Failure(Reason.TIMEOUT, endpoint + ": no answer within "
            + Duration.ofNanos(Math.min(remaining, settings.requestTimeout().toNanos())).toMillis()
            + " ms", null, null, true, e);
      } catch (IOException e) {
        failure = new Failure(Reason.UNAVAILABLE, endpoint + ": " + e.getClass().getSimpleName()
            + " (" + redact(String.valueOf(e.getMessage())) + ")", null, null, true, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ExtractionException(Reason.UNAVAILABLE, endpoint + ": interrupted", null, null,
            e);
      }
      waitToRetry(failure, attempt, deadline);
    }
  }

  /** Waits before the next attempt, or throws when no further attempt may be made. */
  private void waitToRetry(Failure failure, int attempt, long deadline) {
    if (!failure.retryable()) {
      throw failure.exception("");
    }
    Duration retryAfter = failure.retryAfter();
    if (retryAfter != null && retryAfter.compareTo(settings.maxRetryAfter()) > 0) {
      throw failure.exception("; the endpoint asks to wait " + retryAfter.toSeconds()
          + " s, longer than the " + settings.maxRetryAfter().toMillis()
          + " ms allowed (max-retry-after-ms)");
    }
    if (attempt >= settings.maxRetries()) {
      throw failure.exception("; gave up after " + (attempt + 1) + " attempts");
    }
    Duration wait = retryAfter != null ? retryAfter : backoff(attempt);
    if (ticker.nanoTime() + wait.toNanos() >= deadline) {
      throw failure.exception("; no time is left for another attempt within the deadline of "
          + settings.deadline().toMillis() + " ms");
    }
    LOG.debug("{}; attempt {} of {} in {} ms", failure.message(), attempt + 2,
        settings.maxRetries() + 1, wait.toMillis());
    try {
      ticker.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure.exception("; interrupted while waiting to retry");
    }
  }

  /** Full jitter: a uniform wait up to {@code 500 ms · 2^attempt}, capped. */
  private static Duration backoff(int attempt) {
    long ceiling = BACKOFF_CAP.toMillis();
    if (attempt < 16) {
      ceiling = Math.min(ceiling, BACKOFF_BASE.toMillis() << attempt);
    }
    return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling + 1));
  }

  private HttpRequest request(URI uri, JsonNode body, long remainingNanos) {
    Duration timeout = Duration.ofNanos(Math.min(remainingNanos,
        settings.requestTimeout().toNanos()));
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
        .header("Content-Type", "application/json").header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
    if (settings.apiKey() != null) {
      request.header("Authorization", "Bearer " + settings.apiKey());
    }
    return request.build();
  }

  private JsonNode parse(String endpoint, HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (JsonProcessingException e) {
      throw new ExtractionException(Reason.MALFORMED, endpoint + " answered "
          + response.statusCode() + " with a body that is not JSON: " + quote(response.body()),
          response.statusCode(), null, null);
    }
  }

  private Failure failure(String endpoint, HttpResponse<String> response) {
    int status = response.statusCode();
    String message = endpoint + " answered " + status + ": " + errorMessage(response.body());
    boolean retryable = RETRYABLE.contains(status);
    Reason reason = status == 429 ? Reason.RATE_LIMITED
        : retryable || status >= 500 ? Reason.UNAVAILABLE : Reason.REJECTED;
    Duration retryAfter = response.headers().firstValue("Retry-After")
        .flatMap(this::retryAfter).orElse(null);
    return new Failure(reason, message, status, retryAfter, retryable, null);
  }

  /** The {@code Retry-After} header as a wait: whole seconds, or an HTTP-date from now. */
  private Optional<Duration> retryAfter(String value) {
    String text = value.trim();
    if (text.matches("\\d{1,9}")) {
      return Optional.of(Duration.ofSeconds(Long.parseLong(text)));
    }
    try {
      Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration wait = Duration.between(ticker.now(), at);
      return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
    } catch (DateTimeParseException e) {
      LOG.debug("ignoring a Retry-After that is neither seconds nor an HTTP-date: {}", text);
      return Optional.empty();
    }
  }

  /**
   * The endpoint's error text: OpenAI's {@code error.message} (with {@code error.param}),
   * Ollama's {@code error} string, or the start of the body.
   */
  private String errorMessage(String body) {
    try {
      JsonNode error = JSON.readTree(body).path("error");
      if (error.isTextual()) {
        return quote(error.asText());
      }
      if (error.path("message").isTextual()) {
        String param = error.path("param").isTextual()
            ? " (param " + error.path("param").asText() + ")" : "";
        return quote(error.path("message").asText() + param);
      }
    } catch (JsonProcessingException e) {
      // not JSON: the start of the body says what happened
    }
    return body.isBlank() ? "(no body)" : quote(body);
  }

  /** The start of an endpoint's text, with the key removed wherever the endpoint echoed it. */
  private String quote(String text) {
    String redacted = redact(text);
    return redacted.length() <= QUOTE ? redacted : redacted.substring(0, QUOTE) + "…";
  }

  private String redact(String text) {
    String key = settings.apiKey();
    return key == null ? text : text.replace(key, "***");
  }

  /** One failed attempt. */
  private record Failure(Reason reason, String message, @Nullable Integer status,
      @Nullable Duration retryAfter, boolean retryable, @Nullable Throwable cause) {

    ExtractionException exception(String why) {
      return new ExtractionException(reason, message + why, status, retryAfter, cause);
    }
  }
}
