package io.inmemory.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inmemory.ExtractionException;
import io.inmemory.InMemoryException;
import io.inmemory.InvalidRequestException;
import io.inmemory.wire.JsonBody;
import io.inmemory.wire.ProblemJson;
import io.inmemory.wire.ProblemType;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one tool's body and turns its outcome into a {@link CallToolResult}: the REST answer's JSON
 * as text, or a tool error ({@code isError}) carrying the message. The single place errors are
 * mapped: the SDK would turn a thrown exception into a JSON-RPC error, which hosts show as a
 * failed call instead of giving the model the reason, so nothing is thrown from here. Stateless
 * and thread-safe.
 */
final class ToolCall {
  private static final Logger LOG = LoggerFactory.getLogger(ToolCall.class);

  private final ObjectMapper json;
  private final McpSettings settings;

  /** Calls whose arguments get {@code settings}' pinned members. */
  ToolCall(ObjectMapper json, McpSettings settings) {
    this.json = json;
    this.settings = settings;
  }

  /**
   * Calls {@code body} with the call's arguments ({@code null} as none) and answers its result.
   *
   * @param body reads the arguments (as REST reads a request body) and calls the client; answers
   *     the REST answer's JSON map
   */
  CallToolResult run(String tool, @Nullable Map<String, Object> arguments,
      Function<JsonBody, Map<String, Object>> body) {
    try {
      ObjectNode node = json.valueToTree(arguments == null ? Map.of() : arguments);
      settings.pin(node);
      return CallToolResult.builder().addTextContent(write(body.apply(JsonBody.of(node))))
          .isError(false).build();
    } catch (InMemoryException e) {
      return error(problem(e));
    } catch (RuntimeException e) {
      // a bug of ours or of a library: the model learns the call failed, the session lives on
      LOG.error("tool {} failed", tool, e);
      return error("internal error: " + e.getClass().getName());
    }
  }

  /** The text of a tool error for {@code e}: its problem's title, message and details. */
  String problem(InMemoryException e) {
    String title = ProblemType.of(e).title();
    String message = e.getMessage();
    // InvalidRequestException's message already opens with the title
    String text = message.startsWith(title) ? message : title + ": " + message;
    if (e instanceof InvalidRequestException invalid) {
      return text + "\n" + write(ProblemJson.violations(invalid));
    }
    if (e instanceof ExtractionException failure) {
      return text + "\n" + write(ProblemJson.extraction(failure));
    }
    return text;
  }

  private String write(Map<String, Object> answer) {
    try {
      return json.writeValueAsString(answer);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an answer map is not writable as JSON", e);
    }
  }

  private static CallToolResult error(String text) {
    return CallToolResult.builder().addTextContent(text).isError(true).build();
  }
}
