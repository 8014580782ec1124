package io.inmemory.bench;

import io.inmemory.cli.imports.LocomoConversations.EvidenceStats;
import io.inmemory.cli.imports.LocomoConversations.Observation;
import io.inmemory.cli.imports.LocomoConversations.Question;
import io.inmemory.cli.imports.LocomoConversations.Sample;
import io.inmemory.cli.imports.LocomoConversations.Session;
import io.inmemory.cli.imports.LocomoConversations.Turn;
import io.inmemory.cli.imports.LocomoConversations;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocomoDatasetTest {
  private static final String CONVERSATION =
      "[{\"sample_id\": \"x\", \"conversation\": {\"speaker_a\": \"A\", \"speaker_b\": \"B\", ";
  private static LocomoConversations dataset;

  static Path fixture() throws URISyntaxException {
    return Path.of(LocomoDatasetTest.class.getResource("/locomo/fixture.json").toURI());
  }

  @BeforeAll
  static void read() throws Exception {
    dataset = LocomoConversations.read(fixture());
  }

  @Test
  void readsSamplesSpeakersAndSessionsInNumericOrder() {
    assertThat(dataset.samples()).extracting(Sample::sampleId).containsExactly("demo-1", "demo 2");
    Sample first = dataset.samples().get(0);
    assertThat(first.speakerA()).isEqualTo("Maya");
    assertThat(first.speakerB()).isEqualTo("Tomas");
    // session_3 has a date but no turns: it is not a session
    assertThat(first.sessions()).extracting(Session::number).containsExactly(1, 2);
    assertThat(dataset.samples().get(1).sessions()).extracting(Session::number)
        .containsExactly(1, 2, 10);
    assertThat(dataset.samples().get(1).sessions().get(2).turns()).extracting(Turn::diaId)
        .containsExactly("D10:1", "D10:2", "D10:3");
    assertThat(dataset.turnCount()).isEqualTo(25);
    assertThat(dataset.questionCount()).isEqualTo(14);
  }

  @Test
  void readsSessionTimesAsUtc() {
    assertThat(dataset.samples().get(0).sessions()).extracting(Session::time).containsExactly(
        Instant.parse("2023-05-08T13:56:00Z"), Instant.parse("2023-10-21T09:15:00Z"));
    assertThat(dataset.samples().get(1).sessions()).extracting(Session::time).containsExactly(
        Instant.parse("2023-12-19T10:04:00Z"), Instant.parse("2024-01-01T00:30:00Z"),
        Instant.parse("2024-03-05T15:45:00Z"));
  }

  @Test
  void keepsTextAndCaptionAndIgnoresOtherFields() {
    Turn withImage = dataset.samples().get(0).sessions().get(0).turns().get(2);
    assertThat(withImage).isEqualTo(new Turn("Maya", "D1:3",
        "I adopted a beagle puppy last week, his name is Pretzel.",
        "a photo of a small beagle puppy on a rug"));
    assertThat(dataset.samples().get(0).sessions().get(0).turns().get(0).caption()).isNull();
    Turn imageOnly = dataset.samples().get(1).sessions().get(1).turns().get(2);
    assertThat(imageOnly.text()).isEmpty();
    assertThat(imageOnly.caption()).isEqualTo("a cello leaning against a wooden chair");
  }

  @Test
  void splitsNormalizesAndSkipsEvidence() {
    List<Question> questions = dataset.samples().get(0).questions();
    assertThat(questions).extracting(Question::evidence).containsExactly(
        List.of("D1:3"),
        List.of("D2:1"),
        List.of("D1:5", "D2:4"), // "D1:5; D2:4"
        List.of("D2:5"), // "D2:05"
        List.of("D1:7"), // "D:1:7"
        List.of("D1:3"), // listed twice
        List.of(), // no evidence
        List.of(), // "D" and "D1:99" name no turn
        List.of("D1:2", "D1:4")); // "D1:2 D1:4"
    assertThat(questions).extracting(Question::category)
        .containsExactly(4, 2, 1, 3, 5, 4, 3, 1, 2);
    assertThat(dataset.samples().get(1).questions().get(3).evidence())
        .containsExactly("D1:3", "D10:1");
  }

  @Test
  void countsEvidenceHandlingPerSampleAndInTotal() {
    EvidenceStats first = new EvidenceStats(12, 2, List.of("D", "D1:99"), 2);
    assertThat(dataset.samples().get(0).evidenceStats()).isEqualTo(first);
    assertThat(first.skipped()).isEqualTo(2);
    assertThat(dataset.samples().get(1).evidenceStats())
        .isEqualTo(new EvidenceStats(6, 0, List.of(), 0));
    assertThat(dataset.samples().get(1).evidenceStats().skipped()).isZero();
    assertThat(dataset.evidence()).isEqualTo(new EvidenceStats(18, 2, List.of("D", "D1:99"), 2));
    assertThat(dataset.evidence().skipped()).isEqualTo(2);

    LocomoConversations one = dataset.firstSamples(1);
    assertThat(one.samples()).hasSize(1);
    assertThat(one.evidence()).isEqualTo(first);
    assertThat(dataset.firstSamples(5)).isSameAs(dataset);
  }

  @Test
  void readsObservationsWithASingleCommaJoinedOrListedEvidence() {
    List<Session> sessions = dataset.samples().get(0).sessions();
    assertThat(sessions.get(0).observations()).containsExactly(
        new Observation("Maya", "Maya adopted a beagle puppy named Pretzel.", List.of("D1:3")),
        new Observation("Maya", "Maya was promoted to head nurse at the children's hospital.",
            List.of("D1:5")),
        new Observation("Tomas",
            "Tomas is training for the city marathon and runs twenty miles a week.",
            List.of("D1:2", "D1:4")));
    assertThat(sessions.get(1).observations()).extracting(Observation::evidence)
        .containsExactly(List.of("D2:1", "D2:3"), List.of("D2:5"), List.of("D2:4"));
    List<Session> other = dataset.samples().get(1).sessions();
    assertThat(other.get(0).observations()).isEmpty();
    assertThat(other.get(2).observations()).extracting(Observation::speaker)
        .containsExactly("Ana", "Ben");
  }

  @Test
  void rejectsObservationsWhoseEvidenceIsNotATurnOfTheirSession() {
    String conversation = CONVERSATION + "\"session_1_date_time\": \"1:56 pm on 8 May, 2023\","
        + " \"session_1\": [{\"speaker\": \"A\", \"dia_id\": \"D1:1\", \"text\": \"hi\"}]}";
    assertThatThrownBy(() -> parse(conversation + ", \"observation\": {\"session_1_observation\":"
        + " {\"A\": [[\"A says hi.\", \"D1:1, D2:1\"]]}}}]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("x session_1_observation: evidence 'D2:1'");
    assertThatThrownBy(() -> parse(conversation + ", \"observation\": {\"session_2_observation\":"
        + " {\"A\": [[\"A says hi.\", \"D1:1\"]]}}}]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("observations of sessions [2]");
    assertThatThrownBy(() -> parse(conversation + ", \"observation\": {\"session_1_observation\":"
        + " {\"A\": [\"A says hi.\"]}}}]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not [text, evidence]");
  }

  @Test
  void rejectsWhatIsNotTheFormat() {
    assertThatThrownBy(() -> parse("{\"sample_id\": \"x\"}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("list of samples");
    assertThatThrownBy(() -> parse(CONVERSATION
        + "\"session_1_date_time\": \"yesterday\", \"session_1\": []}}]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("x: session_1_date_time 'yesterday'");
    assertThatThrownBy(() -> parse(CONVERSATION + "\"session_1\": []}}]"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("session_1_date_time");
    assertThatThrownBy(() -> parse("[{\"sample_id\": \"x\"}]"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("conversation");
  }

  private static LocomoConversations parse(String json) throws IOException {
    return LocomoConversations.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
  }
}
