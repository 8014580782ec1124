package io.inmemory.samples.springai;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.InMemoryConfig;
import io.inmemory.MemoryClient;
import io.inmemory.MemoryClients;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample as a user runs it: without an endpoint it says what it needs and exits with status
 * 2 (in a JVM of its own, before Spring starts); with one (a scripted OpenAI-compatible server on
 * a loopback port) it chats, and what the user said in one run is in the prompt of the next.
 */
class SpringAiAssistantTest {
  @TempDir
  Path dir;

  @Test
  void withoutTheVariablesItSaysWhatItNeedsAndExitsWithStatus2() throws Exception {
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    ProcessBuilder builder = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Duser.home=" + dir, "-cp", System.getProperty("java.class.path"),
        SpringAiAssistant.class.getName()))
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("OPENAI_"));
    Process process = builder.start();
    boolean exited = process.waitFor(60, TimeUnit.SECONDS);
    if (!exited) {
      process.destroyForcibly().waitFor();
    }
    String printed = Files.readString(err, StandardCharsets.UTF_8);

    assertThat(exited).as(printed).isTrue();
    assertThat(process.exitValue()).as(printed).isEqualTo(2);
    assertThat(printed).isEqualTo(SpringAiAssistant.usage(List.of("OPENAI_API_KEY",
        "OPENAI_MODEL")));
    assertThat(printed).startsWith("The assistant needs an OpenAI-compatible chat endpoint;"
        + " missing: OPENAI_API_KEY, OPENAI_MODEL\n");
    // Spring never started: nothing else was printed
    assertThat(Files.readString(out, StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void aMissingModelAloneIsNamed() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = SpringAiAssistant.run(new String[0], Map.of("OPENAI_API_KEY", "k"),
        new SpringAiAssistant.Terminal(new ByteArrayInputStream(new byte[0]), System.out,
            new PrintStream(err, true, StandardCharsets.UTF_8)));
    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith("The assistant needs an OpenAI-compatible chat endpoint; missing:"
            + " OPENAI_MODEL\n");
  }

  @Test
  void whatTheUserSaidInOneRunIsInThePromptOfTheNext() {
    try (ScriptedOpenAi endpoint = ScriptedOpenAi.start()) {
      endpoint.onChat(Answer.text("Noted: no peanuts."));
      endpoint.onChat(Answer.text("Avoid peanut butter cookies."));
      Map<String, String> environment = Map.of("OPENAI_BASE_URL", endpoint.baseUrl(),
          "OPENAI_API_KEY", "test-key", "OPENAI_MODEL", "scripted-model");
      String[] args = {"--inmemory.store.file.dir=" + dir.resolve("memories"),
          "--assistant.user=alice"};

      assertThat(chat(args, environment, "I am allergic to peanuts.\n"))
          .contains("Chatting as alice").contains("assistant> Noted: no peanuts.");
      assertThat(chat(args, environment, "Which snacks should I avoid?\n"))
          .contains("assistant> Avoid peanut butter cookies.");

      List<ScriptedOpenAi.Request> calls = endpoint.chatRequests();
      assertThat(calls).hasSize(2);
      assertThat(calls.get(0).header("authorization")).hasValue("Bearer test-key");
      assertThat(calls.get(0).json().path("model").asText()).isEqualTo("scripted-model");
      assertThat(calls.get(0).body()).doesNotContain("allergic to peanuts.\\n");
      // the second run is a new conversation: the fact comes from long-term memory
      assertThat(calls.get(1).json().path("messages").get(0).path("role").asText())
          .isEqualTo("system");
      assertThat(calls.get(1).json().path("messages").get(0).path("content").asText())
          .contains("I am allergic to peanuts.");
    }
  }

  @Test
  void anEndpointThatCannotBeReachedFailsTheTurnWithAMessageAndTheChatGoesOn() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    String baseUrl = "http://127.0.0.1:" + closedPort + "/v1";
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String out = chat(new String[] {"--inmemory.store.file.dir=" + dir.resolve("memories")},
        Map.of("OPENAI_BASE_URL", baseUrl, "OPENAI_API_KEY", "test-key",
            "OPENAI_MODEL", "scripted-model"),
        "Hello?\nStill there?\n", err);

    assertThat(out).contains("Chatting as demo-user").doesNotContain("assistant>");
    assertThat(err.toString(StandardCharsets.UTF_8).lines().toList()).hasSize(2)
        .allSatisfy(line -> assertThat(line).startsWith("The turn failed: ")
            .contains(String.valueOf(closedPort))
            .endsWith("(endpoint " + baseUrl + ", model scripted-model; check OPENAI_BASE_URL,"
                + " OPENAI_API_KEY and OPENAI_MODEL)")
            .doesNotContain("test-key"));
  }

  @Test
  void anInvalidSettingStopsTheAssistantWithTheProblemAndStatus2() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = SpringAiAssistant.run(new String[] {
        "--inmemory.store.file.dir=" + dir.resolve("memories"),
        "--inmemory.spring-ai.advisor.limit=0"},
        Map.of("OPENAI_API_KEY", "test-key", "OPENAI_MODEL", "scripted-model"),
        new SpringAiAssistant.Terminal(new ByteArrayInputStream(new byte[0]), System.out,
            new PrintStream(err, true, StandardCharsets.UTF_8)));
    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("The assistant could not start:"
        + " inmemory.spring-ai.advisor.limit (from the builder): 0 is not between 1 and 1000\n");
  }

  @Test
  void aStoreInUseStopsTheAssistantWithInMemorysMessageAndStatus1() {
    Path memories = dir.resolve("memories");
    try (MemoryClient holder = MemoryClients.create(InMemoryConfig.builder().isolated()
        .set("inmemory.mode", "local").set("inmemory.store", "file")
        .set("inmemory.store.file.dir", memories.toString()).build())) {
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int status = SpringAiAssistant.run(new String[] {"--inmemory.store.file.dir=" + memories},
          Map.of("OPENAI_API_KEY", "test-key", "OPENAI_MODEL", "scripted-model"),
          new SpringAiAssistant.Terminal(new ByteArrayInputStream(new byte[0]), System.out,
              new PrintStream(err, true, StandardCharsets.UTF_8)));
      assertThat(status).isEqualTo(1);
      assertThat(err.toString(StandardCharsets.UTF_8))
          .startsWith("The assistant could not start: The file store " + memories)
          .doesNotContain("Error creating bean");
    }
  }

  @Test
  void aFailureOfMemoryPointsAtInMemorysSettingsNotTheModelsVariables() {
    String message = SpringAiAssistant.failedTurn(new IllegalStateException("advisor failed",
            new TransportException("POST /v1/memories/search to http://127.0.0.1:7: could not"
                + " connect", new java.net.ConnectException())),
        new SpringAiAssistant.ModelSettings("http://model", "test-key", "scripted-model"));
    assertThat(message).isEqualTo("The turn failed: advisor failed: POST /v1/memories/search to"
        + " http://127.0.0.1:7: could not connect: ConnectException ("
        + SpringAiAssistant.IN_MEMORY_SETTINGS + ")");
  }

  private static String chat(String[] args, Map<String, String> environment, String input) {
    return chat(args, environment, input, new ByteArrayOutputStream());
  }

  /** One run of the sample in this JVM: its output; what it reports goes to {@code err}. */
  private static String chat(String[] args, Map<String, String> environment, String input,
      ByteArrayOutputStream err) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status = SpringAiAssistant.run(args, environment, new SpringAiAssistant.Terminal(
        new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8)));
    assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
    return out.toString(StandardCharsets.UTF_8);
  }
}
