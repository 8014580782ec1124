package io.inmemory.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable server in a JVM of its own with a small heap ({@value #HEAP}, exiting on the first
 * {@code OutOfMemoryError}), hit from many threads at once by a read-only key with oversized
 * searches (a 15 MB query, queries, tag lists and metadata filters just under the largest body the
 * heap admits) and by a write key with oversized batches, adds and many concurrent costly
 * searches. Every answer must be a 2xx, a 4xx or a 503 {@code overloaded} with
 * {@code Retry-After}; the server must stay alive without an {@code OutOfMemoryError}, answer
 * every {@code /v1/ping} and keep answering a normal search. Ping latencies under the load are
 * printed, not asserted.
 *
 * <p>The load lasts {@value #DEFAULT_SECONDS} s; {@code -Dinmemory.test.heap.seconds=N} runs it
 * longer.
 */
class BoundedHeapTest {
  private static final String HEAP = "-Xmx256m";
  private static final int DEFAULT_SECONDS = 12;
  private static final int THREADS = 16;
  private static final Duration LIVENESS = Duration.ofSeconds(60);
  /**
   * A body the child admits: under half its heap (the JVM reports a little less than -Xmx) over
   * the {@value Admission#EXPANSION} times a body may take.
   */
  private static final int ADMITTED = 256 * 1024 * 1024 / 2 / Admission.EXPANSION * 9 / 10;
  private static final Pattern RETRY_AFTER = Pattern.compile("(?im)^Retry-After: *(\\S+)");
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(10)).build();

  @TempDir
  Path dir;

  private record Outcome(String kind, int status, String problemType, String retryAfter) {}

  @Test
  void oversizedAndConcurrentInputsGet4xxOr503AndTheServerStaysUp() throws Exception {
    int seconds = Integer.getInteger("inmemory.test.heap.seconds", DEFAULT_SECONDS);
    try (ChildServer child = new ChildServer(dir,
        List.of(HEAP, "-XX:+ExitOnOutOfMemoryError"),
        Map.of("INMEMORY_ADMIN_KEY", TestServer.ADMIN, "INMEMORY_PORT", "0",
            "INMEMORY_STORAGE_TYPE", "memory", "INMEMORY_RATE_LIMIT_PER_MINUTE", "0",
            "INMEMORY_LOG_LEVEL", "info"))) {
      int port = child.awaitPort();
      String reader = newKey(port, "read");
      String writer = newKey(port, "read", "write");
      for (String content : List.of("I love pizza but hate broccoli",
          "Meeting with Bob and Carol about Q4 planning", "My cat is called Miso")) {
        assertThat(send(port, "POST", "/v1/memories", writer, json(Map.of(
            "memory_content", content, "user_id", "alice"))).statusCode()).isEqualTo(201);
      }
      byte[] normalSearch = json(Map.of("query", "What food does Alice like?",
          "user_id", "alice"));
      Map<String, Callable<Outcome>> load = load(port, reader, writer);

      List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
      ConcurrentLinkedQueue<Long> pings = new ConcurrentLinkedQueue<>();
      List<Integer> normal = Collections.synchronizedList(new ArrayList<>());
      Set<String> failures = ConcurrentHashMap.newKeySet();
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
      List<Future<?>> workers = new ArrayList<>();
      List<String> kinds = List.copyOf(load.keySet());
      AtomicInteger next = new AtomicInteger();
      for (int t = 0; t < THREADS; t++) {
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
              normal.add(send(port, "POST", "/v1/memories/search", reader, normalSearch)
                  .statusCode());
            }
          } catch (IOException e) {
            failures.add("ping or normal search: " + e);
          }
          Thread.sleep(100);
        }
        return null;
      }));
      for (Future<?> worker : workers) {
        worker.get(seconds + LIVENESS.toSeconds(), TimeUnit.SECONDS);
      }
      pool.shutdown();

      report(outcomes, pings, normal);
      List<String> output = new ArrayList<>(child.out());
      output.addAll(child.err());
      assertThat(child.alive()).as("the server is alive; its output ends with %s",
          output.subList(Math.max(0, output.size() - 5), output.size())).isTrue();
      assertThat(String.join("\n", output)).doesNotContain("OutOfMemoryError");
      HttpResponse<String> after = send(port, "POST", "/v1/memories/search", reader,
          normalSearch);
      assertThat(failures).as("requests without an answer, pings not 200").isEmpty();
      assertThat(outcomes).allSatisfy(outcome -> {
        assertThat(outcome.status()).as(outcome.toString()).isIn(200, 201, 400, 413, 503);
        if (outcome.status() == 503) {
          assertThat(outcome.problemType()).as(outcome.toString())
              .isEqualTo(ProblemType.OVERLOADED.type());
          assertThat(outcome.retryAfter()).as(outcome.toString()).isNotNull();
        }
      });
      assertThat(outcomes).filteredOn(outcome -> outcome.kind().startsWith("oversized"))
          .extracting(Outcome::status).doesNotContain(200, 201);
      assertThat(normal).isNotEmpty().allSatisfy(status -> assertThat(status).isIn(200, 503));
      assertThat(after.statusCode()).isEqualTo(200);
      assertThat(Json.MAPPER.readTree(after.body()).get("hits")).isNotEmpty();
    }
  }

  /** The requests of the load by kind; the oversized ones must never succeed. */
  private static Map<String, Callable<Outcome>> load(int port, String reader, String writer) {
    // The bodies are made once: the load must not be bounded by the test JVM's own heap.
    byte[] hugeQuery = search("query", "word ".repeat(3_000_000).trim());
    byte[] admittedQuery = search("query", "word ".repeat(ADMITTED / 5 - 20).trim());
    StringBuilder tags = new StringBuilder();
    for (int i = 0; tags.length() < ADMITTED - 100; i++) {
      tags.append(i == 0 ? "" : ",").append('"').append("t").append(i).append('"');
    }
    byte[] hugeTags = ("{\"user_id\":\"alice\",\"tags\":[" + tags + "]}")
        .getBytes(StandardCharsets.UTF_8);
    // Empty objects: the JSON that takes the most heap per byte once parsed.
    String empties = "{}," .repeat(ADMITTED / 3 - 20) + "{}";
    byte[] hugeFilter = ("{\"user_id\":\"alice\",\"metadata\":{\"k\":[" + empties + "]}}")
        .getBytes(StandardCharsets.UTF_8);
    StringBuilder batch = new StringBuilder("{\"memories\":[");
    for (int i = 0; i < 5000; i++) {
      batch.append(i == 0 ? "" : ",").append("{\"memory_content\":\"note ").append(i)
          .append("\",\"user_id\":\"bob\"}");
    }
    byte[] hugeBatch = batch.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    AtomicInteger unique = new AtomicInteger();
    return Map.of(
        "oversized query", () -> raw("oversized query", port, reader, hugeQuery, false),
        "oversized chunked query", () -> raw("oversized chunked query", port, reader,
            hugeQuery, true),
        "oversized admitted query", () -> post("oversized admitted query", port,
            "/v1/memories/search", reader, admittedQuery),
        "oversized tags", () -> post("oversized tags", port, "/v1/memories/tag-search", reader,
            hugeTags),
        "oversized metadata filter", () -> post("oversized metadata filter", port,
            "/v1/memories/search", reader, hugeFilter),
        "oversized batch", () -> post("oversized batch", port, "/v1/memories/batch", writer,
            hugeBatch),
        // Distinct queries, so that none is answered from the query cache.
        "costly search", () -> post("costly search", port, "/v1/memories/search", reader,
            search("query", "what did alice say about plans number " + unique.incrementAndGet())),
        "costly add", () -> post("costly add", port, "/v1/memories", writer, json(Map.of(
            "memory_content", "Alice mentioned plan " + unique.incrementAndGet(),
            "user_id", "carol"))));
  }

  private static Outcome post(String kind, int port, String path, String key, byte[] body)
      throws IOException, InterruptedException {
    return outcome(kind, HTTP.send(request(port, path, key, body),
        HttpResponse.BodyHandlers.ofString()));
  }

  /**
   * A search whose body is larger than the server reads, on a connection of its own that the
   * request asks to close: the server answers before reading the body, after which the
   * connection cannot carry another request (the client's pool would reuse it otherwise). The
   * body is written by another thread, as far as the server reads it.
   */
  private static Outcome raw(String kind, int port, String key, byte[] body, boolean chunked)
      throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(Math.toIntExact(LIVENESS.toMillis()));
      OutputStream out = socket.getOutputStream();
      String head = "POST /v1/memories/search HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Authorization: Bearer " + key + "\r\nContent-Type: application/json\r\n"
          + "Connection: close\r\n" + (chunked ? "Transfer-Encoding: chunked"
          : "Content-Length: " + body.length) + "\r\n\r\n";
      Thread sender = new Thread(() -> {
        try {
          out.write(head.getBytes(StandardCharsets.US_ASCII));
          for (int from = 0; from < body.length; from += 65_536) {
            int length = Math.min(65_536, body.length - from);
            if (chunked) {
              out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            out.write(body, from, length);
            if (chunked) {
              out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
          }
          out.write(chunked ? "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII) : new byte[0]);
          out.flush();
        } catch (IOException e) {
          // The server answered without reading the rest, and closed.
        }
      });
      sender.start();
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      sender.join(LIVENESS.toMillis());
      int status = Integer.parseInt(answer.substring(9, 12));
      String type = null;
      int json = answer.indexOf("\r\n\r\n{");
      if (json >= 0) {
        type = Json.MAPPER.readTree(answer.substring(json + 4)).path("type").asText(null);
      }
      Matcher retry = RETRY_AFTER.matcher(answer);
      return new Outcome(kind, status, type, retry.find() ? retry.group(1) : null);
    }
  }

  private static byte[] search(String member, String value) {
    return json(Map.of(member, value, "user_id", "alice"));
  }

  private static byte[] json(Object value) {
    return Json.write(value);
  }

  private static HttpRequest request(int port, String path, String key, byte[] body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + path))
        .timeout(LIVENESS).header("Content-Type", "application/json")
        .method("POST", HttpRequest.BodyPublishers.ofByteArray(body));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return request.build();
  }

  private static HttpResponse<String> send(int port, String method, String path, String key,
      byte[] body) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + path)).timeout(LIVENESS);
    if (body != null) {
      return HTTP.send(request(port, path, key, body), HttpResponse.BodyHandlers.ofString());
    }
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return HTTP.send(request.method(method, HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String newKey(int port, String... scopes) throws Exception {
    HttpResponse<String> created = send(port, "POST", "/v1/auth/generate-key", TestServer.ADMIN,
        json(Map.of("project_id", "heap", "scopes", List.of(scopes))));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return Json.MAPPER.readTree(created.body()).get("key").asText();
  }

  private static Outcome outcome(String kind, HttpResponse<String> answer) throws IOException {
    String type = null;
    if (answer.headers().firstValue("Content-Type").orElse("").contains("problem+json")) {
      JsonNode problem = Json.MAPPER.readTree(answer.body());
      type = problem.path("type").asText();
    }
    return new Outcome(kind, answer.statusCode(), type,
        answer.headers().firstValue("Retry-After").orElse(null));
  }

  private static void report(List<Outcome> outcomes, ConcurrentLinkedQueue<Long> pings,
      List<Integer> normal) {
    Map<String, Map<String, Integer>> byKind = new java.util.TreeMap<>();
    synchronized (outcomes) {
      for (Outcome outcome : outcomes) {
        byKind.computeIfAbsent(outcome.kind(), k -> new java.util.TreeMap<>()).merge(
            outcome.status() + (outcome.problemType() == null ? ""
                : " " + outcome.problemType().replace(ProblemType.TYPE_PREFIX, "")), 1,
            Integer::sum);
      }
    }
    List<Long> sorted = pings.stream().sorted().toList();
    System.out.printf("BoundedHeapTest (%s): %d answers %s; normal searches %s;"
            + " %d pings, latency ms p50 %.1f p90 %.1f p99 %.1f max %.1f%n", HEAP,
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
}
