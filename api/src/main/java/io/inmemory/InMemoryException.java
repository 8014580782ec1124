package io.inmemory;

/**
 * Root of every exception thrown by InMemory clients, local and managed alike.
 *
 * <p>Unchecked on purpose: callers catch the subclass that matches what they can do about it
 * ({@link InvalidRequestException}: fix the input; {@link NotFoundException}: the id is gone;
 * {@link RateLimitedException}: wait and retry; {@link StorageException} or
 * {@link TransportException}: retry later or alert). The local engine and the HTTP client throw
 * the same subclass for the same mistake.
 */
public class InMemoryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InMemoryException(String message) {
    super(message);
  }

  public InMemoryException(String message, Throwable cause) {
    super(message, cause);
  }
}
