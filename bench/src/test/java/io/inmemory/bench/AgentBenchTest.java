package io.inmemory.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inmemory.bench.AgentBench.Exchange;
import io.inmemory.cli.imports.LocomoConversations.Sample;
import io.inmemory.cli.imports.LocomoConversations.Session;
import io.inmemory.cli.imports.LocomoConversations.TurnContent;
import io.inmemory.cli.imports.LocomoConversations;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;

class AgentBenchTest {

  @Test
  void eachUserTurnIsAnsweredByTheReplyAfterItAndAnOpeningOfTheOtherSpeakerIsSaidAlone()
      throws Exception {
    Sample sample = LocomoConversations.read(LocomoDatasetTest.fixture()).samples().get(0);
    Session opensWithA = sample.sessions().get(0);
    Session opensWithB = sample.sessions().get(1);

    assertThat(AgentBench.exchanges(sample, opensWithA, TurnContent.SPEAKER)).extracting(
        exchange -> exchange.said().diaId() + ">" + exchange.reply().diaId())
        .containsExactly("D1:1>D1:2", "D1:3>D1:4", "D1:5>D1:6", "D1:7>D1:8");
    List<Exchange> exchanges = AgentBench.exchanges(sample, opensWithB, TurnContent.SPEAKER);
    assertThat(exchanges.get(0).said().speaker()).isEqualTo(sample.speakerB());
    assertThat(exchanges.get(0).reply()).isNull();
    // every turn is said or answered exactly once
    assertThat(exchanges.stream().mapToInt(e -> e.reply() == null ? 1 : 2).sum())
        .isEqualTo(opensWithB.turns().size());
    assertThat(exchanges.subList(1, exchanges.size())).allSatisfy(exchange ->
        assertThat(exchange.said().speaker()).isEqualTo(sample.speakerA()));

    // the overhead replay: the user's words as typed, each with the reply after it
    AgentBench.UserTurn first = AgentBench.userTurns(new LocomoConversations(List.of(sample),
        sample.evidenceStats()), Map.of(sample.sampleId(), "u"), TurnContent.TEXT).get(0);
    assertThat(first.chatId()).isEqualTo("u/session_1");
    assertThat(first.text()).isEqualTo(opensWithA.turns().get(0).text());
    assertThat(first.reply()).isEqualTo(opensWithA.turns().get(1).text());
  }

  @Test
  void evidenceCountsOnlyAsAWholeContentOfThePrompt() {
    String prompt = "When did Maya adopt a dog?\n\nAnswer using the following information:\n"
        + "Maya: I adopted a beagle. He is two.\n\nTomas: Nice!\nSee you.";
    Map<String, String> texts = Map.of("D1:1", "Maya: I adopted a beagle.",
        "D1:2", "Maya: I adopted a beagle. He is two.", "D1:3", "Tomas: Nice!\nSee you.",
        "D1:4", "Tomas: Nice!");

    assertThat(AgentBench.found(prompt, List.of("D1:1", "D1:3", "D1:2", "D1:4"), texts))
        .containsExactly(Set.of("D1:2"), Set.of("D1:3"));
    assertThat(AgentBench.wholeLineIndex(prompt, "When did Maya adopt a dog?")).isZero();
    assertThat(AgentBench.wholeLineIndex(prompt, "Maya: I adopted")).isEqualTo(-1);
  }

  @Test
  void timesEveryConfigurationAndFindsInThePromptWhatTheClientFinds(@TempDir Path out)
      throws Exception {
    AgentBench.main(new String[] {LocomoDatasetTest.fixture().toString(), "--turns", "3",
        "--warmup", "0", "--rounds", "1", "--machine", "test", "--out", out.toString()});

    JsonNode report = new ObjectMapper().readTree(out.resolve("agent.json").toFile());
    JsonNode turns = report.path("tables").get(0).path("rows");
    assertThat(turns).hasSize(AgentBench.CONFIGURATIONS.size());
    assertThat(turns).allSatisfy(row -> assertThat(row.path("turns").asInt()).isEqualTo(3));
    // without InMemory nothing is embedded; each piece added embeds more per turn
    double[] embeddings = new double[turns.size()];
    for (int i = 0; i < embeddings.length; i++) {
      embeddings[i] = turns.get(i).path("embeddings/turn").asDouble();
    }
    assertThat(embeddings[0]).isZero();
    assertThat(embeddings[1]).isEqualTo(2.0);
    assertThat(embeddings[2]).isEqualTo(3.0);
    assertThat(embeddings[3]).isGreaterThan(embeddings[2]);

    JsonNode recall = report.path("tables").get(2).path("rows");
    JsonNode overall = recall.get(recall.size() - 1);
    assertThat(overall.path("category").asText()).isEqualTo("overall 1-5");
    assertThat(overall.path("questions").asInt()).isEqualTo(12);
    // the retriever hands the client's top 5 to the model unchanged
    assertThat(recall).allSatisfy(row -> assertThat(row.path("recall@5").asDouble())
        .isEqualTo(row.path("recall@5 direct").asDouble()));
    assertThat(overall.path("recall@5").asDouble()).isGreaterThan(0.5);
    assertThat(report.path("notes").toString()).contains("25 turns → 25 memories");
  }
}
