package io.inmemory.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Hundreds of clients sending their request bodies a byte at a time, or not at all, hold no
 * worker: ping and ordinary requests are answered while they are connected, and each of them is
 * answered 408 and disconnected once it falls under the minimum data rate or the idle timeout.
 */
class SlowClientsTest {
  /** More than the server has workers (64), and than the 60 to 70 that starved it before. */
  private static final int TRICKLING = 200;
  private static final int SILENT = 100;

  @Test
  void slowBodiesHoldNoWorkerAndAreCutOff() throws Exception {
    try (TestServer server = new TestServer(config ->
            config.set(ServerSettings.IDLE_TIMEOUT_SECONDS.name(), "3")
                .set(ServerSettings.RATE_LIMIT_PER_MINUTE.name(), "0"));
        ClientPool slow = new ClientPool()) {
      String key = server.newKey("slow");
      for (int i = 0; i < TRICKLING + SILENT; i++) {
        slow.open(server.server.port(), key);
      }
      ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
      try {
        trickle.scheduleAtFixedRate(() -> slow.sendOneByte(TRICKLING), 0, 1, TimeUnit.SECONDS);
        // within the 5 s grace of the data rate, while every slow client is still connected; a
        // worker stuck on each would leave ping unanswered for as long as they trickle
        HttpResponse<String> ping = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.server.port() + "/v1/ping"))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ping.statusCode()).isEqualTo(200);
        String id = server.add(key, "u", "written while slow clients wait", Map.of());
        assertThat(server.get("/v1/memories/" + id + "?user_id=u", key).status()).isEqualTo(200);

        // then every one is answered and disconnected, the trickling ones still trickling
        for (RawHttp.Exchange answer : slow.answers()) {
          assertThat(answer.status()).isEqualTo(408);
          assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
          assertThat(answer.header("Connection")).isEqualTo("close");
          assertThat(answer.json().get("type").asText())
              .isEqualTo("urn:inmemory:problem:protocol");
          assertThat(answer.json().get("status").asInt()).isEqualTo(408);
        }
      } finally {
        trickle.shutdownNow();
      }
      assertThat(server.get("/v1/ping", null).status()).isEqualTo(200);
    }
  }

  /** Connections that each sent a request head and the first byte of a 1000-byte body. */
  private static final class ClientPool implements AutoCloseable {
    private final List<Socket> sockets = new ArrayList<>();

    void open(int port, String key) throws IOException {
      Socket socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(60_000);
      socket.getOutputStream().write(("POST /v1/memories HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Authorization: Bearer " + key + "\r\nContent-Type: application/json\r\n"
          + "Content-Length: 1000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
      synchronized (this) {
        sockets.add(socket);
      }
    }

    /**
     * One more byte on each of the first {@code count} connections not yet answered (a byte
     * sent after the answer would reach a closed socket, whose reset could destroy the answer).
     */
    synchronized void sendOneByte(int count) {
      for (Socket socket : sockets.subList(0, count)) {
        try {
          if (socket.getInputStream().available() == 0) {
            OutputStream out = socket.getOutputStream();
            out.write(' ');
            out.flush();
          }
        } catch (IOException e) {
          // the server has closed it: what the test waits for
        }
      }
    }

    /** The answer on every connection, read to the end of the connection. */
    List<RawHttp.Exchange> answers() throws IOException {
      List<Socket> all;
      synchronized (this) {
        all = List.copyOf(sockets);
      }
      List<RawHttp.Exchange> answers = new ArrayList<>();
      for (Socket socket : all) {
        answers.add(RawHttp.readToEnd(socket.getInputStream()).get(0));
      }
      return answers;
    }

    @Override
    public synchronized void close() throws IOException {
      for (Socket socket : sockets) {
        socket.close();
      }
    }
  }
}
