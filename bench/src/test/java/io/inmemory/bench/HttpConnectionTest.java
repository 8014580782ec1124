package io.inmemory.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpConnectionTest {
  private HttpServer server;
  private URI base;
  private final List<String> seen = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/echo", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      seen.add(exchange.getRequestMethod() + " " + exchange.getRequestHeaders()
          .getFirst("Authorization") + " " + exchange.getRequestHeaders()
          .getFirst("Content-Type") + " " + exchange.getRemoteAddress().getPort() + " " + body);
      reply(exchange, 201, "{\"echo\":" + body + "}", false);
    });
    server.createContext("/chunked", exchange -> {
      exchange.getRequestBody().readAllBytes();
      reply(exchange, 200, "x".repeat(20_000) + "é", true);
    });
    server.createContext("/missing", exchange -> {
      exchange.getRequestBody().readAllBytes();
      reply(exchange, 404, "{\"title\":\"Not Found\"}", false);
    });
    server.start();
    base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private static void reply(HttpExchange exchange, int status, String body, boolean chunked)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, chunked ? 0 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Test
  void postsJsonWithTheKeyAndReusesTheConnection() throws IOException {
    try (HttpConnection http = new HttpConnection(base)) {
      HttpConnection.Response first = http.send(new HttpConnection.Request("/echo", "k1",
          "{\"a\":1}"));
      HttpConnection.Response second = http.send(new HttpConnection.Request("/echo", "k1",
          "{\"a\":\"ü\"}"));

      assertThat(first).isEqualTo(new HttpConnection.Response(201, "{\"echo\":{\"a\":1}}"));
      assertThat(second.body()).isEqualTo("{\"echo\":{\"a\":\"ü\"}}");
      assertThat(second.ok()).isTrue();
    }
    assertThat(seen).hasSize(2);
    assertThat(seen.get(0)).startsWith("POST Bearer k1 application/json ").endsWith(" {\"a\":1}");
    // the same client port twice: one keep-alive connection
    assertThat(seen.get(0).split(" ")[4]).isEqualTo(seen.get(1).split(" ")[4]);
  }

  @Test
  void sendsEachMethodAndABodyOnlyWhenThereIsOne() throws IOException {
    try (HttpConnection http = new HttpConnection(base)) {
      http.send(new HttpConnection.Request("PUT", "/echo?user_id=u", "k", "{\"a\":2}"));
      http.send(new HttpConnection.Request("DELETE", "/echo?user_id=u", "k", ""));
      HttpConnection.Response got = http.send(new HttpConnection.Request("GET", "/echo", "k",
          ""));

      assertThat(got.status()).isEqualTo(201);
    }
    assertThat(seen).hasSize(3);
    assertThat(seen.get(0)).startsWith("PUT Bearer k application/json ").endsWith(" {\"a\":2}");
    assertThat(seen.get(1)).startsWith("DELETE Bearer k null ").endsWith(" ");
    assertThat(seen.get(2)).startsWith("GET Bearer k null ");
    assertThatThrownBy(() -> new HttpConnection.Request("PATCH", "/echo", "k", ""))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PATCH");
  }

  @Test
  void readsChunkedAnswersAndErrorStatuses() throws IOException {
    try (HttpConnection http = new HttpConnection(base)) {
      HttpConnection.Response chunked = http.send(new HttpConnection.Request("/chunked", "k",
          "{}"));
      HttpConnection.Response missing = http.send(new HttpConnection.Request("/missing", "k",
          "{}"));

      assertThat(chunked.status()).isEqualTo(200);
      assertThat(chunked.body()).hasSize(20_001).endsWith("xé");
      assertThat(missing.ok()).isFalse();
      assertThat(missing.status()).isEqualTo(404);
      assertThat(missing.body()).contains("Not Found");
    }
  }

  @Test
  void failsOnAnAnswerCutShortAndReconnectsForTheNextRequest() throws Exception {
    try (ServerSocket raw = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread peer = new Thread(() -> {
        try {
          try (Socket first = raw.accept()) {
            readHead(first.getInputStream());
            first.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort")
                .getBytes(StandardCharsets.ISO_8859_1));
          }
          try (Socket second = raw.accept()) {
            readHead(second.getInputStream());
            second.getOutputStream().write(("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nall")
                .getBytes(StandardCharsets.ISO_8859_1));
          }
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
      peer.start();
      try (HttpConnection http = new HttpConnection(URI.create("http://127.0.0.1:"
          + raw.getLocalPort()))) {
        HttpConnection.Request request = new HttpConnection.Request("/x", "k", "{}");

        assertThatThrownBy(() -> http.send(request)).hasMessageContaining("5 bytes early");
        assertThat(http.send(request)).isEqualTo(new HttpConnection.Response(200, "all"));
      }
      peer.join(10_000);
    }
  }

  /** Reads a request head and its two-byte body {@code {}}. */
  private static void readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      head.append((char) in.read());
    }
    in.readNBytes(2);
  }

  @Test
  void rejectsAddressesThatAreNotPlainHttp() {
    assertThatThrownBy(() -> new HttpConnection(URI.create("https://example.org")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
