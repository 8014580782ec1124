package io.inmemory.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The API document the server serves is the reviewed one in {@code openapi-golden.json}
 * (apart from the release's version): a refactoring of the wire code cannot change a schema, a
 * member or a status unnoticed. A deliberate change to the API is a change to that file:
 * {@code -Dinmemory.openapi.golden.write=<path>} writes the served document there.
 */
class OpenApiGoldenTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theServedDocumentIsTheReviewedOne() throws IOException {
    JsonNode served;
    try (TestServer server = new TestServer()) {
      TestServer.Answer answer = server.get("/openapi.json", null);
      assertThat(answer.status()).isEqualTo(200);
      served = withoutVersion(answer.json());
    }
    String target = System.getProperty("inmemory.openapi.golden.write");
    if (target != null) {
      Files.writeString(Path.of(target),
          JSON.writerWithDefaultPrettyPrinter().writeValueAsString(served) + "\n");
    }
    JsonNode golden;
    try (InputStream in = getClass().getResourceAsStream("/openapi-golden.json")) {
      assertThat(in).as("openapi-golden.json on the test class path").isNotNull();
      golden = JSON.readTree(in);
    }
    assertThat(served).isEqualTo(golden);
  }

  private static JsonNode withoutVersion(JsonNode document) {
    ObjectNode copy = document.deepCopy();
    ((ObjectNode) copy.get("info")).put("version", "(release)");
    return copy;
  }
}
