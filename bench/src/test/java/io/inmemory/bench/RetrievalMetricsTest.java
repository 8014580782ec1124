package io.inmemory.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.inmemory.bench.RetrievalMetrics.Summary;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Hand-computed cases with cut-offs 1, 3 and 5 (depth 5). */
class RetrievalMetricsTest {
  private static final Offset<Double> EXACT = within(1e-12);
  private RetrievalMetrics metrics;

  @BeforeEach
  void record() {
    metrics = new RetrievalMetrics(List.of(1, 3, 5));
    // category 1: evidence first found at rank 2, second at rank 5
    metrics.add(1, List.of("a", "b"), List.of("x", "a", "y", "z", "b", "c"));
    // category 1: found at rank 1
    metrics.add(1, List.of("c"), List.of("c", "a"));
    // category 2: two of three within the depth (d at 4, e at 5), f at 6 is beyond it
    metrics.add(2, List.of("d", "e", "f"), List.of("a", "b", "c", "d", "e", "f"));
    // category 2: nothing retrieved
    metrics.add(2, List.of("g"), List.of());
    // category 2: found only at rank 6, beyond the depth: no reciprocal rank either
    metrics.add(2, List.of("h"), List.of("a", "b", "c", "d", "e", "h"));
    // category 5: a unit retrieved twice counts once
    metrics.add(5, List.of("a", "b"), List.of("b", "b", "c"));
  }

  @Test
  void scoresOneCategory() {
    assertSummary(metrics.summarize(List.of(1)), 2,
        Map.of(1, 0.5, 3, 0.75, 5, 1.0),
        Map.of(1, 0.5, 3, 1.0, 5, 1.0),
        Map.of(1, 0.5, 3, 0.5, 5, 1.0),
        0.75);
    assertSummary(metrics.summarize(List.of(2)), 3,
        Map.of(1, 0.0, 3, 0.0, 5, 2.0 / 9),
        Map.of(1, 0.0, 3, 0.0, 5, 1.0 / 3),
        Map.of(1, 0.0, 3, 0.0, 5, 0.0),
        1.0 / 12);
    assertSummary(metrics.summarize(List.of(5)), 1,
        Map.of(1, 0.5, 3, 0.5, 5, 0.5),
        Map.of(1, 1.0, 3, 1.0, 5, 1.0),
        Map.of(1, 0.0, 3, 0.0, 5, 0.0),
        1.0);
  }

  @Test
  void anItemOfSeveralUnitsCountsThemAllAtItsRank() {
    RetrievalMetrics items = new RetrievalMetrics(List.of(1, 3, 5));
    // a fact of turns a and b at rank 2 finds both; an item without units holds rank 1
    items.addItems(7, List.of("a", "b", "c"), List.of(List.of(), List.of("a", "b"),
        List.of("x"), List.of("b", "c")));
    assertSummary(items.summarize(List.of(7)), 1,
        Map.of(1, 0.0, 3, 2.0 / 3, 5, 1.0),
        Map.of(1, 0.0, 3, 1.0, 5, 1.0),
        Map.of(1, 0.0, 3, 0.0, 5, 1.0),
        0.5);
  }

  @Test
  void scoresCategoriesTogetherPerQuestion() {
    assertSummary(metrics.summarize(List.of(1, 2, 3, 4)), 5,
        Map.of(1, 1.0 / 5, 3, 1.5 / 5, 5, (2 + 2.0 / 3) / 5),
        Map.of(1, 1.0 / 5, 3, 2.0 / 5, 5, 3.0 / 5),
        Map.of(1, 1.0 / 5, 3, 1.0 / 5, 5, 2.0 / 5),
        1.75 / 5);
    assertSummary(metrics.summarize(List.of(1, 2, 3, 4, 5)), 6,
        Map.of(1, 1.5 / 6, 3, 2.0 / 6, 5, (2.5 + 2.0 / 3) / 6),
        Map.of(1, 2.0 / 6, 3, 3.0 / 6, 5, 4.0 / 6),
        Map.of(1, 1.0 / 6, 3, 1.0 / 6, 5, 2.0 / 6),
        2.75 / 6);
    assertThat(metrics.categories()).containsExactly(1, 2, 5);
  }

  @Test
  void summariesPoolAsIfRecordedTogether() {
    Summary pooled = metrics.summarize(List.of(1)).plus(metrics.summarize(List.of(2, 5)));
    Summary together = metrics.summarize(List.of(1, 2, 5));
    assertSummary(pooled, 6, together.recall(), together.hit(), together.all(), together.mrr());
    Summary empty = metrics.summarize(List.of(3));
    assertSummary(empty.plus(empty), 0, empty.recall(), empty.hit(), empty.all(), 0.0);
    assertThatThrownBy(() -> together.plus(new RetrievalMetrics(List.of(1, 3)).summarize(
        List.of(1)))).hasMessageContaining("cut-offs differ");
  }

  @Test
  void anEmptySelectionIsAllZero() {
    assertSummary(metrics.summarize(List.of(3)), 0,
        Map.of(1, 0.0, 3, 0.0, 5, 0.0), Map.of(1, 0.0, 3, 0.0, 5, 0.0),
        Map.of(1, 0.0, 3, 0.0, 5, 0.0), 0.0);
  }

  @Test
  void rejectsQuestionsWithoutEvidenceAndBadCutOffs() {
    assertThatThrownBy(() -> metrics.add(1, List.of(), List.of("a")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RetrievalMetrics(List.of(5, 5)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RetrievalMetrics(List.of(0, 5)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RetrievalMetrics(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static void assertSummary(Summary summary, int questions, Map<Integer, Double> recall,
      Map<Integer, Double> hit, Map<Integer, Double> all, double mrr) {
    assertThat(summary.questions()).isEqualTo(questions);
    for (int k : List.of(1, 3, 5)) {
      assertThat(summary.recall().get(k)).as("recall@%d", k).isCloseTo(recall.get(k), EXACT);
      assertThat(summary.hit().get(k)).as("hit@%d", k).isCloseTo(hit.get(k), EXACT);
      assertThat(summary.all().get(k)).as("all@%d", k).isCloseTo(all.get(k), EXACT);
    }
    assertThat(summary.mrr()).as("mrr").isCloseTo(mrr, EXACT);
  }
}
