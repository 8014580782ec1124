package io.inmemory.samples.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inmemory.InMemoryConfig;
import io.inmemory.TransportException;
import io.inmemory.llm.openai.testing.ScriptedOpenAi;
import io.inmemory.llm.openai.testing.ScriptedOpenAi.Answer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample as a user starts it: without a model configured (its real {@code main} in a JVM of
 * its own), and with one — LangChain4j's real OpenAI client against a scripted OpenAI-compatible
 * endpoint on a loopback port, the local engine with offline embeddings on the file store in a
 * temporary directory — over two runs, the second recalling what the first was told.
 */
class LangChain4jAssistantTest {

  @TempDir
  Path dir;

  /** What one in-process run printed, and its exit status. */
  record Run(int status, String out, String err) {
  }

  private Run run(Map<String, String> env, String input, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    InMemoryConfig config = InMemoryConfig.builder().isolated()
        .set("inmemory.mode", "local")
        .set("inmemory.store", "file")
        .set("inmemory.store.file.dir", dir.resolve("memory").toString())
        .build();
    int status = LangChain4jAssistant.run(args, env, config,
        new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(status, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  /** How a child JVM of the sample ended: whether in time, its status, what it printed. */
  record Child(boolean exited, int status, String out, String err) {
  }

  /**
   * The sample's real {@code main} for user {@code alice} in a JVM of its own, with
   * {@code options} before its class path, {@code environment} changing its environment (a copy of
   * this JVM's) and {@code input} as its standard input; killed after 60 s.
   */
  private Child child(List<String> options, Consumer<Map<String, String>> environment,
      String input) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(options);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"),
        LangChain4jAssistant.class.getName(), "alice"));
    Path stdout = dir.resolve("stdout.txt");
    Path stderr = dir.resolve("stderr.txt");
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectInput(Files.writeString(dir.resolve("stdin.txt"), input).toFile())
        .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
    environment.accept(builder.environment());
    Process process = builder.start();
    boolean exited = process.waitFor(60, TimeUnit.SECONDS);
    if (!exited) {
      process.destroyForcibly().waitFor();
    }
    return new Child(exited, process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
        Files.readString(stderr, StandardCharsets.UTF_8));
  }

  @Test
  void withoutAModelTheJarSaysWhichVariablesItNeedsAndExits2() throws Exception {
    Child child = child(List.of("-Duser.home=" + dir),
        env -> env.keySet().removeIf(name -> name.startsWith("OPENAI_")), "");
    String printed = child.err();

    assertThat(child.exited()).as(printed).isTrue();
    assertThat(child.status()).as(printed).isEqualTo(2);
    assertThat(printed).startsWith(
        "Missing environment variables OPENAI_API_KEY and OPENAI_MODEL.")
        .contains("OPENAI_BASE_URL  optional")
        .contains("For example:")
        .contains("OPENAI_API_KEY=sk-... OPENAI_MODEL=gpt-4o-mini java -jar"
            + " inmemory-langchain4j-assistant.jar alice");
    assertThat(child.out()).isEmpty();
  }

  @Test
  void theJarReportsAnEndpointThatCannotBeReachedInOneLineNotAStackTrace() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    String baseUrl = "http://127.0.0.1:" + closedPort + "/v1";
    Child child = child(List.of("-Dinmemory.store.file.dir=" + dir.resolve("memory")),
        env -> env.putAll(Map.of("OPENAI_BASE_URL", baseUrl, "OPENAI_API_KEY", "test-key",
            "OPENAI_MODEL", "scripted-model")), "Hello?\n");
    String printed = child.err();

    assertThat(child.exited()).as(printed).isTrue();
    assertThat(child.status()).as(printed).isZero();
    assertThat(printed).doesNotContain("\tat ").doesNotContain("test-key")
        .contains("The turn failed: ").contains("(endpoint " + baseUrl + ", model scripted-model;"
            + " check OPENAI_BASE_URL, OPENAI_API_KEY and OPENAI_MODEL)");
  }

  @Test
  void anInvalidInMemorySettingIsPrintedWithStatus2NotAStackTrace() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = LangChain4jAssistant.run(new String[] {"alice"},
        Map.of("OPENAI_API_KEY", "k", "OPENAI_MODEL", "m"),
        InMemoryConfig.builder().isolated().set("inmemory.mode", "local")
            .set("inmemory.store", "file")
            .set("inmemory.store.file.dir", dir.resolve("memory").toString())
            .set("inmemory.max-memory-size", "lots").build(),
        new ByteArrayInputStream(new byte[0]), System.out,
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("InMemory could not start:"
        + " inmemory.max-memory-size (from the builder): 'lots' is not a size such as 1048576,"
        + " 512KB or 1MB\n");
  }

  @Test
  void aFailureOfMemoryPointsAtInMemorysSettingsNotTheModelsVariables() {
    String message = LangChain4jAssistant.failedTurn(new RuntimeException(new TransportException(
        "POST /v1/memories/search to http://127.0.0.1:7: could not connect",
        new java.net.ConnectException())), "endpoint http://model, model m");
    assertThat(message).isEqualTo("The turn failed: POST /v1/memories/search to"
        + " http://127.0.0.1:7: could not connect: ConnectException ("
        + LangChain4jAssistant.IN_MEMORY_SETTINGS + ")");
  }

  @Test
  void eachMissingVariableIsNamedAndABadUserIdIsRefused() {
    Run noModel = run(Map.of("OPENAI_API_KEY", "k", "OPENAI_MODEL", " "), "");
    assertThat(noModel.status()).isEqualTo(2);
    assertThat(noModel.err()).startsWith("Missing environment variable OPENAI_MODEL.\n");

    Run badUser = run(Map.of("OPENAI_API_KEY", "k", "OPENAI_MODEL", "m"), "", "not a user id");
    assertThat(badUser.status()).isEqualTo(2);
    assertThat(badUser.err()).startsWith("Invalid user id 'not a user id': ");
  }

  @Test
  void whatOneRunIsToldALaterRunRecalls() {
    try (ScriptedOpenAi openAi = ScriptedOpenAi.start()) {
      Map<String, String> env = Map.of("OPENAI_BASE_URL", openAi.baseUrl(),
          "OPENAI_API_KEY", "test-key", "OPENAI_MODEL", "scripted-model");
      openAi.onChat(Answer.text("Noted."));

      Run first = run(env, "I am allergic to peanuts.\n", "alice");

      assertThat(first.status()).as(first.err()).isZero();
      assertThat(first.out()).contains("Assistant for alice, conversation chat-")
          .contains("assistant> Noted.");

      openAi.onChat(Answer.text("Avoid peanuts."));
      Run second = run(env, "Which snacks are dangerous for me?\n", "alice");

      assertThat(second.status()).as(second.err()).isZero();
      assertThat(second.out()).contains("assistant> Avoid peanuts.");
      JsonNode request = openAi.chatRequests().get(1).json();
      assertThat(request.path("model").asText()).isEqualTo("scripted-model");
      assertThat(openAi.chatRequests().get(1).header("Authorization")).hasValue("Bearer test-key");
      // a new conversation: system and user message only, the fact recalled into the latter
      assertThat(request.path("messages")).hasSize(2);
      assertThat(openAi.chatRequests().get(1).messageContent(1))
          .startsWith("Which snacks are dangerous for me?")
          .contains("I am allergic to peanuts.");
      assertThat(request.path("tools").findValuesAsText("name"))
          .contains("remember", "recall", "forget");
    }
  }

  @Test
  void aFailedTurnIsReportedAndTheConversationGoesOn() {
    try (ScriptedOpenAi openAi = ScriptedOpenAi.start()) {
      Map<String, String> env = Map.of("OPENAI_BASE_URL", openAi.baseUrl(),
          "OPENAI_API_KEY", "wrong-key", "OPENAI_MODEL", "scripted-model");
      openAi.onChat(Answer.status(401,
          "{\"error\":{\"message\":\"Incorrect API key provided\",\"type\":\"invalid_request_error\"}}"));
      openAi.onChat(Answer.text("Hello again."));

      Run run = run(env, "Hello?\nHello again?\n", "bob", "c1");

      assertThat(run.status()).isZero();
      assertThat(run.err()).startsWith("The turn failed: ").contains("Incorrect API key provided");
      assertThat(run.out()).contains("Assistant for bob, conversation c1.")
          .contains("assistant> Hello again.");
    }
  }
}
