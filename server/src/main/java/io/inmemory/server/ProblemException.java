package io.inmemory.server;

import java.util.Map;

/**
 * A request the server rejects before it reaches the engine (no route, wrong method or media type,
 * malformed JSON, body too large), with the headers the answer must carry.
 */
final class ProblemException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ProblemType type;
  private final transient Map<String, String> headers;

  ProblemException(ProblemType type, String detail) {
    this(type, detail, Map.of());
  }

  ProblemException(ProblemType type, String detail, Map<String, String> headers) {
    super(detail, null, false, false);
    this.type = type;
    this.headers = Map.copyOf(headers);
  }

  ProblemType type() {
    return type;
  }

  Map<String, String> headers() {
    return headers;
  }
}
