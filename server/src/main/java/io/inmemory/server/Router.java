package io.inmemory.server;

import io.inmemory.wire.ProblemType;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Matches a method and path against the route table. Paths are matched segment by segment, with
 * and without a trailing slash; a literal segment beats a parameter at the same position, so
 * {@code /v1/memories/search} is never taken for a memory id. A path no route matches is
 * {@link ProblemType#NO_ROUTE}; a path matched under other methods only is
 * {@link ProblemType#METHOD_NOT_ALLOWED} with an {@code Allow} header. Immutable, thread-safe.
 */
final class Router {
  private final List<Route> routes;

  Router(List<Route> routes) {
    this.routes = List.copyOf(routes);
    Set<String> seen = new LinkedHashSet<>();
    Set<String> operations = new LinkedHashSet<>();
    for (Route route : routes) {
      String shape = route.method() + " " + route.template().replaceAll("\\{[a-z_]+\\}", "{}");
      if (!seen.add(shape) || !operations.add(route.operationId())) {
        throw new IllegalArgumentException("duplicate route " + route.method() + " "
            + route.template() + " (" + route.operationId() + ")");
      }
    }
  }

  List<Route> routes() {
    return routes;
  }

  /** A matched route and its decoded path parameters. */
  record Match(Route route, Map<String, String> params) {}

  Match match(String method, String path) {
    List<String> segments = segments(path);
    Match best = null;
    int bestLiterals = -1;
    Set<String> allowed = new LinkedHashSet<>();
    for (Route route : routes) {
      Map<String, String> params = bind(route.segments(), segments);
      if (params == null) {
        continue;
      }
      if (!route.method().equals(method)) {
        allowed.add(route.method());
        continue;
      }
      int literals = route.segments().size() - params.size();
      if (literals > bestLiterals) {
        best = new Match(route, params);
        bestLiterals = literals;
      }
    }
    if (best != null) {
      return best;
    }
    if (!allowed.isEmpty()) {
      throw new ProblemException(ProblemType.METHOD_NOT_ALLOWED,
          method + " is not allowed on " + path + "; allowed: " + String.join(", ", allowed),
          Map.of("Allow", String.join(", ", allowed)));
    }
    throw new ProblemException(ProblemType.NO_ROUTE, "No endpoint at " + path);
  }

  private static List<String> segments(String path) {
    String trimmed = path.endsWith("/") && path.length() > 1
        ? path.substring(0, path.length() - 1) : path;
    if (!trimmed.startsWith("/")) {
      return List.of();
    }
    return List.of(trimmed.substring(1).split("/", -1));
  }

  /** The path parameters when the path fits the template, else null. */
  private static @Nullable Map<String, String> bind(List<String> template, List<String> path) {
    if (template.size() != path.size()) {
      return null;
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < template.size(); i++) {
      String expected = template.get(i);
      String actual = path.get(i);
      if (expected.startsWith("{")) {
        if (actual.isEmpty()) {
          return null;
        }
        params.put(expected.substring(1, expected.length() - 1), actual);
      } else if (!expected.equals(actual)) {
        return null;
      }
    }
    return params;
  }
}
