package io.inmemory.server;

import io.inmemory.wire.ProblemType;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;

/** Parses a request's query string. Stateless. */
final class QueryParameters {
  private QueryParameters() {}

  /**
   * The query parameters of {@code request}.
   *
   * @throws ProblemException a 400 {@link ProblemType#PROTOCOL} problem when the query string is
   *     not valid percent-encoded UTF-8 (for example {@code %FF} or an overlong {@code %C0%AF})
   */
  static Fields of(Request request) {
    try {
      return Request.extractQueryParameters(request);
    } catch (IllegalArgumentException | IllegalStateException e) {
      // Jetty reports a bad query string as an unchecked HttpException; others are real bugs
      if (!(e instanceof HttpException)) {
        throw e;
      }
      throw new ProblemException(ProblemType.PROTOCOL, 400,
          "The query string is not valid percent-encoded UTF-8");
    }
  }
}
