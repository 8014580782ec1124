package io.inmemory.transport.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inmemory.AuthenticationException;
import io.inmemory.ConflictException;
import io.inmemory.ContentTooLargeException;
import io.inmemory.InMemoryException;
import io.inmemory.InvalidRequestException;
import io.inmemory.InvalidRequestException.Violation;
import io.inmemory.NotFoundException;
import io.inmemory.PermissionDeniedException;
import io.inmemory.RateLimitedException;
import io.inmemory.StorageException;
import io.inmemory.TransportException;
import io.inmemory.transport.http.ScriptedServer.Reply;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every problem the server answers becomes the exception the local engine throws. */
class ProblemMappingTest {
  private static ScriptedServer server;
  private static Inmry client;

  @BeforeAll
  static void start() throws Exception {
    server = new ScriptedServer();
    client = new Clients().builder(server.baseUrl()).maxRetries(0).build();
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    server.close();
  }

  static Stream<Arguments> problems() {
    return Stream.of(
        row(Reply.problem(400, "validation", "\"violations\":[{\"field\":\"userId\",\"problem\":"
            + "\"is blank\"},{\"field\":\"limit\",\"problem\":\"is 0\"}]"),
            InvalidRequestException.class, e -> assertThat(
                ((InvalidRequestException) e).violations()).containsExactly(
                    new Violation("userId", "is blank"), new Violation("limit", "is 0"))),
        row(Reply.problem(400, "malformed-json", ""), InvalidRequestException.class,
            e -> assertThat(((InvalidRequestException) e).violations())
                .containsExactly(new Violation("request", "malformed-json detail"))),
        row(Reply.problem(415, "unsupported-media-type", ""), InvalidRequestException.class,
            e -> { }),
        row(Reply.problem(413, "request-too-large", ""), InvalidRequestException.class,
            e -> { }),
        row(Reply.problem(413, "content-too-large", "\"violations\":[{\"field\":\"content\","
            + "\"problem\":\"too big\"}],\"size\":2000000,\"max_size\":1048576"),
            ContentTooLargeException.class, e -> {
              ContentTooLargeException tooLarge = (ContentTooLargeException) e;
              assertThat(tooLarge.size()).isEqualTo(2_000_000);
              assertThat(tooLarge.maxSize()).isEqualTo(1_048_576);
              assertThat(tooLarge.violations()).extracting(Violation::field)
                  .containsExactly("content");
            }),
        row(Reply.problem(401, "authentication", ""), AuthenticationException.class,
            e -> assertThat(e).hasMessage("authentication detail")),
        row(Reply.problem(403, "permission-denied", ""), PermissionDeniedException.class,
            e -> { }),
        row(Reply.problem(404, "not-found", ""), NotFoundException.class, e -> { }),
        row(Reply.problem(409, "conflict", ""), ConflictException.class, e -> { }),
        row(Reply.problem(409, "idempotency-key-reused", ""), ConflictException.class, e -> { }),
        row(Reply.problem(503, "overloaded", "").header("Retry-After", "2"),
            RateLimitedException.class, e -> assertThat(((RateLimitedException) e).retryAfter())
                .isEqualTo(Duration.ofSeconds(2))),
        row(Reply.problem(413, "content-too-large", "\"violations\":[{\"field\":\"query\","
            + "\"problem\":\"is 9 characters\"},{\"field\":\"tags\",\"problem\":\"has 2 tags\"}],"
            + "\"size\":9,\"max_size\":8"), ContentTooLargeException.class,
            e -> assertThat(((ContentTooLargeException) e).violations()).containsExactly(
                new Violation("query", "is 9 characters"), new Violation("tags", "has 2 tags"))),
        row(Reply.problem(429, "rate-limited", "\"retry_after_seconds\":42")
            .header("Retry-After", "42"), RateLimitedException.class,
            e -> assertThat(((RateLimitedException) e).retryAfter())
                .isEqualTo(Duration.ofSeconds(42))),
        row(Reply.problem(429, "rate-limited", "").header("Retry-After", "5"),
            RateLimitedException.class,
            e -> assertThat(((RateLimitedException) e).retryAfter())
                .isEqualTo(Duration.ofSeconds(5))),
        row(Reply.problem(503, "storage-unavailable", ""), StorageException.class, e -> { }),
        row(Reply.problem(500, "internal", ""), InMemoryException.class,
            e -> assertThat(e).hasMessage("internal detail")),
        row(Reply.problem(404, "no-route", ""), TransportException.class, status(404)),
        row(Reply.problem(405, "method-not-allowed", ""), TransportException.class,
            status(405)),
        row(Reply.problem(431, "protocol", ""), TransportException.class, status(431)),
        row(new Reply(418, "application/problem+json", "{\"type\":\"about:blank\","
            + "\"title\":\"teapot\"}", Map.of(), Duration.ZERO), TransportException.class,
            status(418)),
        row(new Reply(502, "text/html", "<html><body>Bad Gateway</body></html>", Map.of(),
            Duration.ZERO), TransportException.class, status(502)),
        row(new Reply(400, "application/json", "{\"error\":\"not a problem\"}", Map.of(),
            Duration.ZERO), TransportException.class, status(400)),
        row(new Reply(401, "text/plain", "", Map.of(), Duration.ZERO), TransportException.class,
            status(401)));
  }

  private static Arguments row(Reply reply, Class<? extends InMemoryException> type,
      Consumer<Throwable> more) {
    return Arguments.of(reply.status() + " " + reply.body(), reply, type, more);
  }

  private static Consumer<Throwable> status(int status) {
    return e -> assertThat(((TransportException) e).status()).hasValue(status);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("problems")
  void mapsToTheEnginesException(String name, Reply reply,
      Class<? extends InMemoryException> type, Consumer<Throwable> more) {
    server.answer(reply);
    assertThatThrownBy(() -> client.getUserStats("alice")).isExactlyInstanceOf(type)
        .satisfies(more::accept);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("problems")
  void asyncFuturesFailWithTheUnwrappedException(String name, Reply reply,
      Class<? extends InMemoryException> type, Consumer<Throwable> more) {
    server.answer(reply);
    CompletableFuture<Throwable> failure = client.async().getUserStats("alice")
        .handle((stats, error) -> error);
    assertThat(failure.join()).isExactlyInstanceOf(type).satisfies(more::accept);
  }

  @Test
  void aMissingMemoryIsEmptyButAMissingEndpointIsAnError() {
    server.answer(Reply.problem(404, "not-found", ""), Reply.problem(404, "no-route", ""));
    assertThat(client.get("m1", "alice")).isEmpty();
    assertThatThrownBy(() -> client.get("m1", "alice"))
        .isInstanceOfSatisfying(TransportException.class,
            e -> assertThat(e.status()).hasValue(404));
  }

  @Test
  void anAnswerThatIsNotAnInMemoryAnswerIsATransportException() {
    server.answer(Reply.json(200, "{\"unexpected\":true}"),
        new Reply(200, "text/html", "<html/>", Map.of(), Duration.ZERO));
    assertThatThrownBy(() -> client.getUserStats("alice"))
        .isInstanceOf(TransportException.class).hasMessageContaining("memory_count");
    assertThatThrownBy(() -> client.getUserStats("alice"))
        .isInstanceOfSatisfying(TransportException.class,
            e -> assertThat(e.status()).hasValue(200));
  }
}
