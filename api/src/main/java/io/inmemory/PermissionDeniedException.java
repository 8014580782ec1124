package io.inmemory;

/** The credentials are valid but lack the scope for this operation (HTTP 403). */
public class PermissionDeniedException extends InMemoryException {
  private static final long serialVersionUID = 1L;

  public PermissionDeniedException(String message) {
    super(message);
  }
}
