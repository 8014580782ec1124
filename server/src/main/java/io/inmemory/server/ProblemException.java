package io.inmemory.server;

import io.inmemory.wire.ProblemType;
import java.util.Map;

/**
 * A request the server rejects before it reaches the engine (no route, wrong method or media type,
 * malformed JSON or query string, body too large or too slow), with the headers the answer must
 * carry and its status: the type's own, or another 4xx for {@link ProblemType#PROTOCOL}.
 */
final class ProblemException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ProblemType type;
  private final int status;
  private final transient Map<String, String> headers;

  ProblemException(ProblemType type, String detail) {
    this(type, detail, Map.of());
  }

  ProblemException(ProblemType type, String detail, Map<String, String> headers) {
    this(type, type.status(), detail, headers);
  }

  /** A problem answered with {@code status} instead of the type's own. */
  ProblemException(ProblemType type, int status, String detail) {
    this(type, status, detail, Map.of());
  }

  private ProblemException(ProblemType type, int status, String detail,
      Map<String, String> headers) {
    super(detail, null, false, false);
    this.type = type;
    this.status = status;
    this.headers = Map.copyOf(headers);
  }

  ProblemType type() {
    return type;
  }

  int status() {
    return status;
  }

  Map<String, String> headers() {
    return headers;
  }
}
