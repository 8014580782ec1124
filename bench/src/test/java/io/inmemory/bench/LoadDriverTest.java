package io.inmemory.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongFunction;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LoadDriverTest {
  private static final Duration LONG = Duration.ofSeconds(30);

  private HttpServer server;
  private ExecutorService handlers;
  private URI base;
  private final Queue<Long> received = new ConcurrentLinkedQueue<>();
  private volatile long delayMillis;

  /** Answers 201, but 500 for request numbers divisible by 7, after {@link #delayMillis}. */
  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    handlers = Executors.newCachedThreadPool();
    server.setExecutor(handlers);
    server.createContext("/n", exchange -> {
      long n = Long.parseLong(new String(exchange.getRequestBody().readAllBytes(),
          StandardCharsets.UTF_8));
      received.add(n);
      try {
        Thread.sleep(delayMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      byte[] body = ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(n % 7 == 0 ? 500 : 201, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @AfterEach
  void stop() {
    server.stop(0);
    handlers.shutdownNow();
  }

  private static LongFunction<HttpConnection.Request> numbered() {
    return i -> new HttpConnection.Request("/n", "key", Long.toString(i));
  }

  @Test
  void closedLoopSendsEachNumberOnceUpToTheRequestCountAndCountsErrors() throws Exception {
    LoadDriver.Result result = LoadDriver.run(new LoadDriver.Load(4, LONG, 50, 0),
        () -> new HttpConnection(base), numbered());

    assertThat(received).containsExactlyInAnyOrderElementsOf(
        LongStream.range(0, 50).boxed().toList());
    assertThat(result.requests()).isEqualTo(50);
    assertThat(result.errors()).isEqualTo(8); // 0, 7, …, 49
    assertThat(result.unsent()).isZero();
    assertThat(result.firstErrors()).hasSize(LoadDriver.KEPT_ERRORS)
        .allSatisfy(e -> assertThat(e).startsWith("HTTP 500 on POST /n: {\"n\":"));
    assertThat(result.throughput()).isPositive();
    assertThat(result.percentileMillis(99)).isGreaterThanOrEqualTo(result.percentileMillis(50))
        .isPositive();
  }

  @Test
  void aCheckSeesEach2xxAnswerAndTheAnswersItRejectsAreErrors() throws Exception {
    Queue<Long> checked = new ConcurrentLinkedQueue<>();
    LoadDriver.Check check = (request, response) -> {
      assertThat(response.body()).isEqualTo("{\"n\":" + request.json() + "}");
      long n = Long.parseLong(request.json());
      checked.add(n);
      if (n % 5 == 0) {
        throw new IllegalStateException("multiple of five");
      }
    };

    LoadDriver.Result result = LoadDriver.run(new LoadDriver.Load(3, LONG, 50, 0),
        () -> new HttpConnection(base), numbered(), check);

    // every number but the 500s (multiples of 7) is checked; multiples of 5 are rejected
    assertThat(checked).containsExactlyInAnyOrderElementsOf(
        LongStream.range(0, 50).filter(n -> n % 7 != 0).boxed().toList());
    assertThat(result.errors()).isEqualTo(8 + 8); // 0, 7, …, 49 and 5, 10, …, 45 but 35
    assertThat(result.firstErrors()).anySatisfy(e -> assertThat(e)
        .startsWith("wrong answer to POST /n: multiple of five in {\"n\":"));
  }

  @Test
  void closedLoopStopsAtTheEndOfItsWindow() throws Exception {
    LoadDriver.Result result = LoadDriver.run(
        new LoadDriver.Load(2, Duration.ofMillis(300), Long.MAX_VALUE, 0),
        () -> new HttpConnection(base), numbered());

    assertThat(result.requests()).isPositive().isEqualTo(received.size());
  }

  @Test
  void openLoopSendsTheScheduledRequestsOnceEach() throws Exception {
    LoadDriver.Load load = new LoadDriver.Load(3, Duration.ofMillis(250), 1_000, 200);

    LoadDriver.Result result = LoadDriver.run(load, () -> new HttpConnection(base), numbered());

    assertThat(load.scheduled()).isEqualTo(50);
    assertThat(received).containsExactlyInAnyOrderElementsOf(
        LongStream.range(0, 50).boxed().toList());
    assertThat(result.requests()).isEqualTo(50);
    assertThat(result.unsent()).isZero();
    assertThat(result.errors()).isEqualTo(8);
  }

  @Test
  void openLoopChargesQueueingToTheServerAndDropsWhatItCannotSend() throws Exception {
    delayMillis = 200;
    // 50 requests due within 0.5 s on one connection that needs 0.2 s per request
    LoadDriver.Result result = LoadDriver.run(
        new LoadDriver.Load(1, Duration.ofMillis(500), 1_000, 100),
        () -> new HttpConnection(base), numbered());

    assertThat(result.unsent()).isPositive();
    assertThat(result.requests() + result.unsent()).isEqualTo(50);
    // from the scheduled time, later requests wait behind earlier ones
    assertThat(result.percentileMillis(100)).isGreaterThan(2 * delayMillis);
  }

  @Test
  void failedExchangesAreErrors() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    URI nobody = URI.create("http://127.0.0.1:" + closedPort);

    LoadDriver.Result result = LoadDriver.run(new LoadDriver.Load(2, LONG, 10, 0),
        () -> new HttpConnection(nobody), numbered());

    assertThat(result.requests()).isEqualTo(10);
    assertThat(result.errors()).isEqualTo(10);
    assertThat(result.firstErrors()).first().asString().contains("ConnectException");
  }

  @Test
  void openLoopSpreadsRequestsEvenlyOverTheWindow() {
    LoadDriver.Load load = new LoadDriver.Load(64, Duration.ofSeconds(8), 1_000_000, 500);

    assertThat(load.openLoop()).isTrue();
    assertThat(load.scheduled()).isEqualTo(4_000);
    assertThat(load.dueNanos(0)).isZero();
    assertThat(load.dueNanos(1)).isEqualTo(2_000_000);
    assertThat(load.dueNanos(3_999)).isEqualTo(7_998_000_000L);
    assertThat(new LoadDriver.Load(1, Duration.ofSeconds(8), 100, 500).scheduled())
        .isEqualTo(100);
    assertThat(new LoadDriver.Load(1, Duration.ofSeconds(1), 100, 0).openLoop()).isFalse();
    assertThatThrownBy(() -> new LoadDriver.Load(0, Duration.ofSeconds(1), 1, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LoadDriver.Load(1, Duration.ZERO, 1, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LoadDriver.Load(1, Duration.ofSeconds(1), 1, -1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void summaryTakesMediansOverRunsAndTotalsTheCounts() {
    LoadDriver.Load load = new LoadDriver.Load(16, Duration.ofSeconds(1), 1_000, 0);
    LoadDriver.Result slow = result(load, 100, 9, 1, "a");
    LoadDriver.Result fast = result(load, 300, 1, 0, "b");
    LoadDriver.Result middle = result(load, 200, 4, 2, "c");

    LoadDriver.Summary summary = LoadDriver.Summary.of(List.of(slow, fast, middle));

    assertThat(summary.runs()).isEqualTo(3);
    assertThat(summary.throughput()).isEqualTo(200);
    assertThat(summary.minThroughput()).isEqualTo(100);
    assertThat(summary.maxThroughput()).isEqualTo(300);
    assertThat(summary.p50Millis()).isEqualTo(4);
    assertThat(summary.p99Millis()).isEqualTo(4);
    assertThat(summary.requests()).isEqualTo(600);
    assertThat(summary.errors()).isEqualTo(3);
    assertThat(summary.unsent()).isEqualTo(3);
    assertThat(summary.firstErrors()).containsExactly("a", "b", "c");
    assertThat(LoadDriver.Summary.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
    assertThatThrownBy(() -> LoadDriver.Summary.of(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** A one-second run of {@code count} requests that all took {@code millis}. */
  private static LoadDriver.Result result(LoadDriver.Load load, int count, long millis,
      long errors, String error) {
    long[] latencies = LongStream.generate(() -> millis * 1_000_000).limit(count).toArray();
    return new LoadDriver.Result(load, latencies, errors, errors, 1_000_000_000L, 0,
        List.of(error));
  }
}
