package io.inmemory.mcp;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link McpMain} in a JVM of its own, driven over stdio by the SDK's own client, on the local
 * engine (ONNX embeddings, file store in a temporary directory): one child for the class.
 */
class StdioChildProcessTest extends McpToolsContract {
  @TempDir
  static Path store;

  private static final List<String> stderr = new CopyOnWriteArrayList<>();
  private static McpSyncClient client;

  @BeforeAll
  static void start() {
    ServerParameters child = ServerParameters.builder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString())
        .args("-Dinmemory.store=file", "-Dinmemory.store.file.dir=" + store,
            "-cp", System.getProperty("java.class.path"), McpMain.class.getName())
        .build();
    StdioClientTransport transport = new StdioClientTransport(child,
        new JacksonMcpJsonMapper(JSON));
    transport.setStdErrorHandler(stderr::add);
    client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(90)).build();
    client.initialize();
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.closeGracefully();
    }
  }

  @Override
  McpSyncClient client() {
    return client;
  }

  @Override
  String diagnostics() {
    return "stderr: " + stderr;
  }
}
