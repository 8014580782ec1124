package io.inmemory.server;

import static io.inmemory.server.HeapLoad.HTTP;
import static io.inmemory.server.HeapLoad.LIVENESS;
import static io.inmemory.server.HeapLoad.outcome;
import static io.inmemory.server.HeapLoad.request;
import static io.inmemory.server.HeapLoad.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.server.HeapLoad.Outcome;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
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
  /**
   * A body the child admits: under half its heap (the JVM reports a little less than -Xmx) over
   * the {@value Admission#EXPANSION} times a body may take.
   */
  private static final int ADMITTED = 256 * 1024 * 1024 / 2 / Admission.EXPANSION * 9 / 10;
  private static final Pattern RETRY_AFTER = Pattern.compile("(?im)^Retry-After: *(\\S+)");

  @TempDir
  Path dir;

  @Test
  void oversizedAndConcurrentInputsGet4xxOr503AndTheServerStaysUp() throws Exception {
    int seconds = HeapLoad.seconds(DEFAULT_SECONDS);
    try (ChildServer child = HeapLoad.child(dir, HEAP,
        Map.of("INMEMORY_STORAGE_TYPE", "memory"))) {
      int port = child.awaitPort();
      String reader = TestServer.newKey(port, "heap", "read");
      String writer = TestServer.newKey(port, "heap", "read", "write");
      for (String content : List.of("I love pizza but hate broccoli",
          "Meeting with Bob and Carol about Q4 planning", "My cat is called Miso")) {
        assertThat(send(port, "POST", "/v1/memories", writer, json(Map.of(
            "memory_content", content, "user_id", "alice"))).statusCode()).isEqualTo(201);
      }
      byte[] normalSearch = json(Map.of("query", "What food does Alice like?",
          "user_id", "alice"));

      HeapLoad load = new HeapLoad().run(port, load(port, reader, writer), THREADS, seconds,
          () -> send(port, "POST", "/v1/memories/search", reader, normalSearch).statusCode());

      load.report("BoundedHeapTest (" + HEAP + ")");
      load.assertSurvived(child, 200, 201, 400, 413, 503);
      assertThat(load.outcomes()).filteredOn(outcome -> outcome.kind().startsWith("oversized"))
          .extracting(Outcome::status).doesNotContain(200, 201);
      assertThat(load.normal()).isNotEmpty()
          .allSatisfy(status -> assertThat(status).isIn(200, 503));
      HttpResponse<String> after = send(port, "POST", "/v1/memories/search", reader,
          normalSearch);
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
}
