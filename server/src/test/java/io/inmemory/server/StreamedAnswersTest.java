package io.inmemory.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inmemory.engine.tck.HashingEmbedder;
import io.inmemory.server.TestServer.Answer;
import io.inmemory.wire.ProblemType;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * Answers as {@link JsonAnswer} sends them, over real HTTP: up to {@value JsonAnswer#BUFFER} bytes
 * whole with a {@code Content-Length}, larger ones streamed with chunked encoding on a connection
 * that carries on, at most {@code inmemory.max-large-answers} at once: a client that stops reading
 * holds its turn, others get 503 {@code overloaded} while small answers and pings go on, and the
 * idle timeout cuts it off, which gives the turn back.
 */
class StreamedAnswersTest {

  @Test
  void jsonIsWrittenWholeUpToTheLimitAndNotKeptPastIt() {
    Map<String, Object> value = Map.of("items", List.of("x".repeat(100_000), "é€"), "n", 1);
    byte[] whole = Json.write(value);

    ByteBuffer fits = JsonAnswer.small(value, whole.length);
    byte[] written = new byte[fits.remaining()];
    fits.get(written);
    assertThat(written).isEqualTo(whole);
    assertThat(JsonAnswer.small(value, whole.length - 1)).isNull();
  }

  @Test
  void smallAnswersHaveALengthAndLargeOnesAreChunkedOnAConnectionThatCarriesOn()
      throws Exception {
    try (TestServer server = new TestServer()) {
      String key = server.newKey("p");
      List<String> contents = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        contents.add(("Memory " + i + " of a list too long for one buffer.").repeat(40));
        server.add(key, "alice", contents.get(i), Map.of());
      }
      try (Socket socket = new Socket("127.0.0.1", server.server.port())) {
        socket.setSoTimeout(30_000);
        OutputStream out = socket.getOutputStream();
        out.write((get("/v1/memories?user_id=alice&limit=10", key)
            + get("/v1/memories?user_id=alice&limit=1000", key) + get("/v1/ping", null))
            .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = new BufferedInputStream(socket.getInputStream());
        RawHttp.Exchange small = RawHttp.readOne(in);
        RawHttp.Exchange large = RawHttp.readOne(in);
        RawHttp.Exchange ping = RawHttp.readOne(in);

        assertThat(small.status()).isEqualTo(200);
        assertThat(small.header("Content-Length")).isEqualTo(String.valueOf(small.body().length));
        assertThat(small.header("Transfer-Encoding")).isNull();
        assertThat(small.json().get("items")).hasSize(10);
        assertThat(large.status()).isEqualTo(200);
        assertThat(large.header("Transfer-Encoding")).isEqualTo("chunked");
        assertThat(large.header("Content-Length")).isNull();
        assertThat(large.header(ApiHandler.REQUEST_ID_HEADER)).isNotBlank();
        assertThat(large.body().length).isGreaterThan(JsonAnswer.BUFFER);
        JsonNode page = large.json();
        assertThat(page.get("total").asInt()).isEqualTo(40);
        assertThat(StreamSupport.stream(page.get("items").spliterator(), false)
            .map(item -> item.get("memory_content").asText()))
            .containsExactlyInAnyOrderElementsOf(contents);
        assertThat(ping.status()).isEqualTo(200);
      }
    }
  }

  @Test
  void aClientThatStopsReadingHoldsItsTurnUntilTheIdleTimeoutCutsItOff() throws Exception {
    try (TestServer server = new TestServer(config -> config
        .set("inmemory.max-large-answers", "1").set("inmemory.queue-timeout-ms", "300")
        .set("inmemory.idle-timeout-seconds", "3"),
        TestServer.volatileStore(), new HashingEmbedder(), 1_000_000)) {
      String key = server.newKey("p");
      // 12 MB of JSON: three times what the socket buffers of both ends hold (Linux: 4 MB)
      for (int i = 0; i < 12; i++) {
        server.add(key, "alice", "Memory " + i + ": " + "abcdefghij".repeat(99_990), Map.of());
      }
      server.add(key, "bob", "a small memory", Map.of());
      String list = "/v1/memories?user_id=alice&limit=1000";
      try (Socket slow = new Socket()) {
        slow.setReceiveBufferSize(4096);
        slow.setSoTimeout(30_000);
        slow.connect(new InetSocketAddress("127.0.0.1", server.server.port()));
        slow.getOutputStream().write(get(list, key).getBytes(StandardCharsets.US_ASCII));
        InputStream in = slow.getInputStream();
        // the answer has begun, and its thread now waits for this client, which reads no more
        assertThat(new String(in.readNBytes(12), StandardCharsets.US_ASCII))
            .isEqualTo("HTTP/1.1 200");

        Answer refused = server.get(list, key);
        assertThat(refused.status()).as(refused.response().body()).isEqualTo(503);
        assertThat(refused.problemType()).isEqualTo(ProblemType.OVERLOADED.type());
        assertThat(refused.header("Retry-After")).isEqualTo("1");
        assertThat(refused.json().get("detail").asText())
            .contains("1 answers over 64 KiB are being sent");
        assertThat(server.get("/v1/ping", null).status()).isEqualTo(200);
        assertThat(server.get("/v1/memories?user_id=bob", key).json().get("items")).hasSize(1);

        // the idle timeout fails the write that waits for this client: the turn comes back
        Answer after = server.get(list, key);
        for (int tries = 0; after.status() == 503 && tries < 60; tries++) {
          after = server.get(list, key);
        }
        assertThat(after.status()).as(after.response().body()).isEqualTo(200);
        assertThat(after.json().get("items")).hasSize(12);
        // and the client that stopped reading finds its answer cut off, not ended
        byte[] rest = readUntilClosed(in);
        assertThat(rest.length).isLessThan(12_000_000);
        assertThat(new String(rest, Math.max(0, rest.length - 5), Math.min(5, rest.length),
            StandardCharsets.US_ASCII)).isNotEqualTo("0\r\n\r\n");
      }
    }
  }

  /** What arrives until the server closes the connection (a reset ends it too). */
  private static byte[] readUntilClosed(InputStream in) throws IOException {
    ByteArrayOutputStream read = new ByteArrayOutputStream();
    byte[] buffer = new byte[65_536];
    try {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        read.write(buffer, 0, n);
      }
    } catch (SocketException e) {
      // reset by the server, which closed the connection with the answer unsent
    }
    return read.toByteArray();
  }

  @Test
  void theApiDocumentSaysThatReadsMayBeOverloaded() {
    try (TestServer server = new TestServer()) {
      JsonNode paths = server.get("/openapi.json", null).json().get("paths");
      assertThat(paths.at("/~1v1~1memories/get/responses/503/description").asText())
          .isEqualTo(ProblemType.OVERLOADED.title());
      assertThat(paths.at("/~1v1~1memories~1{memory_id}~1history/get/responses/503/description")
          .asText()).isEqualTo(ProblemType.OVERLOADED.title());
      assertThat(paths.at("/~1v1~1ping/get/responses/503/description").asText())
          .isNotEqualTo(ProblemType.OVERLOADED.title());
    }
  }

  private static String get(String pathAndQuery, String key) {
    return "GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + (key == null ? "" : "Authorization: Bearer " + key + "\r\n") + "\r\n";
  }
}
