package io.inmemory.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.jspecify.annotations.Nullable;

/** Reaching an MCP server over streamable HTTP: the SDK's client, or one raw request. */
final class McpHttp {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The handshake a host opens with. */
  static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\","
      + "\"params\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},"
      + "\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}";

  private McpHttp() {}

  /** The SDK's client of {@code endpoint}, sending {@code key} as a bearer when not null. */
  static McpSyncClient client(URI endpoint, @Nullable String key) {
    HttpClientStreamableHttpTransport.Builder transport = HttpClientStreamableHttpTransport
        .builder(endpoint.resolve("/").toString()).endpoint(endpoint.getPath())
        .jsonMapper(new JacksonMcpJsonMapper(JSON));
    if (key != null) {
      transport.httpRequestCustomizer((request, method, uri, body, context) ->
          request.header("Authorization", "Bearer " + key));
    }
    return McpClient.sync(transport.build()).requestTimeout(Duration.ofSeconds(60)).build();
  }

  /**
   * Asserts that {@code call} fails as the SDK's client fails on a 401 or 403 answer (its
   * authorization error, thrown as it is or as the cause of a wrapper).
   */
  static void assertRefusedAuthorization(ThrowingCallable call) {
    Throwable thrown = Assertions.catchThrowable(call);
    while (thrown != null && thrown.getCause() != null) {
      thrown = thrown.getCause();
    }
    Assertions.assertThat(thrown)
        .isInstanceOf(McpHttpClientTransportAuthorizationException.class);
  }

  /** {@link #INITIALIZE} posted to {@code endpoint} with {@code headers}, as a host posts it. */
  static HttpResponse<String> initialize(URI endpoint, Map<String, String> headers)
      throws IOException, InterruptedException {
    return post(endpoint, headers, INITIALIZE);
  }

  /** {@code body} posted to {@code endpoint} with {@code headers}, as a host posts a message. */
  static HttpResponse<String> post(URI endpoint, Map<String, String> headers, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
        .header("Content-Type", "application/json")
        .header("Accept", "application/json, text/event-stream")
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The JSON-RPC message of a reply sent as server-sent events (its {@code data:} line). */
  static JsonNode event(HttpResponse<String> reply) throws IOException {
    for (String line : reply.body().split("\n")) {
      if (line.startsWith("data:")) {
        return JSON.readTree(line.substring("data:".length()));
      }
    }
    throw new AssertionError("no event in " + reply.statusCode() + " " + reply.body());
  }
}
