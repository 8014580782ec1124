package io.inmemory.transport.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.inmemory.AuthenticationException;
import io.inmemory.ConflictException;
import io.inmemory.ContentTooLargeException;
import io.inmemory.InMemoryException;
import io.inmemory.InvalidRequestException;
import io.inmemory.NotFoundException;
import io.inmemory.PermissionDeniedException;
import io.inmemory.RateLimitedException;
import io.inmemory.StorageException;
import io.inmemory.TransportException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns a server's {@code application/problem+json} answer into the exception the local engine
 * throws for the same mistake, by the problem's {@code type} (never by status alone: 404 is both
 * a missing memory and a missing endpoint). Unknown types are {@link TransportException}s.
 */
final class Problems {
  static final String TYPE_PREFIX = "urn:inmemory:problem:";

  private Problems() {}

  /**
   * The exception for a problem document.
   *
   * @param retryAfter the {@code Retry-After} header, used when the body carries no delay
   */
  static InMemoryException toException(int status, JsonNode problem,
      Optional<Duration> retryAfter) {
    String type = problem.path("type").asText("");
    String detail = problem.path("detail").asText(problem.path("title").asText("HTTP " + status));
    String kind = type.startsWith(TYPE_PREFIX) ? type.substring(TYPE_PREFIX.length()) : "";
    return switch (kind) {
      case "validation", "malformed-json", "unsupported-media-type", "request-too-large" ->
          new InvalidRequestException(violations(problem, detail));
      case "content-too-large" -> problem.hasNonNull("size") && problem.hasNonNull("max_size")
          ? new ContentTooLargeException(violations(problem, detail),
              problem.get("size").asLong(), problem.get("max_size").asLong())
          : new InvalidRequestException(violations(problem, detail));
      case "authentication" -> new AuthenticationException(detail);
      case "permission-denied" -> new PermissionDeniedException(detail);
      case "not-found" -> new NotFoundException(detail);
      case "conflict", "idempotency-key-reused" -> new ConflictException(detail);
      case "rate-limited", "overloaded" -> new RateLimitedException(detail,
          problem.hasNonNull("retry_after_seconds")
              ? Duration.ofSeconds(problem.get("retry_after_seconds").asLong())
              : retryAfter.orElse(Duration.ZERO));
      case "storage-unavailable" -> new StorageException(detail);
      case "internal" -> new InMemoryException(detail);
      default -> new TransportException(detail, status);
    };
  }

  private static List<InvalidRequestException.Violation> violations(JsonNode problem,
      String detail) {
    List<InvalidRequestException.Violation> violations = new ArrayList<>();
    problem.path("violations").forEach(violation -> violations.add(
        new InvalidRequestException.Violation(violation.path("field").asText("request"),
            violation.path("problem").asText(detail))));
    if (violations.isEmpty()) {
      violations.add(new InvalidRequestException.Violation("request", detail));
    }
    return violations;
  }
}
