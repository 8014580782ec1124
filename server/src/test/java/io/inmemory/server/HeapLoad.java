package io.inmemory.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inmemory.wire.ProblemType;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load on a {@link ChildServer} with a small heap, shared by the tests that must show it survives:
 * requests of several kinds sent round-robin from many threads for a while, with one more thread
 * pinging every 100 ms (and now and then making a normal request), then the checks that the JVM
 * is alive, never ran out of memory, answered every request and every ping. Not thread-safe; one
 * per test.
 */
final class HeapLoad {
  static final Duration LIVENESS = Duration.ofSeconds(60);
  static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(10)).build();

  /** One answer of the load: its kind, status, problem type and {@code Retry-After}. */
  record Outcome(String kind, int status, String problemType, String retryAfter) {}

  /**
   * The runnable server with {@code heap} ({@code -Xmx…}), exiting on its first
   * {@code OutOfMemoryError}, with the admin key, any port, no rate limit, info logs and
   * {@code env}.
   */
  static ChildServer child(Path dir, String heap, Map<String, String> env) throws IOException {
    Map<String, String> all = new HashMap<>(Map.of("INMEMORY_ADMIN_KEY", TestServer.ADMIN,
        "INMEMORY_PORT", "0", "INMEMORY_RATE_LIMIT_PER_MINUTE", "0", "INMEMORY_LOG_LEVEL", "info"));
    all.putAll(env);
    return new ChildServer(dir, List.of(heap, "-XX:+ExitOnOutOfMemoryError"), all);
  }

  /** How long the load lasts: {@code -Dinmemory.test.heap.seconds}, else {@code fallback}. */
  static int seconds(int fallback) {
    return Integer.getInteger("inmemory.test.heap.seconds", fallback);
  }

  private final List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
  private final ConcurrentLinkedQueue<Long> pings = new ConcurrentLinkedQueue<>();
  private final List<Integer> normal = Collections.synchronizedList(new ArrayList<>());
  private final Set<String> failures = ConcurrentHashMap.newKeySet();

  /**
   * Sends {@code load} from {@code threads} threads for {@code seconds}, pinging meanwhile and
   * making the {@code normal} request every third ping; returns when all is answered.
   */
  HeapLoad run(int port, Map<String, Callable<Outcome>> load, int threads, int seconds,
      Callable<Integer> normalRequest) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
    List<Future<?>> workers = new ArrayList<>();
    List<String> kinds = List.copyOf(load.keySet());
    AtomicInteger next = new AtomicInteger();
    for (int t = 0; t < threads; t++) {
      workers.add(pool.submit(() -> {
        while (System.nanoTime() < end) {
          String kind = kinds.get(Math.floorMod(next.getAndIncrement(), kinds.size()));
          try {
            outcomes.add(load.get(kind).call());
          } catch (Exception e) {
            failures.add(kind + ": " + e);
          }
        }
        return null;
      }));
    }
    workers.add(pool.submit(() -> {
      int round = 0;
      while (System.nanoTime() < end) {
        try {
          long start = System.nanoTime();
          HttpResponse<String> ping = send(port, "GET", "/v1/ping", null, null);
          pings.add(System.nanoTime() - start);
          if (ping.statusCode() != 200) {
            failures.add("ping: " + ping.statusCode());
          }
          if (++round % 3 == 0) {
            normal.add(normalRequest.call());
          }
        } catch (IOException e) {
          failures.add("ping or normal request: " + e);
        }
        Thread.sleep(100);
      }
      return null;
    }));
    try {
      for (Future<?> worker : workers) {
        worker.get(seconds + LIVENESS.toSeconds(), TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    return this;
  }

  List<Outcome> outcomes() {
    return outcomes;
  }

  /** The statuses of the normal requests made between pings. */
  List<Integer> normal() {
    return normal;
  }

  /**
   * Checks that {@code child} is alive without an {@code OutOfMemoryError}, that every request
   * and ping was answered (pings 200), and that every answer has one of {@code statuses}, a 503
   * being {@code overloaded} with {@code Retry-After}.
   */
  void assertSurvived(ChildServer child, Integer... statuses) {
    List<String> output = new ArrayList<>(child.out());
    output.addAll(child.err());
    assertThat(child.alive()).as("the server is alive; its output ends with %s",
        output.subList(Math.max(0, output.size() - 5), output.size())).isTrue();
    assertThat(String.join("\n", output)).doesNotContain("OutOfMemoryError");
    assertThat(failures).as("requests without an answer, pings not 200").isEmpty();
    assertThat(outcomes).allSatisfy(outcome -> {
      assertThat(outcome.status()).as(outcome.toString()).isIn((Object[]) statuses);
      if (outcome.status() == 503) {
        assertThat(outcome.problemType()).as(outcome.toString())
            .isEqualTo(ProblemType.OVERLOADED.type());
        assertThat(outcome.retryAfter()).as(outcome.toString()).isNotNull();
      }
    });
  }

  /** Prints the answers by kind and status, and the ping latencies (never asserted). */
  void report(String test) {
    Map<String, Map<String, Integer>> byKind = new TreeMap<>();
    synchronized (outcomes) {
      for (Outcome outcome : outcomes) {
        byKind.computeIfAbsent(outcome.kind(), k -> new TreeMap<>()).merge(
            outcome.status() + (outcome.problemType() == null ? ""
                : " " + outcome.problemType().replace(ProblemType.TYPE_PREFIX, "")), 1,
            Integer::sum);
      }
    }
    List<Long> sorted = pings.stream().sorted().toList();
    System.out.printf("%s: %d answers %s; normal requests %s;"
            + " %d pings, latency ms p50 %.1f p90 %.1f p99 %.1f max %.1f%n", test,
        outcomes.size(), byKind, normal, sorted.size(), percentile(sorted, 0.5),
        percentile(sorted, 0.9), percentile(sorted, 0.99), percentile(sorted, 1.0));
  }

  private static double percentile(List<Long> sorted, double p) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int index = (int) Math.ceil(p * sorted.size()) - 1;
    return sorted.get(Math.max(0, index)) / 1e6;
  }

  /** A POST of a JSON body, with {@code key} when not null. */
  static HttpRequest request(int port, String path, String key, byte[] body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + path))
        .timeout(LIVENESS).header("Content-Type", "application/json")
        .method("POST", HttpRequest.BodyPublishers.ofByteArray(body));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return request.build();
  }

  /** A request without a body when {@code body} is null, else a POST of it. */
  static HttpResponse<String> send(int port, String method, String path, String key,
      byte[] body) throws IOException, InterruptedException {
    if (body != null) {
      return HTTP.send(request(port, path, key, body), HttpResponse.BodyHandlers.ofString());
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + path)).timeout(LIVENESS);
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return HTTP.send(request.method(method, HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The outcome of an answer whose body was read as a string. */
  static Outcome outcome(String kind, HttpResponse<String> answer) throws IOException {
    String type = null;
    if (answer.headers().firstValue("Content-Type").orElse("").contains("problem+json")) {
      JsonNode problem = Json.MAPPER.readTree(answer.body());
      type = problem.path("type").asText();
    }
    return new Outcome(kind, answer.statusCode(), type,
        answer.headers().firstValue("Retry-After").orElse(null));
  }
}
