package io.inmemory.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inmemory.AddRequest;
import io.inmemory.ConversationRequest;
import io.inmemory.Message;
import io.inmemory.Role;
import io.inmemory.Scope;
import io.inmemory.cli.imports.LocomoConversations.Sample;
import io.inmemory.cli.imports.LocomoConversations.TurnContent;
import io.inmemory.cli.imports.LocomoConversations;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocomoBenchTest {

  @Test
  void runsTheFixtureThroughTheEngineAndEndsWithTheSummaryLine(@TempDir Path dir)
      throws Exception {
    Path json = dir.resolve("result.json");
    String output = runMain(LocomoDatasetTest.fixture().toString(), "--json", json.toString());

    String[] lines = output.split("\n");
    String last = lines[lines.length - 1];
    assertThat(last).matches("overall recall@5=[01]\\.\\d{3} recall@10=[01]\\.\\d{3}");
    assertThat(output).endsWith(last + "\n").contains("| 4 single-hop | 4 |");

    JsonNode result = new ObjectMapper().readTree(json.toFile());
    assertThat(result.path("summary").asText()).isEqualTo(last);
    assertThat(result.path("corpus").path("memories").asInt()).isEqualTo(25);
    assertThat(result.path("corpus").path("scored").asInt()).isEqualTo(12);
    assertThat(result.path("evidence").path("skipped").asInt()).isEqualTo(2);
    JsonNode metrics = result.path("metrics");
    // every user has at most 25 memories: the top 25 holds every evidence turn
    assertThat(metrics.path("overall 1-5").path("recall").path("25").asDouble()).isEqualTo(1.0);
    // the single-hop questions name their answer's words: the evidence is in the top 5
    assertThat(metrics.path("4 single-hop").path("hit").path("5").asDouble()).isEqualTo(1.0);
    double recall5 = metrics.path("overall 1-5").path("recall").path("5").asDouble();
    assertThat(last).startsWith(String.format(Locale.ROOT, "overall recall@5=%.3f", recall5));
  }

  @Test
  void aConversationPerSessionFindsWhatATurnPerAddFinds(@TempDir Path dir) throws Exception {
    Path added = dir.resolve("add.json");
    Path conversed = dir.resolve("messages.json");
    runMain(LocomoDatasetTest.fixture().toString(), "--json", added.toString());
    runMain(LocomoDatasetTest.fixture().toString(), "--ingest", "messages", "--json",
        conversed.toString());

    JsonNode byAdd = new ObjectMapper().readTree(added.toFile());
    JsonNode byMessages = new ObjectMapper().readTree(conversed.toFile());
    assertThat(byMessages.path("corpus").path("memories").asInt()).isEqualTo(25);
    assertThat(byMessages.path("metrics")).isEqualTo(byAdd.path("metrics"));
    assertThat(byMessages.path("setup").path("ingest").asText()).isEqualTo("messages");
  }

  @Test
  void factsFromTheObservationsScoreAsTheTurnsTheyCameFrom(@TempDir Path dir) throws Exception {
    Path json = dir.resolve("facts.json");
    String output = runMain(LocomoDatasetTest.fixture().toString(), "--ingest", "facts",
        "--json", json.toString());

    JsonNode result = new ObjectMapper().readTree(json.toFile());
    assertThat(result.path("mode").asText()).isEqualTo("facts");
    JsonNode ingest = result.path("ingest");
    // the fixture's observations: 3 + 3 facts of demo-1, 2 of demo 2
    assertThat(ingest.path("facts").asInt()).isEqualTo(8);
    assertThat(ingest.path("memories").asInt()).isEqualTo(8);
    assertThat(ingest.path("none").asInt()).isZero();
    // an extraction per session with messages (2 + 3), a reconciliation where the user already
    // had memories to show (demo-1's second session)
    assertThat(ingest.path("model_calls").asInt()).isEqualTo(6);
    assertThat(output).contains("- ingest: facts 8, memories 8, none 0, facts/s ")
        .contains(", model calls 6");
    // single-hop evidence: D1:3 twice (a fact of it), D1:1 and D1:4 (no fact): every fact of a
    // user is in its top 25, so exactly the two questions with a fact are found
    assertThat(result.path("metrics").path("4 single-hop").path("recall").path("25").asDouble())
        .isEqualTo(0.5);
    // "D1:2 D1:4" is one fact's comma-joined evidence: found whole
    assertThat(result.path("metrics").path("2 temporal").path("all").path("25").asDouble())
        .isEqualTo(1.0);
    assertThat(result.path("recall").path("5").asDouble())
        .isEqualTo(result.path("metrics").path("overall 1-5").path("recall").path("5").asDouble());
  }

  @Test
  void eachSessionIsAConversationOfTheSamplesUserWithItsTurnsAsMessages() throws Exception {
    Sample sample = LocomoConversations.read(LocomoDatasetTest.fixture()).samples().get(1);
    List<ConversationRequest> conversations =
        LocomoConversations.conversations(sample, "demo-2", TurnContent.SPEAKER);
    assertThat(conversations.stream().mapToInt(c -> c.messages().size()).sum()).isEqualTo(11);
    ConversationRequest first = conversations.get(0);
    assertThat(first.scope()).isEqualTo(Scope.user("demo-2").withSession("session_1"));
    Message message = first.messages().get(0);
    assertThat(message.role()).isEqualTo(Role.USER);
    assertThat(message.name()).isEqualTo("Ana");
    assertThat(message.content()).isEqualTo("Ana: Ben, I finally bought a used sailboat called"
        + " Marigold.");
    assertThat(message.metadata()).containsEntry("dia_id", "D1:1").containsKey("session");
    assertThat(message.id()).isEqualTo("D1:1");
    assertThat(message.timestamp()).isEqualTo(Instant.parse("2023-12-19T10:04:00Z"));
    assertThat(first.messages()).extracting(Message::role).contains(Role.ASSISTANT);
  }

  @Test
  void storesEachTurnWithItsSpeakerSessionTimeAndIds() throws Exception {
    Sample sample = LocomoConversations.read(LocomoDatasetTest.fixture()).samples().get(1);
    List<AddRequest> requests = LocomoBench.requests(sample, "demo-2", TurnContent.SPEAKER);
    assertThat(requests).hasSize(11);
    AddRequest first = requests.get(0);
    assertThat(first.content()).isEqualTo("Ana: Ben, I finally bought a used sailboat called"
        + " Marigold.");
    assertThat(first.userId()).isEqualTo("demo-2");
    assertThat(first.people()).containsExactly("Ana");
    assertThat(first.metadata()).containsEntry("dia_id", "D1:1").containsKey("session");
    assertThat(first.createdAt()).isEqualTo(Instant.parse("2023-12-19T10:04:00Z"));
    assertThat(requests.get(10).metadata()).containsEntry("dia_id", "D10:3");
    // the image-only turn has no words: without its caption there is nothing to store
    assertThat(LocomoBench.requests(sample, "demo-2", TurnContent.TEXT)).hasSize(10);
  }

  @Test
  void derivesOneValidUserPerSample() throws Exception {
    assertThat(LocomoConversations.userId("chat-7")).isEqualTo("chat-7");
    assertThat(LocomoConversations.userId("demo 2/b")).isEqualTo("demo-2-b");
    assertThat(LocomoConversations.userId("_x")).isEqualTo("s_x");
    assertThat(LocomoConversations.userId("x".repeat(200))).hasSize(128);
    LocomoConversations dataset = LocomoConversations.read(LocomoDatasetTest.fixture());
    assertThat(LocomoConversations.users(dataset))
        .isEqualTo(Map.of("demo-1", "demo-1", "demo 2", "demo-2"));
    LocomoConversations clash = new LocomoConversations(List.of(dataset.samples().get(1),
        renamed(dataset.samples().get(1), "demo-2")), dataset.evidence());
    assertThatThrownBy(() -> LocomoConversations.users(clash)).hasMessageContaining("both map to user");
  }

  private static Sample renamed(Sample sample, String sampleId) {
    return new Sample(sampleId, sample.speakerA(), sample.speakerB(), sample.sessions(),
        sample.questions(), sample.evidenceStats());
  }

  private static String runMain(String... args) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      LocomoBench.main(args);
    } finally {
      System.setOut(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
