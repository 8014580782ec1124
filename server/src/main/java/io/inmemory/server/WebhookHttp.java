package io.inmemory.server;

import io.inmemory.MemoryClients;
import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Sends webhook requests: one {@link HttpClient} speaking HTTP/1.1 (no h2c upgrade a receiver may
 * mishandle), connecting within 5 s, following no redirect (a 3xx is a failure: a redirect could
 * lead past {@link WebhookTargets}' check) and using no proxy. Each attempt is a POST of
 * {@code application/json}; the whole answer must arrive within the timeout, of which at most
 * {@value #EXCERPT} bytes are kept for the delivery log. Thread-safe; {@link #close()} stops its
 * threads.
 */
final class WebhookHttp implements AutoCloseable {
  /** The most bytes of an answer kept. */
  static final int EXCERPT = 1024;
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** How an attempt ended, as the {@code outcome} tag of the delivery meter names it. */
  enum Outcome {
    /** A 2xx answer. */
    SUCCESS,
    /** Any other answer. */
    HTTP_ERROR,
    /** No answer within the timeout. */
    TIMEOUT,
    /** No connection, or it broke. */
    CONNECTION_ERROR,
    /** Not sent: the URL is refused now (see {@link WebhookTargets}). */
    REFUSED;

    /** The tag's value. */
    String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One attempt's result.
   *
   * @param outcome how it ended
   * @param status the answer's status, or {@code null} without an answer
   * @param millis how long it took
   * @param excerpt the start of the answer's body, or what went wrong; at most {@value #EXCERPT}
   *     bytes of it
   * @param retryAfter the answer's {@code Retry-After}, or {@code null}
   */
  record Attempt(Outcome outcome, @Nullable Integer status, long millis, String excerpt,
      @Nullable Duration retryAfter) {}

  private final ExecutorService executor;
  private final HttpClient client;
  private final String userAgent = "InMemory-Webhooks/" + MemoryClients.version();

  WebhookHttp() {
    AtomicInteger threads = new AtomicInteger();
    this.executor = Executors.newFixedThreadPool(4, runnable -> {
      Thread thread = new Thread(runnable, "inmemory-webhook-http-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    this.client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(CONNECT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NEVER)
        .proxy(HttpClient.Builder.NO_PROXY)
        .executor(executor)
        .build();
  }

  /**
   * POSTs {@code body} to {@code url} with {@code headers}; never throws for what the network or
   * the receiver does.
   *
   * @param timeout how long the whole attempt may take
   */
  Attempt post(URI url, Map<String, String> headers, byte[] body, Duration timeout) {
    HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout)
        .header("content-type", "application/json")
        .header("user-agent", userAgent)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    long start = System.nanoTime();
    CompletableFuture<HttpResponse<String>> sent = client.sendAsync(request.build(),
        info -> new Excerpt());
    try {
      HttpResponse<String> response = sent.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      int status = response.statusCode();
      return new Attempt(status / 100 == 2 ? Outcome.SUCCESS : Outcome.HTTP_ERROR, status,
          millisSince(start), response.body(), retryAfter(response.headers()));
    } catch (TimeoutException e) {
      sent.cancel(true);
      return failed(Outcome.TIMEOUT, start, "no answer within " + timeout.toMillis() + " ms");
    } catch (InterruptedException e) {
      sent.cancel(true);
      Thread.currentThread().interrupt();
      return failed(Outcome.CONNECTION_ERROR, start, "interrupted (the server is stopping)");
    } catch (ExecutionException | CancellationException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      if (cause instanceof HttpTimeoutException
          && !(cause instanceof HttpConnectTimeoutException)) {
        return failed(Outcome.TIMEOUT, start, "no answer within " + timeout.toMillis() + " ms");
      }
      String what = cause instanceof ConnectException ? "could not connect"
          : cause instanceof HttpConnectTimeoutException ? "could not connect within "
              + CONNECT_TIMEOUT.toSeconds() + " s" : "connection failed";
      return failed(Outcome.CONNECTION_ERROR, start, what + ": " + cause);
    }
  }

  private static Attempt failed(Outcome outcome, long start, String why) {
    return new Attempt(outcome, null, millisSince(start), excerpt(why), null);
  }

  private static long millisSince(long start) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  /** At most {@value #EXCERPT} bytes of {@code text}, cut at a character. */
  static String excerpt(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return bytes.length <= EXCERPT ? text : decode(bytes, EXCERPT);
  }

  private static String decode(byte[] bytes, int length) {
    int end = length;
    // back off to the start of a character: never half of one
    while (end > 0 && end < bytes.length && (bytes[end] & 0xC0) == 0x80) {
      end--;
    }
    return new String(bytes, 0, end, StandardCharsets.UTF_8);
  }

  /**
   * The {@code Retry-After} of an answer: seconds or an HTTP date; {@code null} when absent or
   * unreadable.
   */
  static @Nullable Duration retryAfter(HttpHeaders headers) {
    return headers.firstValue("retry-after").map(WebhookHttp::parseRetryAfter).orElse(null);
  }

  static @Nullable Duration parseRetryAfter(String value) {
    String trimmed = value.trim();
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(trimmed)));
    } catch (NumberFormatException e) {
      try {
        Duration until = Duration.between(ZonedDateTime.now(),
            ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME));
        return until.isNegative() ? Duration.ZERO : until;
      } catch (DateTimeParseException notDate) {
        return null;
      }
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }

  /**
   * Keeps the first {@value #EXCERPT} bytes of an answer, then cancels the rest: an answer that
   * never ends costs neither memory nor the attempt's whole timeout.
   */
  private static final class Excerpt implements HttpResponse.BodySubscriber<String> {
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final CompletableFuture<String> body = new CompletableFuture<>();
    private Flow.Subscription subscription;

    @Override
    public CompletionStage<String> getBody() {
      return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      subscription.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      for (ByteBuffer item : items) {
        int take = Math.min(item.remaining(), EXCERPT + 4 - kept.size());
        byte[] bytes = new byte[take];
        item.get(bytes);
        kept.write(bytes, 0, take);
      }
      if (kept.size() > EXCERPT) {
        subscription.cancel();
        onComplete();
      } else {
        subscription.request(1);
      }
    }

    @Override
    public void onError(Throwable error) {
      // the status is in hand; what arrived of the body is enough for the log
      onComplete();
    }

    @Override
    public void onComplete() {
      byte[] bytes = kept.toByteArray();
      body.complete(decode(bytes, Math.min(EXCERPT, bytes.length)));
    }
  }
}
