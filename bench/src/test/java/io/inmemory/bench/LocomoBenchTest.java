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
import io.inmemory.engine.retrieval.RetrievalSettings;
import io.inmemory.cli.imports.LocomoConversations;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

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
  void withoutContextAConversationPerSessionFindsWhatATurnPerAddFinds(@TempDir Path dir)
      throws Exception {
    Path added = dir.resolve("add.json");
    Path conversed = dir.resolve("messages.json");
    String[] contextOff = {"--set", RetrievalSettings.CONTEXT_WEIGHT.name() + "=0", "--set",
        RetrievalSettings.NEIGHBOR_WEIGHT.name() + "=0"};
    runMain(LocomoDatasetTest.fixture().toString(), "--ingest", "add", "--json",
        added.toString(), contextOff[0], contextOff[1], contextOff[2], contextOff[3]);
    runMain(LocomoDatasetTest.fixture().toString(), "--json", conversed.toString(),
        contextOff[0], contextOff[1], contextOff[2], contextOff[3]);

    JsonNode byAdd = new ObjectMapper().readTree(added.toFile());
    JsonNode byMessages = new ObjectMapper().readTree(conversed.toFile());
    assertThat(byMessages.path("corpus").path("memories").asInt()).isEqualTo(25);
    assertThat(byMessages.path("metrics")).isEqualTo(byAdd.path("metrics"));
    assertThat(byMessages.path("setup").path("ingest").asText()).isEqualTo("messages");
    assertThat(byAdd.path("setup").path("ingest").asText()).isEqualTo("add");
  }

  @Test
  void runsEveryModeOnAFreshClientAndComparesThem(@TempDir Path dir) throws Exception {
    Path json = dir.resolve("runs.json");
    Path chart = dir.resolve("runs.png");
    String output = runMain(LocomoDatasetTest.fixture().toString(), "--retrieval",
        "dense,lexical", "--json", json.toString(), "--chart", chart.toString());

    String model = LocomoOptions.DEFAULT_MODEL;
    JsonNode runs = new ObjectMapper().readTree(json.toFile()).path("runs");
    assertThat(runs).hasSize(2);
    String[] lines = output.split("\n");
    for (int i = 0; i < 2; i++) {
      JsonNode run = runs.get(i);
      String label = model + "/" + List.of("dense", "lexical").get(i);
      assertThat(run.path("label").asText()).isEqualTo(label);
      assertThat(run.path("setup").path("retrieval").asText()).isEqualTo(label.split("/")[1]);
      // each its own client: every turn stored once per run
      assertThat(run.path("corpus").path("memories").asInt()).isEqualTo(25);
      assertThat(lines[lines.length - 2 + i]).isEqualTo(label + " "
          + run.path("summary").asText());
      JsonNode overall = run.path("metrics").path("overall 1-5");
      assertThat(output).contains(String.format(Locale.ROOT, "| %s | %s | %.3f | %.3f | %.3f |"
          + " %.3f | %.3f |", model, label.split("/")[1], overall.path("recall").path("1")
          .asDouble(), overall.path("recall").path("5").asDouble(), overall.path("recall")
          .path("10").asDouble(), overall.path("mrr").asDouble(), run.path("metrics")
          .path("1 multi-hop").path("recall").path("10").asDouble()));
      assertThat(output).contains("## " + label + "\n");
    }
    assertThat(output).startsWith("## LoCoMo retrieval by model and mode\n\n| model | retrieval |"
        + " R@1 | R@5 | R@10 | MRR | R@10 1 multi-hop |");
    assertThat(ImageIO.read(chart.toFile()).getWidth()).isEqualTo(900);
  }

  @Test
  void tunesOnEachHalfAndReportsTheChoiceOnTheOther(@TempDir Path dir) throws Exception {
    Path json = dir.resolve("tuning.json");
    String output = runMain(LocomoDatasetTest.fixture().toString(), "--retrieval", "hybrid",
        "--tune", "inmemory.retrieval.lexical-weight=0.1,0.9", "--folds", "2", "--json",
        json.toString());

    JsonNode result = new ObjectMapper().readTree(json.toFile());
    JsonNode halves = result.path("halves");
    assertThat(halves.get(0).path("samples").toString()).isEqualTo("[\"demo-1\"]");
    assertThat(halves.get(1).path("samples").toString()).isEqualTo("[\"demo 2\"]");
    for (int tuning = 0; tuning < 2; tuning++) {
      JsonNode direction = result.path("directions").get(tuning);
      JsonNode grid = halves.get(tuning).path("grid");
      int chosen = grid.get(0).path("point").equals(direction.path("chosen")) ? 0 : 1;
      assertThat(grid.get(chosen).path("point")).isEqualTo(direction.path("chosen"));
      assertThat(direction.path("tuning_half")).isEqualTo(grid.get(chosen).path("metrics"));
      for (JsonNode point : grid) {
        assertThat(direction.path("tuning_half").path("recall").path("10").asDouble())
            .isGreaterThanOrEqualTo(point.path("metrics").path("recall").path("10").asDouble());
      }
      assertThat(direction.path("other_half")).isEqualTo(halves.get(1 - tuning).path("grid")
          .get(chosen).path("metrics"));
      assertThat(direction.path("default_other_half"))
          .isEqualTo(halves.get(1 - tuning).path("default"));
    }
    // demo-1 has 7 scored questions, demo 2 has 5: the pooled result weighs them so
    JsonNode first = result.path("directions").get(0).path("other_half");
    JsonNode second = result.path("directions").get(1).path("other_half");
    assertThat(first.path("questions").asInt() + second.path("questions").asInt()).isEqualTo(12);
    assertThat(result.path("two_fold").path("recall").path("10").asDouble()).isCloseTo(
        (first.path("recall").path("10").asDouble() * first.path("questions").asInt()
            + second.path("recall").path("10").asDouble() * second.path("questions").asInt())
            / 12, within(1e-12));
    String[] lines = output.split("\n");
    assertThat(lines[lines.length - 1]).matches("two-fold overall recall@5=[01]\\.\\d{3}"
        + " recall@10=[01]\\.\\d{3}");
    assertThat(lines[lines.length - 2]).startsWith("default overall recall@5=");
    assertThat(output).contains("| {inmemory.retrieval.lexical-weight=0.9} |");
  }

  @Test
  void runsAnyFileOfLocomosShape(@TempDir Path dir) throws Exception {
    Path json = dir.resolve("other.json");
    Path file = Path.of(LocomoBenchTest.class.getResource("/locomo/other-shape.json").toURI());
    String output = runMain(file.toString(), "--json", json.toString());

    JsonNode result = new ObjectMapper().readTree(json.toFile());
    JsonNode corpus = result.path("corpus");
    assertThat(corpus.path("samples").asInt()).isEqualTo(2);
    assertThat(corpus.path("sessions").asInt()).isEqualTo(4);
    assertThat(corpus.path("memories").asInt()).isEqualTo(14);
    assertThat(corpus.path("questions").asInt()).isEqualTo(8);
    // the question without evidence is not scored; the one without a category is
    assertThat(corpus.path("scored").asInt()).isEqualTo(7);
    JsonNode metrics = result.path("metrics");
    assertThat(metrics.path("0 no category").path("questions").asInt()).isEqualTo(1);
    assertThat(metrics.path("overall 1-5").path("questions").asInt()).isEqualTo(6);
    assertThat(metrics.path("overall all").path("questions").asInt()).isEqualTo(7);
    assertThat(result.path("summary").asText()).isEqualTo(String.format(Locale.ROOT,
        "overall recall@5=%.3f recall@10=%.3f",
        metrics.path("overall all").path("recall").path("5").asDouble(),
        metrics.path("overall all").path("recall").path("10").asDouble()));
    // each evidence turn repeats its question's words: found first
    assertThat(metrics.path("3 open-domain").path("recall").path("1").asDouble()).isEqualTo(1.0);
    assertThat(metrics.path("0 no category").path("mrr").asDouble()).isEqualTo(1.0);
    // no user has more than 8 memories: the top 10 holds every evidence turn
    assertThat(metrics.path("overall all").path("recall").path("10").asDouble()).isEqualTo(1.0);
    JsonNode recall = metrics.path("overall all").path("recall");
    assertThat(recall.path("1").asDouble()).isLessThanOrEqualTo(recall.path("5").asDouble());
    assertThat(output).contains("- dataset: other-shape.json").contains("| 0 no category | 1 |")
        .endsWith(result.path("summary").asText() + "\n");
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
