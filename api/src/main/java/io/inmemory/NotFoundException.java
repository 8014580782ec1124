package io.inmemory;

/**
 * The memory (or other resource) does not exist for this user. A memory of another user is
 * reported exactly like a missing one, so ids cannot be probed across users.
 */
public class NotFoundException extends InMemoryException {
  private static final long serialVersionUID = 1L;

  public NotFoundException(String message) {
    super(message);
  }
}
