package io.inmemory;

import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * The managed client could not complete an HTTP exchange: connection refused, timeout, or an
 * unexpected status. {@link #status()} is empty when no response arrived.
 */
public class TransportException extends InMemoryException {
  private static final long serialVersionUID = 1L;

  private final @Nullable Integer status;

  public TransportException(String message, Throwable cause) {
    super(message, cause);
    this.status = null;
  }

  public TransportException(String message, int status) {
    super(message);
    this.status = status;
  }

  /** The HTTP status of the response, or empty when no response arrived. */
  public OptionalInt status() {
    return status == null ? OptionalInt.empty() : OptionalInt.of(status);
  }
}
