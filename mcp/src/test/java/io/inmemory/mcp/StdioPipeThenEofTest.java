package io.inmemory.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host that writes all its requests at once and closes standard input at once, as a script
 * piping into the jar does: {@link McpMain} answers every request, writes nothing but JSON-RPC
 * on standard output, exits with status 0, and what it stored is there for the next process.
 */
class StdioPipeThenEofTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int FACTS = 10;

  @TempDir
  Path dir;

  @Test
  void everyRequestIsAnsweredBeforeTheProcessExitsAndTheStoreSurvivesIt() throws Exception {
    List<Map<String, Object>> adds = new ArrayList<>();
    for (int i = 1; i <= FACTS; i++) {
      adds.add(call(i, "add_memory", Map.of("memory_content", "fact number " + i,
          "user_id", "piped")));
    }
    List<JsonNode> added = run(adds);

    assertThat(added).extracting(reply -> reply.path("id").asInt())
        .containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    List<Map<String, Object>> gets = new ArrayList<>();
    for (JsonNode reply : added) {
      if (reply.path("id").asInt() > 0) {
        assertThat(reply.path("result").path("isError").asBoolean()).as(reply.toString())
            .isFalse();
        JsonNode memory = JSON.readTree(reply.path("result").path("content").get(0)
            .path("text").asText()).path("memory");
        gets.add(call(reply.path("id").asInt(), "get_memory", Map.of("memory_id",
            memory.path("id").asText(), "user_id", "piped")));
      }
    }

    List<JsonNode> read = run(gets);
    assertThat(read).hasSize(FACTS + 1);
    assertThat(read).filteredOn(reply -> reply.path("id").asInt() > 0).allSatisfy(reply ->
        assertThat(reply.path("result").path("isError").asBoolean()).as(reply.toString())
            .isFalse());
  }

  /** Runs a child that is sent initialize, then {@code requests}, then end of input. */
  private List<JsonNode> run(List<Map<String, Object>> requests) throws Exception {
    Path out = dir.resolve("out-" + System.nanoTime());
    Path err = dir.resolve("err-" + System.nanoTime());
    ProcessBuilder builder = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dinmemory.store=file", "-Dinmemory.store.file.dir=" + dir.resolve("store"),
        "-cp", System.getProperty("java.class.path"), McpMain.class.getName())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("INMEMORY_"));
    Process process = builder.start();
    try (OutputStream in = process.getOutputStream()) {
      write(in, Map.of("jsonrpc", "2.0", "id", 0, "method", "initialize", "params",
          Map.of("protocolVersion", "2025-11-25", "capabilities", Map.of(),
              "clientInfo", Map.of("name", "pipe", "version", "1"))));
      write(in, Map.of("jsonrpc", "2.0", "method", "notifications/initialized"));
      for (Map<String, Object> request : requests) {
        write(in, request);
      }
    }
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as(Files.readString(err)).isTrue();
    assertThat(process.exitValue()).as(Files.readString(err)).isZero();
    List<JsonNode> replies = new ArrayList<>();
    for (String line : Files.readAllLines(out)) {
      JsonNode message = JSON.readTree(line);
      assertThat(message.path("jsonrpc").asText()).as(line).isEqualTo("2.0");
      replies.add(message);
    }
    return replies;
  }

  private static Map<String, Object> call(int id, String tool, Map<String, Object> arguments) {
    return Map.of("jsonrpc", "2.0", "id", id, "method", "tools/call", "params",
        Map.of("name", tool, "arguments", arguments));
  }

  private static void write(OutputStream in, Map<String, Object> message) throws IOException {
    in.write((JSON.writeValueAsString(message) + "\n").getBytes(StandardCharsets.UTF_8));
  }
}
