package io.inmemory.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inmemory.server.Route.Access;
import io.inmemory.wire.ProblemType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Path templates, method matching, trailing slashes, 404 and 405. */
class RouterTest {
  private static Route route(String method, String template, String id) {
    return new Route(method, template, id, id, "t", Access.PUBLIC, List.of(), null, 200, null,
        call -> id);
  }

  private final Router router = new Router(List.of(
      route("GET", "/v1/memories", "list"),
      route("POST", "/v1/memories", "add"),
      route("GET", "/v1/memories/{memory_id}", "get"),
      route("POST", "/v1/memories/search", "search"),
      route("GET", "/v1/memories/{memory_id}/history", "history")));

  @Test
  void matchesTemplatesAndBindsParameters() {
    Router.Match match = router.match("GET", "/v1/memories/abc-1");
    assertThat(match.route().operationId()).isEqualTo("get");
    assertThat(match.params()).containsEntry("memory_id", "abc-1");
    assertThat(router.match("GET", "/v1/memories/abc/history").params())
        .containsEntry("memory_id", "abc");
  }

  @Test
  void acceptsPathsWithAndWithoutTrailingSlash() {
    assertThat(router.match("GET", "/v1/memories/").route().operationId()).isEqualTo("list");
    assertThat(router.match("GET", "/v1/memories").route().operationId()).isEqualTo("list");
    assertThat(router.match("GET", "/v1/memories/x/").route().operationId()).isEqualTo("get");
  }

  @Test
  void literalSegmentsBeatParameters() {
    assertThat(router.match("POST", "/v1/memories/search").route().operationId())
        .isEqualTo("search");
  }

  @Test
  void unknownPathIsNoRouteAndWrongMethodIsMethodNotAllowed() {
    assertThatThrownBy(() -> router.match("GET", "/v1/other"))
        .isInstanceOfSatisfying(ProblemException.class,
            e -> assertThat(e.type()).isEqualTo(ProblemType.NO_ROUTE));
    assertThatThrownBy(() -> router.match("GET", "/v1/memories//history"))
        .isInstanceOfSatisfying(ProblemException.class,
            e -> assertThat(e.type()).isEqualTo(ProblemType.NO_ROUTE));
    assertThatThrownBy(() -> router.match("DELETE", "/v1/memories/search"))
        .isInstanceOfSatisfying(ProblemException.class, e -> {
          assertThat(e.type()).isEqualTo(ProblemType.METHOD_NOT_ALLOWED);
          assertThat(e.headers().get("Allow")).isEqualTo("GET, POST");
        });
  }

  @Test
  void duplicateRoutesAreRejected() {
    assertThatThrownBy(() -> new Router(List.of(route("GET", "/a/{x}", "one"),
        route("GET", "/a/{y}", "two")))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Router(List.of(route("GET", "/a", "same"),
        route("POST", "/a", "same")))).isInstanceOf(IllegalArgumentException.class);
  }
}
