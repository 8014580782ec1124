package io.inmemory.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Clients that open connections and send nothing cannot hold more than
 * {@link ServerSettings#MAX_CONNECTIONS} of them: once that many are open, a new client waits
 * until the idle timeout closes one, and is then answered.
 */
class ConnectionLimitTest {
  private static final int LIMIT = 16;

  @Test
  void aClientBeyondTheLimitIsAnsweredOnceAnIdleConnectionCloses() throws Exception {
    List<Socket> idle = new ArrayList<>();
    try (TestServer server = new TestServer(config -> config
        .set(ServerSettings.MAX_CONNECTIONS.name(), String.valueOf(LIMIT))
        .set(ServerSettings.IDLE_TIMEOUT_SECONDS.name(), "2"))) {
      int port = server.server.port();
      try {
        for (int i = 0; i < LIMIT; i++) {
          idle.add(new Socket("127.0.0.1", port));
        }
        try (Socket late = new Socket("127.0.0.1", port)) {
          late.setSoTimeout(60_000);
          OutputStream out = late.getOutputStream();
          out.write("GET /v1/ping HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
          out.flush();
          assertThat(RawHttp.readOne(late.getInputStream()).status()).isEqualTo(200);
        }
        // answered only once the server had closed idle connections to make room
        int closed = 0;
        for (Socket socket : idle) {
          socket.setSoTimeout(1);
          if (closedByServer(socket.getInputStream())) {
            closed++;
          }
        }
        assertThat(closed).as("idle connections the server had closed").isPositive();
      } finally {
        for (Socket socket : idle) {
          socket.close();
        }
      }
      assertThat(server.get("/v1/ping", null).status()).isEqualTo(200);
    }
  }

  private static boolean closedByServer(InputStream in) throws Exception {
    try {
      return in.read() == -1;
    } catch (SocketTimeoutException e) {
      return false;
    }
  }
}
