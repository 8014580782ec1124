package io.inmemory.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.inmemory.InMemoryConfig;
import io.inmemory.engine.Memory;
import io.inmemory.engine.tck.HashingEmbedder;
import io.inmemory.server.TestServer.Answer;
import io.inmemory.wire.ProblemType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Fuzzes the HTTP API of a real server (file store in a temporary directory, the deterministic
 * test embedder) with requests from {@link FuzzRequests}: most over raw sockets, so that broken
 * request lines, headers, framing and bytes reach Jetty's parser, the rest through java.net.http
 * on pooled keep-alive connections. A request whose head Jetty refuses itself goes over a raw
 * socket only: Jetty 12.1 closes such a connection at once, and a java.net.http client still
 * sending the body may get a reset instead of the 4xx (see the server's README). Every answer
 * must be a well-formed HTTP response under 500,
 * a problem+json one for an error; the server must keep answering ping and log no internal
 * error; and the memories, histories and stats of a project the fuzzer reaches only with a
 * read-only key (and through another project's key and ids) must be exactly as before.
 *
 * <p>{@value #DEFAULT_CASES} cases by default; {@code -Dinmemory.fuzz.cases=N} runs more and
 * {@code -Dinmemory.fuzz.seed=S} repeats a run (the seed is printed).
 */
class HttpFuzzTest {
  static final int DEFAULT_CASES = 8000;
  private static final Set<String> CLIENT_METHODS = Set.of("GET", "POST", "PUT", "DELETE",
      "PATCH");
  private static final Set<String> RESTRICTED = Set.of("host", "connection", "content-length",
      "expect", "upgrade", "transfer-encoding");

  private int port;
  private final Map<String, Integer> statuses = new TreeMap<>();
  private final List<String> failures = new ArrayList<>();
  private int unanswered;
  private int ran;

  @Test
  void fuzzedRequestsGetWellFormedAnswersAndLeaveDataIntact(@TempDir Path dir) throws Exception {
    int cases = Integer.getInteger("inmemory.fuzz.cases", DEFAULT_CASES);
    long seed = Long.getLong("inmemory.fuzz.seed", System.nanoTime());
    InMemoryConfig config = InMemoryConfig.builder().isolated()
        .set(InMemoryConfig.STORE.name(), "file")
        .set("inmemory.store.file.dir", dir.toString())
        .set(ServerSettings.MAX_REQUEST_SIZE.name(), "64KB")
        .set(ServerSettings.RATE_LIMIT_PER_MINUTE.name(), "0")
        .set(ServerSettings.IDLE_TIMEOUT_SECONDS.name(), "5").build();
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    long start = System.nanoTime();
    int viaClient = 0;
    try (Memory memory = Memory.builder().config(config).embedder(new HashingEmbedder()).build();
        InMemoryServer server = InMemoryServer.builder().config(config).memory(memory).port(0)
            .adminKey(TestServer.ADMIN).usageFlushInterval(Duration.ofHours(1)).start()) {
      port = server.port();
      String seededReader = key("seeded", "read");
      String seededReadOnly = key("seeded", "read");
      String fuzzKey = key("fuzz", "read", "write", "keys");
      List<String> ids = new ArrayList<>(seed(key("seeded", "write")));
      ids.addAll(seed(fuzzKey));
      Map<String, JsonNode> before = snapshot(seededReader, ids);

      log.start();
      root.addAppender(log);
      FuzzRequests requests = new FuzzRequests(send("GET", "/openapi.json", null).json(),
          List.of(fuzzKey, seededReadOnly), ids, seed);
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      for (int i = 0; i < cases && failures.size() < 20; i++) {
        FuzzRequests.Request request = requests.next();
        ran++;
        if (i % 4 == 3 && request.wellFormed() && request.plainHead()
            && CLIENT_METHODS.contains(request.method()) && overClient(client, request)) {
          viaClient++;
        } else {
          overSocket(request);
        }
        if (i % 100 == 99) {
          assertThat(send("GET", "/v1/ping", null).status()).as("ping after case %d", i)
              .isEqualTo(200);
        }
      }
      root.detachAppender(log);

      assertThat(failures).as("failures (seed %d)", seed).isEmpty();
      assertThat(send("GET", "/v1/ping", null).status()).isEqualTo(200);
      assertThat(snapshot(seededReader, ids)).as("the seeded project's data").isEqualTo(before);
      List<ILoggingEvent> errors;
      synchronized (log) {
        errors = log.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR))
            .toList();
      }
      assertThat(errors).as("errors logged").isEmpty();
    } finally {
      root.detachAppender(log);
      System.out.printf("HttpFuzzTest: %d cases (%d through java.net.http), seed %d, %.1f s;"
              + " statuses %s; %d cut-short requests closed without an answer%n",
          ran, viaClient, seed, (System.nanoTime() - start) / 1e9, statuses, unanswered);
    }
  }

  /** Sends the raw bytes, half-closes, and reads every answer until the server closes. */
  private void overSocket(FuzzRequests.Request request) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(15_000);
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request.raw());
        socket.shutdownOutput();
      } catch (IOException e) {
        // the server closed before taking it all: its answer, if any, is still to be read
      }
      List<RawHttp.Exchange> answers = RawHttp.readToEnd(socket.getInputStream());
      if (answers.isEmpty()) {
        // fine when the request is cut short before its head ends; a whole one needs an answer
        unanswered++;
        if (request.wellFormed()) {
          failures.add("no answer for: " + request.describe());
        }
      }
      for (RawHttp.Exchange answer : answers) {
        check(request, answer.status(), answer.header("Content-Type"), answer.body());
      }
    } catch (IOException e) { // a malformed answer, none in time, or a reset that lost it
      failures.add(e + " for: " + request.describe());
    }
  }

  /** Sends the request with java.net.http; false when it cannot express it. */
  private boolean overClient(HttpClient client, FuzzRequests.Request request) {
    HttpRequest.Builder builder;
    try {
      builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + request.target()))
          .timeout(Duration.ofSeconds(15));
      for (String[] header : request.headers()) {
        if (header[1] != null && !RESTRICTED.contains(header[0].toLowerCase(java.util.Locale.ROOT))) {
          builder.header(header[0], header[1]);
        }
      }
      byte[] body = request.body();
      builder.method(request.method(), body.length % 2 == 0
          ? HttpRequest.BodyPublishers.ofByteArray(body)
          : HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
    } catch (IllegalArgumentException e) {
      return false;
    }
    try {
      HttpResponse<byte[]> response = client.send(builder.build(),
          HttpResponse.BodyHandlers.ofByteArray());
      check(request, response.statusCode(),
          response.headers().firstValue("Content-Type").orElse(null), response.body());
    } catch (IOException e) {
      failures.add("java.net.http: " + e + " for: " + request.describe());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return true;
  }

  private void check(FuzzRequests.Request request, int status, String type, byte[] body) {
    statuses.merge(status / 100 + "xx", 1, Integer::sum);
    String problem = null;
    if (status >= 500) {
      problem = "status " + status;
    } else if (status >= 400) {
      problem = problemJson(status, type, body);
    } else if (status >= 200 && type != null && type.startsWith("application/json")) {
      try {
        Json.MAPPER.readTree(body);
      } catch (IOException e) {
        problem = "a " + status + " answer whose body is not JSON";
      }
    }
    if (problem != null) {
      failures.add(problem + ": " + new String(body, java.nio.charset.StandardCharsets.UTF_8)
          + " for: " + request.describe());
    }
  }

  /** What is wrong with an error answer, or null when it is a well-formed problem. */
  private static String problemJson(int status, String type, byte[] body) {
    if (type == null || !type.startsWith("application/problem+json")) {
      return "a " + status + " answer of type " + type;
    }
    try {
      JsonNode json = Json.MAPPER.readTree(body);
      if (!json.path("type").asText().startsWith(ProblemType.TYPE_PREFIX)
          || json.path("status").asInt() != status || json.path("detail").asText().isBlank()) {
        return "a malformed problem";
      }
      return null;
    } catch (IOException e) {
      return "a problem whose body is not JSON";
    }
  }

  private Answer send(String method, String path, String key) {
    return TestServer.send(port, method, path, key, null, Map.of());
  }

  private String key(String project, String... scopes) {
    return TestServer.newKey(port, project, scopes);
  }

  /** Twenty memories of two users, with tags, people and metadata; their ids. */
  private List<String> seed(String key) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("memory_content", "memory " + i + " about the garden and the sea");
      body.put("user_id", i % 2 == 0 ? "u" : "user-1");
      body.put("tags", List.of("t" + i % 3, "garden"));
      body.put("people_mentioned", List.of("Ann"));
      body.put("metadata", Map.of("n", i));
      Answer answer = TestServer.send(port, "POST", "/v1/memories", key, body, Map.of());
      assertThat(answer.status()).isEqualTo(201);
      ids.add(answer.json().path("memory").path("id").asText());
    }
    return ids;
  }

  /** Everything the seeded project's reader sees: listings, memories, histories, stats. */
  private Map<String, JsonNode> snapshot(String reader, List<String> ids) {
    Map<String, JsonNode> seen = new TreeMap<>();
    for (String user : List.of("u", "user-1")) {
      for (String path : List.of("/v1/memories?limit=1000&user_id=" + user,
          "/v1/users/" + user + "/stats")) {
        seen.put(path, send("GET", path, reader).json());
      }
      for (String id : ids) {
        for (String path : List.of("/v1/memories/" + id + "?user_id=" + user,
            "/v1/memories/" + id + "/history?user_id=" + user)) {
          Answer answer = send("GET", path, reader);
          seen.put(path, answer.status() == 200 ? answer.json() : null);
        }
      }
    }
    return seen;
  }
}
