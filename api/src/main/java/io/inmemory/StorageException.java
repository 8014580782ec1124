package io.inmemory;

/**
 * The store failed to read or write (disk full, database down, corrupted file). The operation did
 * not take effect unless the message says otherwise. Usually worth a retry later or an alert; a
 * managed server answers 503.
 */
public class StorageException extends InMemoryException {
  private static final long serialVersionUID = 1L;

  public StorageException(String message) {
    super(message);
  }

  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
