package io.inmemory.server;

import io.inmemory.InvalidRequestException;
import io.inmemory.InvalidRequestException.Violation;
import io.inmemory.wire.ProblemType;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;

/**
 * Parses a request's query string, and holds it to its route: a parameter the route does not take,
 * one given twice or given empty is refused, never ignored — a misspelt {@code sesion_id} on a
 * delete must not widen it to every session. Stateless.
 */
final class QueryParameters {
  private QueryParameters() {}

  /**
   * The query parameters of {@code request}.
   *
   * @throws ProblemException a 400 {@link ProblemType#PROTOCOL} problem when the query string is
   *     not valid percent-encoded UTF-8 (for example {@code %FF} or an overlong {@code %C0%AF})
   */
  static Fields of(Request request, Route route) {
    Fields query = parse(request);
    List<String> taken = route.query().stream().map(Route.Param::name).toList();
    List<Violation> problems = new ArrayList<>();
    for (Fields.Field field : query) {
      String name = field.getName();
      if (!taken.contains(name)) {
        problems.add(new Violation(name, taken.isEmpty()
            ? "is not a parameter of this route, which takes none"
            : "is not a parameter of this route, which takes: " + String.join(", ", taken)));
      } else if (field.getValues().size() > 1) {
        problems.add(new Violation(name, "is given " + field.getValues().size()
            + " times: give it once"));
      } else if (field.getValue().isEmpty()) {
        problems.add(new Violation(name, "is empty: give a value or leave it out"));
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidRequestException(problems);
    }
    return query;
  }

  private static Fields parse(Request request) {
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
