package io.inmemory.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inmemory.bench.SupersedeSet.Change;
import io.inmemory.bench.SupersedeSet.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SupersedeBenchTest {

  @Test
  void twentyChangesOfOneUserKeepTheCurrentFactFirstAndTheOldOnesHiddenWithTheirHistory(
      @TempDir Path dir) throws Exception {
    Path json = dir.resolve("supersede.json");
    // seed 10 draws every kind of change in the first 20: restatements, late facts, phrases
    SupersedeBench.Result result = SupersedeBench.run(new String[] {"--users", "1",
        "--changes", "20", "--seed", "10", "--store", "file", "--out", dir.toString(),
        "--json", json.toString()});

    JsonNode written = new ObjectMapper().readTree(json.toFile());
    assertThat(written.path("mode").asText()).isEqualTo("supersede");
    assertThat(written.path("changes").asInt()).isEqualTo(20);
    assertThat(written.path("repeats").asInt()).isPositive();
    assertThat(written.path("out_of_order").asInt()).isPositive();
    assertThat(written.path("relative").asInt()).isPositive();
    assertThat(written.path("violations")).isEmpty();
    assertThat(written.path("passed").asBoolean()).isTrue();
    assertThat(written.path("current_first").asInt())
        .isEqualTo(written.path("current_first_checks").asInt()).isGreaterThan(20);
    assertThat(written.path("out_of_order_ok").asInt())
        .isEqualTo(written.path("out_of_order").asInt());
    for (String count : List.of("hidden_violations", "history_violations", "validity_errors",
        "event_errors")) {
      assertThat(written.path(count).asInt()).as(count).isZero();
    }
    // every new fact after a topic's first is reconciled: two model calls
    assertThat(written.path("model_calls").asInt()).isGreaterThan(20);
    assertThat(result.passed()).isTrue();
    assertThat(Files.readString(dir.resolve("supersede.md")))
        .contains("| users | changes | current first | hidden violations | history violations"
            + " | validity errors | out-of-order ok | p50 / p99 ms per change |");
  }

  @Test
  void theSetIsDeterministicStrictlyLaterAndHasEveryKind() {
    SupersedeSet set = SupersedeSet.generate(2, 300, 13);
    assertThat(SupersedeSet.generate(2, 300, 13)).isEqualTo(set);
    assertThat(set.size()).isEqualTo(600);
    List<Change> changes = set.people().get(0).changes();
    for (int i = 1; i < changes.size(); i++) {
      assertThat(changes.get(i).said()).isAfter(changes.get(i - 1).said());
    }
    assertThat(set.count(Kind.REPEAT)).isBetween(30L, 90L);
    assertThat(set.count(Kind.LATE)).isBetween(10L, 60L);
    assertThat(set.relative()).isBetween(20L, 90L);
    assertThat(set.people()).extracting(SupersedeSet.Person::name).doesNotHaveDuplicates();
  }

  @Test
  void relativePhrasesNameTheDayBeforeTheMessage() {
    // a Thursday
    Instant said = Instant.parse("2024-06-13T09:00:00Z");
    assertThat(SupersedeSet.resolve("last Tuesday", said))
        .isEqualTo(Instant.parse("2024-06-11T00:00:00Z"));
    assertThat(SupersedeSet.resolve("last Thursday", said))
        .isEqualTo(Instant.parse("2024-06-06T00:00:00Z"));
    assertThat(SupersedeSet.resolve("yesterday", said))
        .isEqualTo(Instant.parse("2024-06-12T00:00:00Z"));
  }
}
