package io.inmemory;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * The configured extraction model could not turn a conversation into facts, so nothing of the call
 * was stored (unless the request asked to store the raw messages on failure, which the result then
 * says). A managed server answers 502 with problem type {@code extraction-failed}; the managed
 * client rebuilds this exception, so local and managed runtimes throw the same. Immutable.
 */
public class ExtractionException extends InMemoryException {
  private static final long serialVersionUID = 1L;

  /** Why the model call failed. */
  public enum Reason {
    /** The model endpoint could not be reached or answered a server error. */
    UNAVAILABLE,
    /** The model did not answer within the configured deadline. */
    TIMEOUT,
    /** The endpoint refused for rate or quota; see {@link #retryAfter()}. */
    RATE_LIMITED,
    /** The endpoint rejected the request (authentication, unknown model, bad parameters). */
    REJECTED,
    /** The answer was not of the required form, even after one repair attempt. */
    MALFORMED,
    /** The model declined to answer. */
    REFUSED
  }

  private final Reason reason;
  private final @Nullable Integer upstreamStatus;
  private final @Nullable Duration retryAfter;

  /**
   * @param upstreamStatus the model endpoint's HTTP status, or {@code null} when there was none
   * @param retryAfter how long the endpoint asked to wait, or {@code null} when it did not say
   */
  public ExtractionException(Reason reason, String message, @Nullable Integer upstreamStatus,
      @Nullable Duration retryAfter, @Nullable Throwable cause) {
    super(message);
    if (cause != null) {
      initCause(cause);
    }
    this.reason = Objects.requireNonNull(reason, "reason");
    this.upstreamStatus = upstreamStatus;
    this.retryAfter = retryAfter;
  }

  public ExtractionException(Reason reason, String message) {
    this(reason, message, null, null, null);
  }

  public Reason reason() {
    return reason;
  }

  /** The model endpoint's HTTP status, when it answered one. */
  public OptionalInt upstreamStatus() {
    return upstreamStatus == null ? OptionalInt.empty() : OptionalInt.of(upstreamStatus);
  }

  /** How long the endpoint asked to wait before a retry, when it said. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
