package io.inmemory.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.inmemory.AuthenticationException;
import io.inmemory.ConflictException;
import io.inmemory.ExtractionException;
import io.inmemory.InMemoryException;
import io.inmemory.NotFoundException;
import io.inmemory.PermissionDeniedException;
import io.inmemory.RateLimitedException;
import io.inmemory.StorageException;
import io.inmemory.wire.MemoryJson;
import io.inmemory.wire.RequestJson;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ToolCallTest {
  private final ToolCall call = new ToolCall(new ObjectMapper(), McpSettings.none());

  @Test
  void answersTheBodysMapAsJsonText() {
    CallToolResult result = call.run("echo", Map.of("memory_content", "tea"),
        body -> Map.of("read", body.string(MemoryJson.CONTENT)));

    assertThat(result.isError()).isFalse();
    assertThat(text(result)).isEqualTo("{\"read\":\"tea\"}");
  }

  @Test
  void noArgumentsReadAsAnEmptyBody() throws Exception {
    CallToolResult result = call.run("add", null, body -> Map.of("add",
        RequestJson.add(body)));

    assertThat(result.isError()).isTrue();
    assertThat(text(result)).startsWith("Invalid request: content: must not be blank;");
    assertThat(violations(result)).containsEntry("content", "must not be blank")
        .containsKey("userId");
  }

  @Test
  void invalidArgumentsListEveryViolationWithTheApisFieldNames() throws Exception {
    CallToolResult result = call.run("add", Map.of("memory_content", 7, "user_id", "u",
        "created_at", "yesterday", "colour", "blue"), body -> Map.of("add",
        RequestJson.add(body)));

    assertThat(result.isError()).isTrue();
    assertThat(violations(result)).containsEntry("content", "must be a string")
        .containsKeys("createdAt", "colour");
  }

  /** The violations a tool error lists on its second line, problem by field. */
  private static Map<String, String> violations(CallToolResult result) throws Exception {
    String[] lines = text(result).split("\n");
    assertThat(lines).hasSize(2);
    Map<String, String> violations = new LinkedHashMap<>();
    new ObjectMapper().readTree(lines[1]).path("violations").forEach(violation ->
        violations.put(violation.path("field").asText(), violation.path("problem").asText()));
    return violations;
  }

  static Stream<Arguments> failures() {
    return Stream.of(
        Arguments.of(new NotFoundException("memory m1 does not exist"),
            "Not found: memory m1 does not exist"),
        Arguments.of(new AuthenticationException("invalid API key"),
            "Unauthenticated: invalid API key"),
        Arguments.of(new PermissionDeniedException("read-only key"),
            "Forbidden: read-only key"),
        Arguments.of(new ConflictException("changed meanwhile"), "Conflict: changed meanwhile"),
        Arguments.of(new RateLimitedException("slow down", Duration.ofSeconds(3)),
            "Too many requests: slow down"),
        Arguments.of(new StorageException("disk full"), "Storage unavailable: disk full"),
        Arguments.of(new InMemoryException("engine closed"),
            "Internal server error: engine closed"),
        Arguments.of(new ExtractionException(ExtractionException.Reason.TIMEOUT, "no answer"),
            "Extraction failed: no answer\n{\"reason\":\"timeout\"}"));
  }

  @ParameterizedTest
  @MethodSource("failures")
  void everyInMemoryExceptionIsAToolErrorWithItsProblemsTitleAndMessage(
      InMemoryException failure, String expected) {
    CallToolResult result = call.run("fail", Map.of(), body -> {
      throw failure;
    });

    assertThat(result.isError()).isTrue();
    assertThat(text(result)).isEqualTo(expected);
  }

  @Test
  void anyOtherExceptionIsAnInternalToolErrorNotAThrownOne() {
    CallToolResult result = call.run("bug", Map.of(), body -> {
      throw new IllegalStateException("secret detail");
    });

    assertThat(result.isError()).isTrue();
    assertThat(text(result)).isEqualTo("internal error: java.lang.IllegalStateException");
  }

  private static String text(CallToolResult result) {
    assertThat(result.content()).hasSize(1);
    return ((TextContent) result.content().get(0)).text();
  }

}
