package io.inmemory.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inmemory.server.TestServer.Answer;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The OpenAPI document matches the route table exactly; the docs serve Swagger UI. */
class OpenApiAndDocsTest {

  private static Set<String> operations(JsonNode document) {
    Set<String> operations = new HashSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> paths = document.get("paths").fields();
        paths.hasNext(); ) {
      Map.Entry<String, JsonNode> path = paths.next();
      path.getValue().fieldNames().forEachRemaining(method ->
          operations.add(method.toUpperCase() + " " + path.getKey()));
    }
    return operations;
  }

  @Test
  void everyRouteIsDocumentedAndNothingElse() {
    try (TestServer server = new TestServer()) {
      Answer answer = server.get("/openapi.json", null);
      assertThat(answer.status()).isEqualTo(200);
      JsonNode document = answer.json();
      assertThat(document.get("openapi").asText()).startsWith("3.");

      Set<String> routes = new HashSet<>();
      server.server.routes().forEach(
          route -> routes.add(route.method() + " " + route.template()));
      assertThat(operations(document)).isEqualTo(routes);
      assertThat(routes).contains("POST /v1/auth/generate-key", "GET /v1/auth/keys",
          "DELETE /v1/auth/revoke-key", "POST /v1/memories", "POST /v1/memories/search",
          "GET /v1/memories", "GET /v1/memories/{memory_id}", "PUT /v1/memories/{memory_id}",
          "DELETE /v1/memories/{memory_id}", "GET /v1/memories/{memory_id}/history",
          "DELETE /v1/memories", "POST /v1/memories/temporal-search",
          "POST /v1/memories/tag-search", "POST /v1/memories/people-search",
          "GET /v1/users/{user_id}/stats", "GET /v1/users/current", "GET /v1/ping",
          "GET /v1/health", "GET /openapi.json", "GET /docs", "GET /metrics");

      // every documented route answers something other than no-route
      for (String operation : routes) {
        String[] parts = operation.split(" ");
        String path = parts[1].replaceAll("\\{[a-z_]+\\}", "x");
        Answer probe = server.send(parts[0], path, null, null);
        if (probe.json() != null && probe.json().has("type")) {
          assertThat(probe.problemType()).as(operation)
              .isNotEqualTo("urn:inmemory:problem:no-route");
        }
      }
    }
  }

  /** swagger-parser reads the document without a message and finds every served route in it. */
  @Test
  void aRealParserAcceptsTheDocumentWithEveryRoute() {
    try (TestServer server = new TestServer()) {
      Answer answer = server.get("/openapi.json", null);
      SwaggerParseResult result = parse(answer.response().body());
      assertThat(result.getMessages()).isEmpty();
      OpenAPI parsed = result.getOpenAPI();
      assertThat(parsed.getInfo().getTitle()).isEqualTo("InMemory API");

      Set<String> documented = new HashSet<>();
      parsed.getPaths().forEach((path, item) -> item.readOperationsMap().forEach(
          (method, operation) -> documented.add(method.name() + " " + path)));
      List<Route> routes = server.server.routes();
      assertThat(routes).isNotEmpty().allSatisfy(route ->
          assertThat(documented).contains(route.method() + " " + route.template()));
      assertThat(documented).hasSameSizeAs(routes);

      // the parser does report defects: a path parameter left undeclared
      ObjectNode broken = (ObjectNode) answer.json().deepCopy();
      ((ObjectNode) broken.at("/paths/~1v1~1memories~1{memory_id}/get")).remove("parameters");
      assertThat(parse(broken.toString()).getMessages())
          .anySatisfy(message -> assertThat(message).contains("memory_id"));
    }
  }

  private static SwaggerParseResult parse(String document) {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    return new OpenAPIV3Parser().readContents(document, null, options);
  }

  @Test
  void everySchemaReferenceResolves() {
    try (TestServer server = new TestServer()) {
      String text = server.get("/openapi.json", null).response().body();
      JsonNode schemas = server.get("/openapi.json", null).json().at("/components/schemas");
      Matcher refs = Pattern.compile("#/components/schemas/([A-Za-z]+)").matcher(text);
      int count = 0;
      while (refs.find()) {
        assertThat(schemas.has(refs.group(1))).as(refs.group(1)).isTrue();
        count++;
      }
      assertThat(count).isGreaterThan(20);
    }
  }

  @Test
  void docsServeSwaggerUiFromTheWebjar() {
    try (TestServer server = new TestServer()) {
      Answer page = server.get("/docs/", null);
      assertThat(page.status()).isEqualTo(200);
      assertThat(page.header("Content-Type")).startsWith("text/html");
      assertThat(page.response().body()).contains("/openapi.json", "swagger-ui-bundle.js");
      Answer css = server.get("/docs/swagger-ui.css", null);
      assertThat(css.status()).isEqualTo(200);
      assertThat(css.response().body()).contains(".swagger-ui");
      assertThat(server.get("/docs/oauth2-redirect.html", null).status()).isEqualTo(404);
    }
  }

  @Test
  void docsCanBeTurnedOff() {
    try (TestServer server = new TestServer(config ->
        config.set(ServerSettings.ENABLE_DOCS.name(), "false"))) {
      assertThat(server.get("/docs", null).status()).isEqualTo(404);
      assertThat(server.get("/openapi.json", null).json().at("/paths").has("/docs")).isFalse();
    }
  }
}
