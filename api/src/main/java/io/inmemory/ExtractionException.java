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
    UNAVAILABLE("the model endpoint could not be reached or answered a server error"),
    /** The model did not answer within the configured deadline. */
    TIMEOUT("the model did not answer within the configured deadline"),
    /** The endpoint refused for rate or quota; see {@link #retryAfter()}. */
    RATE_LIMITED("the model endpoint refused for rate or quota"),
    /** The endpoint rejected the request (authentication, unknown model, bad parameters). */
    REJECTED("the model endpoint rejected the request (authentication, unknown model or bad"
        + " parameters)"),
    /** The answer was not of the required form, even after one repair attempt. */
    MALFORMED("the model's answer was not of the required form, even after one repair attempt"),
    /** The model declined to answer. */
    REFUSED("the model declined to answer");

    private final String description;

    Reason(String description) {
      this.description = description;
    }
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

  /**
   * What failed, without what the message may quote (the model's answer, which can repeat the
   * conversation; the endpoint's address and error text): for answers and logs that leave the
   * process, such as the server's.
   */
  public String summary() {
    return "Extraction failed: " + reason.description
        + (upstreamStatus == null ? "" : " (HTTP " + upstreamStatus + ")")
        + (retryAfter == null ? "" : "; retry after " + retryAfter.toSeconds() + " s");
  }
}
