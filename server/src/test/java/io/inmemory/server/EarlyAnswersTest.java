package io.inmemory.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A request answered before its body has arrived (rejected by its head, or cut off at the body
 * cap) leaves a connection the client can trust: either the answer says
 * {@code Connection: close} and the connection then ends cleanly, or the server reads the rest
 * and answers the next request on it. Never a silently closed keep-alive connection, and never an
 * answer lost to a reset.
 */
class EarlyAnswersTest {
  private static final int CAP = 4096;
  private static TestServer server;
  private static TestServer limited;
  private static String key;
  private static String readOnlyKey;
  private static String exhaustedKey;

  @BeforeAll
  static void start() {
    server = new TestServer(config -> config
        .set(ServerSettings.MAX_REQUEST_SIZE.name(), String.valueOf(CAP))
        .set(ServerSettings.RATE_LIMIT_PER_MINUTE.name(), "0"));
    key = server.newKey("early");
    readOnlyKey = server.newKey("early", "read");
    limited = new TestServer(config ->
        config.set(ServerSettings.RATE_LIMIT_PER_MINUTE.name(), "2"));
    exhaustedKey = limited.newKey("early");
  }

  @AfterAll
  static void stop() {
    server.close();
    limited.close();
  }

  static Stream<Arguments> earlyRejections() {
    return Stream.of(
        Arguments.of("no key", "POST /v1/memories", null, 401),
        Arguments.of("read-only key", "POST /v1/memories", "readOnly", 403),
        Arguments.of("no route", "POST /v1/nothing", "key", 404),
        Arguments.of("wrong method", "PATCH /v1/memories", "key", 405),
        Arguments.of("bad query string", "POST /v1/memories/search?x=%FF", "key", 400),
        Arguments.of("rate limited", "POST /v1/memories", "exhausted", 429));
  }

  /** 200 bytes announced, 20 sent before the answer is read, the rest after it. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("earlyRejections")
  void aRejectionBeforeTheBodyLeavesAUsableConnection(String name, String request,
      String who, int status) throws IOException {
    TestServer target = server;
    if ("exhausted".equals(who)) {
      target = limited;
      for (int i = 0; i < 3 && limited.get("/v1/users/current", exhaustedKey).status() != 429;
          i++) {
        // spend the key's burst (2), however much of it has come back since
      }
    }
    String credential = who == null ? null
        : switch (who) {
          case "readOnly" -> readOnlyKey;
          case "exhausted" -> exhaustedKey;
          default -> key;
        };
    byte[] body = ("{\"user_id\": \"u\", \"memory_content\": \"" + "x".repeat(162) + "\"}")
        .getBytes(StandardCharsets.UTF_8);
    assertThat(body).hasSize(200);
    try (Socket socket = connect(target)) {
      OutputStream out = socket.getOutputStream();
      out.write(head(request, credential, "Content-Length: " + body.length));
      out.write(body, 0, 20);
      out.flush();
      RawHttp.Exchange answer = RawHttp.readOne(socket.getInputStream());
      assertProblem(answer, status);
      lingerAsASlowClientWould();
      out.write(body, 20, body.length - 20);
      out.write(head("GET /v1/ping", null, null));
      out.flush();
      assertNextRequestIsAnsweredOrConnectionEnds(answer, socket.getInputStream());
    }
  }

  static Stream<Arguments> requestsJettyRejects() {
    return Stream.of(
        Arguments.of("POST /v1/memories?x=" + "y".repeat(10_000) + " HTTP/1.1", 414),
        Arguments.of("POST /v1/memories HTTP/1.2", 400),
        Arguments.of("POST /v1/memories HTTP/2.0", 426));
  }

  /**
   * What Jetty rejects before the handler (a request line over its 8 KB buffer, an HTTP version
   * it does not take, which it would answer 505) is a 4xx problem saying Connection: close, as
   * Jetty closes the connection after it.
   */
  @ParameterizedTest
  @MethodSource("requestsJettyRejects")
  void aRequestJettyRejectsIsA4xxSayingConnectionClose(String requestLine, int status)
      throws IOException {
    try (Socket socket = connect(server)) {
      OutputStream out = socket.getOutputStream();
      out.write((requestLine + "\r\nHost: 127.0.0.1\r\nContent-Length: 200\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[20]);
      out.flush();
      List<RawHttp.Exchange> answers = RawHttp.readToEnd(socket.getInputStream());
      assertThat(answers).hasSize(1);
      assertProblem(answers.get(0), status);
      assertThat(answers.get(0).json().get("type").asText())
          .isEqualTo("urn:inmemory:problem:protocol");
      assertThat(answers.get(0).closes()).isTrue();
    }
  }

  /** Over the cap by its Content-Length: answered at once, the rest discarded. */
  @Test
  void aBodyOverTheCapByItsLengthIsAnsweredAtOnce() throws IOException {
    byte[] body = new byte[CAP * 3];
    try (Socket socket = connect(server)) {
      OutputStream out = socket.getOutputStream();
      out.write(head("POST /v1/memories/search", key, "Content-Length: " + body.length));
      out.write(body, 0, 100);
      out.flush();
      RawHttp.Exchange answer = RawHttp.readOne(socket.getInputStream());
      assertProblem(answer, 413);
      assertThat(answer.json().get("type").asText())
          .isEqualTo("urn:inmemory:problem:request-too-large");
      lingerAsASlowClientWould();
      out.write(body, 100, body.length - 100);
      out.write(head("GET /v1/ping", null, null));
      out.flush();
      assertNextRequestIsAnsweredOrConnectionEnds(answer, socket.getInputStream());
    }
  }

  /**
   * Over the cap while chunked: answered once the cap is passed, then the client sends 48 KB
   * more, which the server reads and discards instead of resetting the connection under it.
   */
  @Test
  void aChunkedBodyOverTheCapIsAnsweredAndTheRestDiscarded() throws IOException {
    byte[] chunk = ("1000\r\n" + "x".repeat(4096) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    try (Socket socket = connect(server)) {
      OutputStream out = socket.getOutputStream();
      out.write(head("POST /v1/memories/search", key, "Transfer-Encoding: chunked"));
      out.write(chunk);
      out.write(chunk);
      out.flush();
      RawHttp.Exchange answer = RawHttp.readOne(socket.getInputStream());
      assertProblem(answer, 413);
      lingerAsASlowClientWould();
      for (int i = 0; i < 12; i++) {
        out.write(chunk);
      }
      out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.write(head("GET /v1/ping", null, null));
      out.flush();
      assertNextRequestIsAnsweredOrConnectionEnds(answer, socket.getInputStream());
    }
  }

  /**
   * The same through java.net.http, many times: the race in which the 413 of an oversized
   * chunked body was lost (about one run in a hundred) is gone, and the client's pooled
   * connection serves its next request.
   */
  @Test
  void oversizedChunkedBodiesAlwaysGetTheirAnswer() throws Exception {
    byte[] json = Json.write(Map.of("user_id", "u", "query", "x".repeat(50_000)));
    HttpClient client = HttpClient.newHttpClient();
    URI search = URI.create("http://127.0.0.1:" + server.server.port() + "/v1/memories/search");
    URI ping = URI.create("http://127.0.0.1:" + server.server.port() + "/v1/ping");
    for (int i = 0; i < 300; i++) {
      HttpResponse<String> response = client.send(HttpRequest.newBuilder(search)
              .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(json)))
              .build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as("attempt %d", i).isEqualTo(413);
      assertThat(client.send(HttpRequest.newBuilder(ping).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }
  }

  /**
   * Lets the server finish its side of the exchange before the rest of the body arrives, as it
   * does when the body comes over a slower network than loopback.
   */
  private static void lingerAsASlowClientWould() {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Socket connect(TestServer target) throws IOException {
    Socket socket = new Socket("127.0.0.1", target.server.port());
    socket.setSoTimeout(20_000);
    return socket;
  }

  private static byte[] head(String requestLine, String credential, String framing) {
    StringBuilder head = new StringBuilder(requestLine).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    if (credential != null) {
      head.append("Authorization: Bearer ").append(credential).append("\r\n");
    }
    if (framing != null) {
      head.append("Content-Type: application/json\r\n").append(framing).append("\r\n");
    }
    return head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static void assertProblem(RawHttp.Exchange answer, int status) {
    assertThat(answer).as("an answer before the connection ended").isNotNull();
    assertThat(answer.status()).isEqualTo(status);
    assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
    assertThat(answer.json().get("status").asInt()).isEqualTo(status);
  }

  /**
   * After an answer without Connection: close, the ping sent on the same connection is answered;
   * after one with it, the connection ends with nothing more: the rest of the body sent after the
   * answer was read and discarded, not met with a reset.
   */
  private static void assertNextRequestIsAnsweredOrConnectionEnds(RawHttp.Exchange answer,
      InputStream in) throws IOException {
    if (answer.closes()) {
      assertThat(RawHttp.readToEnd(in)).isEmpty();
      return;
    }
    RawHttp.Exchange next = RawHttp.readOne(in);
    assertThat(next).as("an answer to the next request on a keep-alive connection").isNotNull();
    assertThat(next.status()).isEqualTo(200);
  }
}
