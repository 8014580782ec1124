package io.inmemory.wire;

import static io.inmemory.wire.Schemas.array;
import static io.inmemory.wire.Schemas.integer;
import static io.inmemory.wire.Schemas.object;
import static io.inmemory.wire.Schemas.str;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The {@code application/problem+json} documents of failures: the server writes them from a
 * {@link ProblemType}, the client turns them back into the exception the local engine throws
 * for the same mistake, by the problem's {@code type} (never by status alone: 404 is both a
 * missing memory and a missing endpoint). Stateless and thread-safe.
 */
public final class ProblemJson {
  public static final Member TYPE = new Member("type", str());
  public static final Member TITLE = new Member("title", str());
  public static final Member STATUS = new Member("status", integer());
  public static final Member DETAIL = new Member("detail", str());
  public static final Member INSTANCE = new Member("instance", str());
  public static final Member REQUEST_ID = new Member("request_id", "requestId", str());
  public static final Member FIELD = new Member("field", str());
  public static final Member PROBLEM = new Member("problem", str());
  public static final Member VIOLATIONS = new Member("violations",
      array(object(List.of(FIELD, PROBLEM), FIELD, PROBLEM)));
  public static final Member RETRY_AFTER_SECONDS = new Member("retry_after_seconds",
      "retryAfter", integer());
  /** Why a model call failed: an {@link ExtractionException.Reason}, lower-cased. */
  public static final Member REASON = new Member("reason", Schemas.oneOf(
      Arrays.stream(ExtractionException.Reason.values())
          .map(r -> r.name().toLowerCase(Locale.ROOT)).toArray(String[]::new)));
  /** The model endpoint's HTTP status, when it answered one. */
  public static final Member UPSTREAM_STATUS = new Member("upstream_status", "upstreamStatus",
      integer());
  /** The size of the content that is too large, in the unit of its limit. */
  public static final Member SIZE = new Member("size", integer());
  public static final Member MAX_SIZE = new Member("max_size", "maxSize", integer());

  /** The exceptions a problem rebuilds from its detail alone. */
  private static final Map<Class<? extends InMemoryException>,
      Function<String, InMemoryException>> BY_DETAIL = Map.of(
          AuthenticationException.class, AuthenticationException::new,
          PermissionDeniedException.class, PermissionDeniedException::new,
          NotFoundException.class, NotFoundException::new,
          ConflictException.class, ConflictException::new,
          StorageException.class, StorageException::new,
          InMemoryException.class, InMemoryException::new);

  private ProblemJson() {}

  /**
   * A problem document, members in the documented order.
   *
   * @param status the answer's status: the type's own, or another for {@link ProblemType#PROTOCOL}
   * @param instance the request's path, or {@code null} when the request was not routed
   * @param extra the members particular to the problem ({@link #violations}, {@link #retryAfter})
   */
  public static Map<String, Object> write(ProblemType type, int status, @Nullable String detail,
      @Nullable String instance, String requestId, Map<String, Object> extra) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put(TYPE.name(), type.type());
    json.put(TITLE.name(), type.title());
    json.put(STATUS.name(), status);
    json.put(DETAIL.name(), detail);
    json.put(INSTANCE.name(), instance);
    json.put(REQUEST_ID.name(), requestId);
    json.putAll(extra);
    return json;
  }

  /** The members of an invalid request: its violations, and the sizes of a content too large. */
  public static Map<String, Object> violations(InvalidRequestException invalid) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put(VIOLATIONS.name(), invalid.violations().stream()
        .map(v -> Map.of(FIELD.name(), v.field(), PROBLEM.name(), v.problem())).toList());
    if (invalid instanceof ContentTooLargeException tooLarge) {
      json.put(SIZE.name(), tooLarge.size());
      json.put(MAX_SIZE.name(), tooLarge.maxSize());
    }
    return json;
  }

  /** The members of a failed extraction: reason, upstream status and delay when known. */
  public static Map<String, Object> extraction(ExtractionException failure) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put(REASON.name(), failure.reason().name().toLowerCase(Locale.ROOT));
    failure.upstreamStatus().ifPresent(status -> json.put(UPSTREAM_STATUS.name(), status));
    failure.retryAfter().ifPresent(delay -> json.put(RETRY_AFTER_SECONDS.name(),
        delay.toSeconds()));
    return json;
  }

  /** The member saying when to retry. */
  public static Map<String, Object> retryAfter(long seconds) {
    return Map.of(RETRY_AFTER_SECONDS.name(), seconds);
  }

  /**
   * The exception for a problem document: the {@link ProblemType#exception()} of its type, with a
   * content too large that carries no sizes read as a plain {@link InvalidRequestException}, and
   * a type this table does not know read as a {@link TransportException} with the status.
   *
   * @param status the answer's HTTP status
   * @param retryAfter the {@code Retry-After} header, used when the body carries no delay
   */
  public static InMemoryException toException(int status, JsonNode problem,
      Optional<Duration> retryAfter) {
    String detail = problem.path(DETAIL.name()).asText(
        problem.path(TITLE.name()).asText("HTTP " + status));
    Optional<ProblemType> type = ProblemType.ofType(problem.path(TYPE.name()).asText(""));
    Class<? extends InMemoryException> exception =
        type.<Class<? extends InMemoryException>>map(ProblemType::exception)
            .orElse(TransportException.class);
    if (exception == ContentTooLargeException.class) {
      return problem.hasNonNull(SIZE.name()) && problem.hasNonNull(MAX_SIZE.name())
          ? new ContentTooLargeException(violations(problem, detail),
              problem.get(SIZE.name()).asLong(), problem.get(MAX_SIZE.name()).asLong())
          : new InvalidRequestException(violations(problem, detail));
    }
    if (exception == InvalidRequestException.class) {
      return new InvalidRequestException(violations(problem, detail));
    }
    if (exception == RateLimitedException.class) {
      return new RateLimitedException(detail, problem.hasNonNull(RETRY_AFTER_SECONDS.name())
          ? Duration.ofSeconds(problem.get(RETRY_AFTER_SECONDS.name()).asLong())
          : retryAfter.orElse(Duration.ZERO));
    }
    if (exception == ExtractionException.class) {
      return extraction(problem, detail);
    }
    Function<String, InMemoryException> byDetail = BY_DETAIL.get(exception);
    return byDetail == null ? new TransportException(detail, status) : byDetail.apply(detail);
  }

  /** An unknown reason (a newer server's) reads as {@code UNAVAILABLE}, the generic one. */
  private static ExtractionException extraction(JsonNode problem, String detail) {
    ExtractionException.Reason reason = ExtractionException.Reason.UNAVAILABLE;
    for (ExtractionException.Reason r : ExtractionException.Reason.values()) {
      if (r.name().equalsIgnoreCase(problem.path(REASON.name()).asText())) {
        reason = r;
      }
    }
    return new ExtractionException(reason, detail,
        problem.hasNonNull(UPSTREAM_STATUS.name()) ? problem.get(UPSTREAM_STATUS.name()).asInt()
            : null,
        problem.hasNonNull(RETRY_AFTER_SECONDS.name())
            ? Duration.ofSeconds(problem.get(RETRY_AFTER_SECONDS.name()).asLong()) : null,
        null);
  }

  private static List<Violation> violations(JsonNode problem, String detail) {
    List<Violation> violations = new ArrayList<>();
    problem.path(VIOLATIONS.name()).forEach(violation -> violations.add(new Violation(
        violation.path(FIELD.name()).asText("request"),
        violation.path(PROBLEM.name()).asText(detail))));
    if (violations.isEmpty()) {
      violations.add(new Violation("request", detail));
    }
    return violations;
  }
}
