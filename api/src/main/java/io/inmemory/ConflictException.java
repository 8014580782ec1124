package io.inmemory;

/** The request conflicts with the current state, for example a duplicate id (HTTP 409). */
public class ConflictException extends InMemoryException {
  private static final long serialVersionUID = 1L;

  public ConflictException(String message) {
    super(message);
  }
}
