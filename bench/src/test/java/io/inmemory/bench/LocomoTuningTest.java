package io.inmemory.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inmemory.bench.LocomoReport.Corpus;
import io.inmemory.bench.LocomoReport.Row;
import io.inmemory.bench.LocomoReport.Timing;
import io.inmemory.bench.RetrievalMetrics.Summary;
import io.inmemory.cli.imports.LocomoConversations;
import io.inmemory.cli.imports.LocomoConversations.EvidenceStats;
import io.inmemory.cli.imports.LocomoConversations.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The split, the choice and the pooling on made-up results, without a client. */
class LocomoTuningTest {

  @Test
  void choosesTheBestRecallAt10ThenAt5ThenTheFirst() {
    assertThat(LocomoTuning.choose(List.of(summary(10, 0.5, 0.6), summary(10, 0.4, 0.7),
        summary(10, 0.9, 0.65)))).isEqualTo(1);
    // recall@10 ties: the better recall@5 wins
    assertThat(LocomoTuning.choose(List.of(summary(10, 0.5, 0.7), summary(10, 0.6, 0.7),
        summary(10, 0.55, 0.7)))).isEqualTo(1);
    // both tie: the grid's order
    assertThat(LocomoTuning.choose(List.of(summary(10, 0.2, 0.3), summary(10, 0.6, 0.7),
        summary(10, 0.6, 0.7)))).isEqualTo(1);
    assertThat(LocomoTuning.choose(List.of(summary(1, 0, 0)))).isZero();
    assertThatThrownBy(() -> LocomoTuning.choose(List.of())).hasMessageContaining("no grid point");
  }

  @Test
  void splitsTheConversationsInTwoHalvesByOrderTheFirstOneLarger() throws Exception {
    LocomoConversations five = conversations("a", "b", "c", "d", "e");
    List<LocomoConversations> halves = LocomoTuning.halves(five);
    assertThat(halves.get(0).samples()).extracting(Sample::sampleId).containsExactly("a", "b", "c");
    assertThat(halves.get(1).samples()).extracting(Sample::sampleId).containsExactly("d", "e");
    assertThat(LocomoTuning.halves(conversations("a", "b")).get(1).samples())
        .extracting(Sample::sampleId).containsExactly("b");
    assertThatThrownBy(() -> LocomoTuning.halves(conversations("a")))
        .hasMessageContaining("at least two conversations");
  }

  @Test
  void eachHalfsChoiceIsReportedOnTheOtherAndPooledByQuestions() throws Exception {
    List<Map<String, String>> grid = List.of(Map.of("w", "0.2"), Map.of("w", "0.8"));
    // half A (10 questions) prefers w=0.8, half B (30 questions) w=0.2
    Map<String, Summary> a = Map.of("{}", summary(10, 0.5, 0.5), "{w=0.2}", summary(10, 0.4, 0.6),
        "{w=0.8}", summary(10, 0.3, 0.7));
    Map<String, Summary> b = Map.of("{}", summary(30, 0.1, 0.2), "{w=0.2}", summary(30, 0.2, 0.4),
        "{w=0.8}", summary(30, 0.3, 0.3));
    List<LocomoConversations> halves = LocomoTuning.halves(conversations("x", "y"));
    List<String> ran = new ArrayList<>();
    LocomoTuning tuning = LocomoTuning.run(grid, halves, (half, point) -> {
      String name = half.samples().get(0).sampleId();
      ran.add(name + point);
      return report((name.equals("x") ? a : b).get(point.toString()));
    });

    // one client per (grid point, half), plus the default on each half
    assertThat(ran).containsExactly("x{}", "x{w=0.2}", "x{w=0.8}", "y{}", "y{w=0.2}", "y{w=0.8}");
    // A chose w=0.8: 0.3 on B's 30 questions; B chose w=0.2: 0.6 on A's 10
    assertThat(tuning.twoFold().recall().get(10)).isEqualTo((0.3 * 30 + 0.6 * 10) / 40);
    assertThat(tuning.twoFold().questions()).isEqualTo(40);
    assertThat(tuning.byDefault().recall().get(10)).isEqualTo((0.5 * 10 + 0.2 * 30) / 40);
    assertThat(tuning.markdown())
        .contains("| A | {w=0.8} | 0.300 | 0.700 | B | 0.300 | 0.300 | 0.100 | 0.200 |")
        .contains("| B | {w=0.2} | 0.200 | 0.400 | A | 0.400 | 0.600 | 0.500 | 0.500 |")
        .contains("| engine default | 0.500 | 0.500 | 0.100 | 0.200 |")
        .endsWith("default overall recall@5=0.200 recall@10=0.275\n"
            + "two-fold overall recall@5=0.325 recall@10=0.375\n");
    Map<String, Object> json = tuning.toJson();
    assertThat(json.get("summary")).isEqualTo(tuning.summaryLines());
    assertThat(json.get("directions").toString()).contains("tuned_on=A, chosen={w=0.8}");
  }

  /** A summary whose only cut-offs that matter are 5 and 10. */
  static Summary summary(int questions, double recall5, double recall10) {
    Map<Integer, Double> recall = Map.of(1, 0.0, 5, recall5, 10, recall10, 25, recall10);
    Map<Integer, Double> zero = Map.of(1, 0.0, 5, 0.0, 10, 0.0, 25, 0.0);
    return new Summary(questions, recall, zero, zero, 0);
  }

  private static LocomoReport report(Summary overall) {
    return new LocomoReport(Map.of("dataset", "made-up"), new Corpus(1, 1, 1, 1, 1),
        EvidenceStats.NONE, LocomoBench.KS, List.of(new Row("overall 1-5", null, overall)),
        overall, new LocomoReport.Ingest("turns", 1, 1, 0, null), new Timing(0, 0, 0, 0));
  }

  private static LocomoConversations conversations(String... ids) {
    return new LocomoConversations(List.of(ids).stream()
        .map(id -> new Sample(id, "A", "B", List.of(), List.of(), EvidenceStats.NONE)).toList(),
        EvidenceStats.NONE);
  }
}
