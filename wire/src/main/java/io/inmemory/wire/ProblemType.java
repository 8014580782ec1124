package io.inmemory.wire;

import io.inmemory.AuthenticationException;
import io.inmemory.ConflictException;
import io.inmemory.ContentTooLargeException;
import io.inmemory.ExtractionException;
import io.inmemory.InMemoryException;
import io.inmemory.InvalidRequestException;
import io.inmemory.NotFoundException;
import io.inmemory.PermissionDeniedException;
import io.inmemory.RateLimitedException;
import io.inmemory.StorageException;
import io.inmemory.TransportException;
import java.util.List;
import java.util.Optional;

/**
 * Every kind of error the server answers, in one table: its stable problem {@code type}, HTTP
 * status and the {@code io.inmemory} exception a client throws for it (the one the local engine
 * throws for the same mistake). A client maps a problem back by its {@code type}, never by its
 * status alone: 404 is both {@link #NOT_FOUND} and {@link #NO_ROUTE}. Immutable.
 */
public enum ProblemType {
  VALIDATION("validation", 400, "Invalid request", InvalidRequestException.class),
  MALFORMED_JSON("malformed-json", 400, "Malformed JSON", InvalidRequestException.class),
  AUTHENTICATION("authentication", 401, "Unauthenticated", AuthenticationException.class),
  PERMISSION_DENIED("permission-denied", 403, "Forbidden", PermissionDeniedException.class),
  NOT_FOUND("not-found", 404, "Not found", NotFoundException.class),
  NO_ROUTE("no-route", 404, "No such endpoint", TransportException.class),
  METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method not allowed", TransportException.class),
  CONFLICT("conflict", 409, "Conflict", ConflictException.class),
  /** An {@code Idempotency-Key} sent again with another request than the first time. */
  IDEMPOTENCY_KEY_REUSED("idempotency-key-reused", 409, "Idempotency key reused",
      ConflictException.class),
  CONTENT_TOO_LARGE("content-too-large", 413, "Content too large",
      ContentTooLargeException.class),
  REQUEST_TOO_LARGE("request-too-large", 413, "Request body too large",
      InvalidRequestException.class),
  UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "Unsupported media type",
      InvalidRequestException.class),
  /**
   * A request Jetty rejected before routing (malformed HTTP, headers or URI too long); the
   * problem's {@code status} member is the actual status, 400 or another 4xx.
   */
  PROTOCOL("protocol", 400, "Bad HTTP request", TransportException.class),
  RATE_LIMITED("rate-limited", 429, "Too many requests", RateLimitedException.class),
  INTERNAL("internal", 500, "Internal server error", InMemoryException.class),
  STORAGE_UNAVAILABLE("storage-unavailable", 503, "Storage unavailable",
      StorageException.class),
  /**
   * The configured extraction model failed (unreachable, timed out, refused, malformed answer):
   * members {@code reason}, {@code upstream_status} and {@code retry_after_seconds} say how, and a
   * client rebuilds {@link ExtractionException}. A client never retries it by itself.
   */
  EXTRACTION_FAILED("extraction-failed", 502, "Extraction failed", ExtractionException.class),
  /**
   * The server sheds load (too many requests at once): retry after {@code Retry-After}. A client throws
   * {@link RateLimitedException}, whose {@code retryAfter} says when.
   */
  OVERLOADED("overloaded", 503, "Server overloaded", RateLimitedException.class);

  /** The prefix of every problem type; the kind follows it. */
  public static final String TYPE_PREFIX = "urn:inmemory:problem:";

  private final String kind;
  private final int status;
  private final String title;
  private final Class<? extends InMemoryException> exception;

  ProblemType(String kind, int status, String title, Class<? extends InMemoryException> exception) {
    this.kind = kind;
    this.status = status;
    this.title = title;
    this.exception = exception;
  }

  /** The problem's {@code type} member, for example {@code urn:inmemory:problem:not-found}. */
  public String type() {
    return TYPE_PREFIX + kind;
  }

  /** The problem's usual HTTP status; {@link #PROTOCOL} answers others too. */
  public int status() {
    return status;
  }

  /** The problem's {@code title} member. */
  public String title() {
    return title;
  }

  /** The exception a client throws for this problem. */
  public Class<? extends InMemoryException> exception() {
    return exception;
  }

  /** The part of {@link #type()} after {@link #TYPE_PREFIX}, such as {@code not-found}. */
  public String kind() {
    return kind;
  }

  /** The problem a {@code type} member names, if it is one of this table. */
  public static Optional<ProblemType> ofType(String type) {
    for (ProblemType problem : values()) {
      if (problem.type().equals(type)) {
        return Optional.of(problem);
      }
    }
    return Optional.empty();
  }

  /**
   * The problems an exception thrown while handling a request is matched against, by its
   * {@link #exception()}, most specific first.
   */
  private static final List<ProblemType> THROWN = List.of(CONTENT_TOO_LARGE, VALIDATION,
      AUTHENTICATION, PERMISSION_DENIED, NOT_FOUND, CONFLICT, RATE_LIMITED, STORAGE_UNAVAILABLE, EXTRACTION_FAILED);

  /** The problem an exception thrown while handling a request becomes: else {@link #INTERNAL}. */
  public static ProblemType of(Throwable error) {
    for (ProblemType type : THROWN) {
      if (type.exception.isInstance(error)) {
        return type;
      }
    }
    return INTERNAL;
  }
}
