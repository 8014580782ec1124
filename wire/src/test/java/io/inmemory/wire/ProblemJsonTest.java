package io.inmemory.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inmemory.AuthenticationException;
import io.inmemory.ConflictException;
import io.inmemory.ContentTooLargeException;
import io.inmemory.ExtractionException;
import io.inmemory.InMemoryException;
import io.inmemory.InvalidRequestException;
import io.inmemory.InvalidRequestException.Violation;
import io.inmemory.NotFoundException;
import io.inmemory.PermissionDeniedException;
import io.inmemory.RateLimitedException;
import io.inmemory.StorageException;
import io.inmemory.TransportException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every problem the server writes is read back as the exception its type names. */
class ProblemJsonTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static JsonNode json(Object written) throws Exception {
    return MAPPER.readTree(MAPPER.writeValueAsBytes(written));
  }

  /** The members the server adds for the exception the type stands for. */
  private static Map<String, Object> extra(ProblemType type) {
    if (type == ProblemType.CONTENT_TOO_LARGE) {
      return ProblemJson.violations(new ContentTooLargeException("content", 2_000, 1_000));
    }
    if (InvalidRequestException.class.isAssignableFrom(type.exception())) {
      return ProblemJson.violations(new InvalidRequestException(List.of(
          new Violation("userId", "is blank"), new Violation("limit", "is 0"))));
    }
    if (type.exception() == RateLimitedException.class) {
      return ProblemJson.retryAfter(7);
    }
    if (type == ProblemType.EXTRACTION_FAILED) {
      return ProblemJson.extraction(new ExtractionException(ExtractionException.Reason.RATE_LIMITED,
          "what went wrong", 429, Duration.ofSeconds(9), null));
    }
    return Map.of();
  }

  @ParameterizedTest
  @EnumSource(ProblemType.class)
  void everyProblemTypeMapsBackToItsException(ProblemType type) throws Exception {
    JsonNode problem = json(ProblemJson.write(type, type.status(), "what went wrong",
        "/v1/memories", "r-1", extra(type)));
    InMemoryException error = ProblemJson.toException(type.status(), problem, Optional.empty());

    assertThat(error.getClass()).isEqualTo(type.exception());
    assertThat(ProblemType.ofType(problem.get("type").asText())).contains(type);
    if (error instanceof ContentTooLargeException tooLarge) {
      assertThat(tooLarge.size()).isEqualTo(2_000);
      assertThat(tooLarge.maxSize()).isEqualTo(1_000);
    } else if (error instanceof InvalidRequestException invalid) {
      assertThat(invalid.violations()).containsExactly(new Violation("userId", "is blank"),
          new Violation("limit", "is 0"));
    } else if (error instanceof RateLimitedException limited) {
      assertThat(limited.retryAfter()).isEqualTo(Duration.ofSeconds(7));
    } else if (error instanceof ExtractionException extraction) {
      assertThat(extraction.reason()).isEqualTo(ExtractionException.Reason.RATE_LIMITED);
      assertThat(extraction.upstreamStatus()).hasValue(429);
      assertThat(extraction.retryAfter()).contains(Duration.ofSeconds(9));
      assertThat(error).hasMessage("what went wrong");
    } else if (error instanceof TransportException transport) {
      assertThat(transport.status()).hasValue(type.status());
      assertThat(error).hasMessage("what went wrong");
    } else {
      assertThat(error).hasMessage("what went wrong");
    }
  }

  @Test
  void anExtractionFailureWithoutStatusOrDelayReadsBackWithout() throws Exception {
    ExtractionException failure = new ExtractionException(ExtractionException.Reason.MALFORMED,
        "the model answered no JSON");
    JsonNode problem = json(ProblemJson.write(ProblemType.of(failure), 502, failure.getMessage(),
        "/v1/memories", "r-2", ProblemJson.extraction(failure)));
    assertThat(problem.get("type").asText()).isEqualTo("urn:inmemory:problem:extraction-failed");
    assertThat(problem.get("reason").asText()).isEqualTo("malformed");
    ExtractionException read = (ExtractionException) ProblemJson.toException(502, problem,
        Optional.empty());
    assertThat(read.reason()).isEqualTo(ExtractionException.Reason.MALFORMED);
    assertThat(read.upstreamStatus()).isEmpty();
    assertThat(read.retryAfter()).isEmpty();
    assertThat(read).hasMessage("the model answered no JSON");
  }

  @Test
  void anExceptionThrownWhileHandlingBecomesTheProblemOfItsClass() {
    Map<InMemoryException, ProblemType> thrown = Map.of(
        new ContentTooLargeException("content", 2, 1), ProblemType.CONTENT_TOO_LARGE,
        new InvalidRequestException("userId", "is blank"), ProblemType.VALIDATION,
        new AuthenticationException("who?"), ProblemType.AUTHENTICATION,
        new PermissionDeniedException("no"), ProblemType.PERMISSION_DENIED,
        new NotFoundException("gone"), ProblemType.NOT_FOUND,
        new ConflictException("twice"), ProblemType.CONFLICT,
        new RateLimitedException("slow down", Duration.ofSeconds(1)), ProblemType.RATE_LIMITED,
        new StorageException("disk"), ProblemType.STORAGE_UNAVAILABLE,
        new InMemoryException("other"), ProblemType.INTERNAL);
    thrown.forEach((error, type) -> assertThat(ProblemType.of(error)).as(error.toString())
        .isEqualTo(type));
    assertThat(ProblemType.of(new IllegalStateException("bug"))).isEqualTo(ProblemType.INTERNAL);
  }

  @Test
  void contentTooLargeWithoutSizesIsAnInvalidRequest() throws Exception {
    JsonNode problem = json(ProblemJson.write(ProblemType.CONTENT_TOO_LARGE, 413, "too big", null,
        "r-1", Map.of()));
    assertThat(ProblemJson.toException(413, problem, Optional.empty()))
        .isExactlyInstanceOf(InvalidRequestException.class)
        .satisfies(e -> assertThat(((InvalidRequestException) e).violations())
            .containsExactly(new Violation("request", "too big")));
  }

  @Test
  void overloadWithoutABodyDelayTakesTheHeaders() throws Exception {
    JsonNode problem = json(ProblemJson.write(ProblemType.OVERLOADED, 503, "busy", null, "r-1",
        Map.of()));
    assertThat(((RateLimitedException) ProblemJson.toException(503, problem,
        Optional.of(Duration.ofSeconds(4)))).retryAfter()).isEqualTo(Duration.ofSeconds(4));
    assertThat(((RateLimitedException) ProblemJson.toException(503, problem,
        Optional.empty())).retryAfter()).isEqualTo(Duration.ZERO);
  }

  @Test
  void anUnknownTypeIsATransportExceptionWithTheStatus() throws Exception {
    JsonNode problem = MAPPER.readTree(
        "{\"type\":\"urn:inmemory:problem:from-the-future\",\"title\":\"New\",\"status\":418}");
    InMemoryException error = ProblemJson.toException(418, problem, Optional.empty());
    assertThat(error).isExactlyInstanceOf(TransportException.class).hasMessage("New");
    assertThat(((TransportException) error).status()).hasValue(418);
  }

  @Test
  void theProblemKeepsItsMemberOrder() throws Exception {
    assertThat(ProblemJson.write(ProblemType.NOT_FOUND, 404, "gone", "/x", "r-1",
        Map.of()).keySet()).containsExactly("type", "title", "status", "detail", "instance",
            "request_id");
  }
}
