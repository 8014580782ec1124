package io.inmemory;

/** The credentials are missing, malformed, expired or revoked (HTTP 401). Use a valid API key. */
public class AuthenticationException extends InMemoryException {
  private static final long serialVersionUID = 1L;

  public AuthenticationException(String message) {
    super(message);
  }
}
