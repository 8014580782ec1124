package io.inmemory.transport.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inmemory.AddRequest;
import io.inmemory.RateLimitedException;
import io.inmemory.StorageException;
import io.inmemory.TransportException;
import io.inmemory.transport.http.ScriptedServer.Recorded;
import io.inmemory.transport.http.ScriptedServer.Reply;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RetryTest {
  private ScriptedServer server;
  private final Clients clients = new Clients();

  @BeforeEach
  void start() throws Exception {
    server = new ScriptedServer();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private Inmry client() {
    return clients.builder(server.baseUrl()).retryBackoff(Duration.ofMillis(100)).build();
  }

  @Test
  void retriesGatewayAndUnavailableAnswersWithGrowingJitteredBackoff() {
    server.answer(Reply.problem(503, "storage-unavailable", ""),
        new Reply(502, "text/html", "<html>Bad Gateway</html>", java.util.Map.of(),
            Duration.ZERO),
        Reply.json(504, "{}"),
        Reply.json(200, Answers.emptyPage()));
    try (Inmry client = client()) {
      assertThat(client.getAll("alice", 10, 0).total()).isZero();
    }
    assertThat(server.requests()).hasSize(4);
    assertThat(clients.delays).hasSize(3);
    // equal jitter: the n-th retry waits between half and all of 100 ms × 2^n
    for (int n = 0; n < 3; n++) {
      long full = 100L << n;
      assertThat(clients.delays.get(n).toMillis()).isBetween(full / 2, full);
    }
  }

  @Test
  void givesUpAfterMaxRetriesWithTheLastAnswersException() {
    for (int i = 0; i < 5; i++) {
      server.answer(Reply.problem(503, "storage-unavailable", ""));
    }
    try (Inmry client = clients.builder(server.baseUrl()).maxRetries(2).build()) {
      assertThatThrownBy(() -> client.getUserStats("alice"))
          .isExactlyInstanceOf(StorageException.class)
          .hasMessage("storage-unavailable detail");
    }
    assertThat(server.requests()).hasSize(3);
  }

  @Test
  void noRetriesWhenMaxRetriesIsZero() {
    server.answer(Reply.problem(503, "storage-unavailable", ""), Reply.json(200, "{}"));
    try (Inmry client = clients.builder(server.baseUrl()).maxRetries(0).build()) {
      assertThatThrownBy(() -> client.getUserStats("alice"))
          .isInstanceOf(StorageException.class);
    }
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void rateLimitedWaitsWhatRetryAfterSays() {
    server.answer(Reply.problem(429, "rate-limited", "\"retry_after_seconds\":7")
            .header("Retry-After", "7"),
        Reply.json(200, Answers.emptyPage()));
    try (Inmry client = client()) {
      client.getAll("alice", 10, 0);
    }
    assertThat(server.requests()).hasSize(2);
    assertThat(clients.delays).containsExactly(Duration.ofSeconds(7));
  }

  @Test
  void rateLimitedBeyondTheRetryCeilingIsReportedAtOnce() {
    server.answer(Reply.problem(429, "rate-limited", "\"retry_after_seconds\":3600")
        .header("Retry-After", "3600"));
    try (Inmry client = client()) {
      assertThatThrownBy(() -> client.getUserStats("alice"))
          .isInstanceOfSatisfying(RateLimitedException.class,
              e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofHours(1)));
    }
    assertThat(server.requests()).hasSize(1);
    assertThat(clients.delays).isEmpty();
  }

  @Test
  void rateLimitedAfterEveryRetryKeepsItsRetryAfter() {
    for (int i = 0; i < 2; i++) {
      server.answer(Reply.problem(429, "rate-limited", "\"retry_after_seconds\":2")
          .header("Retry-After", "2"));
    }
    try (Inmry client = clients.builder(server.baseUrl()).maxRetries(1).build()) {
      assertThatThrownBy(() -> client.getUserStats("alice"))
          .isInstanceOfSatisfying(RateLimitedException.class,
              e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(2)));
    }
    assertThat(clients.delays).containsExactly(Duration.ofSeconds(2));
  }

  @Test
  void everyRetryOfOneAddCarriesTheSameIdempotencyKey() {
    server.answer(Reply.problem(503, "storage-unavailable", ""), Reply.json(502, "{}"),
        Reply.json(201, Answers.added("m1")), Reply.json(201, Answers.added("m2")));
    try (Inmry client = client()) {
      assertThat(client.add("I love pizza", "alice").id()).isEqualTo("m1");
      assertThat(client.add("I love pizza", "alice").id()).isEqualTo("m2");
    }
    List<String> keys = server.requests().stream().map(r -> r.header("Idempotency-Key")).toList();
    assertThat(keys).hasSize(4).doesNotContainNull();
    assertThat(keys.subList(0, 3)).containsOnly(keys.get(0));
    assertThat(keys.get(3)).isNotEqualTo(keys.get(0));
    assertThat(UUID.fromString(keys.get(0)).toString()).isEqualTo(keys.get(0));
  }

  @Test
  void addAllIsRetriedUnderOneKey() {
    server.answer(Reply.json(504, "{}"), Reply.json(201, "{\"results\":["
        + Answers.added("m1") + "," + Answers.added("m2") + "]}"));
    try (Inmry client = client()) {
      assertThat(client.addAll(List.of(AddRequest.of("a", "alice"), AddRequest.of("b", "alice"))))
          .extracting(r -> r.id()).containsExactly("m1", "m2");
    }
    assertThat(server.requests()).extracting(r -> r.header("Idempotency-Key"))
        .hasSize(2).doesNotContainNull().containsOnly(server.requests().get(0)
            .header("Idempotency-Key"));
  }

  @Test
  void withoutIdempotencyKeysAddsAreNeverRetried() {
    server.answer(Reply.problem(503, "storage-unavailable", ""),
        Reply.problem(503, "storage-unavailable", ""), Reply.json(201, Answers.added("m1")));
    try (Inmry client = clients.builder(server.baseUrl()).idempotencyKeys(false).build()) {
      assertThatThrownBy(() -> client.add("I love pizza", "alice"))
          .isInstanceOf(StorageException.class);
      assertThatThrownBy(() -> client.addAll(List.of(AddRequest.of("a", "alice"))))
          .isInstanceOf(StorageException.class);
    }
    assertThat(server.requests()).hasSize(2)
        .allSatisfy(r -> assertThat(r.header("Idempotency-Key")).isNull());
    assertThat(clients.delays).isEmpty();
  }

  @Test
  void internalErrorsAreNotRetried() {
    server.answer(Reply.problem(500, "internal", ""), Reply.json(200, Answers.emptyPage()));
    try (Inmry client = client()) {
      assertThatThrownBy(() -> client.getAll("alice", 10, 0))
          .isExactlyInstanceOf(io.inmemory.InMemoryException.class);
    }
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void refusedConnectionsAreRetriedThenReportedWithoutStatus() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (Inmry client = clients.builder("http://127.0.0.1:" + closedPort).maxRetries(2).build()) {
      assertThatThrownBy(() -> client.getAll("alice", 10, 0))
          .isInstanceOfSatisfying(TransportException.class, e -> {
            assertThat(e.status()).isEmpty();
            assertThat(e).hasCauseInstanceOf(ConnectException.class)
                .hasMessageContaining("could not connect");
          });
      assertThat(clients.delays).hasSize(2);
    }
    clients.delays.clear();
    try (Inmry noKeys = clients.builder("http://127.0.0.1:" + closedPort)
        .idempotencyKeys(false).build()) {
      assertThatThrownBy(() -> noKeys.add("I love pizza", "alice"))
          .isInstanceOf(TransportException.class);
    }
    assertThat(clients.delays).isEmpty();
  }

  @Test
  void aRequestTimeoutIsATransportExceptionAndNotRetried() {
    server.answer(Reply.json(200, Answers.emptyPage()).stalled(Duration.ofSeconds(20)));
    try (Inmry client = clients.builder(server.baseUrl())
        .requestTimeout(Duration.ofMillis(300)).build()) {
      assertThatThrownBy(() -> client.getAll("alice", 10, 0))
          .isInstanceOfSatisfying(TransportException.class, e -> {
            assertThat(e.status()).isEmpty();
            assertThat(e).hasCauseInstanceOf(HttpTimeoutException.class)
                .hasMessageContaining("no answer within PT0.3S");
          });
    }
    assertThat(server.requests()).hasSize(1);
    assertThat(clients.delays).isEmpty();
  }

  @Test
  void aRetryRepeatsTheSameRequest() {
    server.answer(Reply.json(503, "{}"), Reply.json(200, Answers.emptyPage()));
    try (Inmry client = client()) {
      client.getAll("alice", 10, 0);
    }
    List<Recorded> requests = server.requests();
    assertThat(requests).hasSize(2).allSatisfy(request -> {
      assertThat(request.method()).isEqualTo("GET");
      assertThat(request.target()).isEqualTo("/v1/memories?user_id=alice&limit=10&offset=0");
      assertThat(request.header("Authorization")).isEqualTo("Bearer " + Clients.KEY);
    });
  }

  @Test
  void retryAfterMayBeAnHttpDate() {
    String inThirtySeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(
        ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(30));
    server.answer(Reply.json(503, "{}").header("Retry-After", inThirtySeconds),
        Reply.json(200, Answers.emptyPage()));
    try (Inmry client = client()) {
      client.getAll("alice", 10, 0);
    }
    assertThat(clients.delays).singleElement()
        .satisfies(delay -> assertThat(delay).isBetween(Duration.ofSeconds(20),
            Duration.ofSeconds(30)));
  }
}
