package io.inmemory.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpreadTest {

  @Test
  void medianOfOddAndEvenCounts() {
    assertThat(Stats.median(new double[] {3, 1, 2})).isEqualTo(2);
    assertThat(Stats.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
    assertThatThrownBy(() -> Stats.median(new double[0])).isInstanceOf(
        IllegalArgumentException.class);
  }

  @Test
  void flagsRunsMoreThanTwiceTheMedianOrLessThanHalfOfIt() {
    // Issue 11's twelve Vector API runs: three JVMs in the slow mode.
    Spread p50 = Spread.of(0.527, 0.555, 0.560, 0.560, 0.579, 0.585, 0.596, 0.654, 0.679,
        2.009, 2.373, 3.376);
    assertThat(p50.min()).isEqualTo(0.527);
    assertThat(p50.median()).isEqualTo((0.585 + 0.596) / 2);
    assertThat(p50.max()).isEqualTo(3.376);
    assertThat(p50.flagged()).containsExactly(10, 11, 12);
    assertThat(p50.atMost(0.7)).isEqualTo(9);

    Spread inserts = Spread.of(1_000, 1_100, 450, 1_050, 2_000);
    assertThat(inserts.flagged()).containsExactly(3);
    assertThat(inserts.atLeast(1_000)).isEqualTo(4);
    // Exactly twice the median is not beyond it.
    assertThat(Spread.of(1, 1, 2).flagged()).isEmpty();
  }

  @Test
  void rejectsNoRunsAndNaN() {
    assertThatThrownBy(() -> Spread.of()).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Spread.of(1, Double.NaN)).isInstanceOf(
        IllegalArgumentException.class);
  }

  @Test
  void tableShowsEveryRunInOrderWithTheFlaggedOnesMarked(@TempDir Path folder) throws Exception {
    Report report = Report.of("index", "Vector index", new String[0]);
    Spread.of(0.5, 0.6, 2.5).row(Spread.table(report, "Runs", "system"), "InMemory");
    report.write(folder);

    assertThat(Files.readString(folder.resolve("index.md")))
        .contains("| system | runs (fresh JVMs, in order) | min | median | max"
            + " | beyond 2× median |")
        .contains("| InMemory | 0.500, 0.600, **2.500** | 0.500 | 0.600 | 2.500 | run 3 |");
    JsonNode row = new ObjectMapper().readTree(folder.resolve("index.json").toFile())
        .at("/tables/0/rows/0");
    assertThat(row.get("median").asDouble()).isEqualTo(0.6);
    assertThat(row.get("beyond 2× median").asText()).isEqualTo("run 3");
  }
}
