package io.inmemory.engine.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.inmemory.engine.lexical.Scored;
import io.inmemory.engine.retrieval.Fusion.Candidate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FusionTest {

  /** Dense order a, b, c, d; lexical order c, a, b; d holds no query word. */
  private static final List<Candidate> CANDIDATES = List.of(
      new Candidate("a", 0.8, 2.0),
      new Candidate("b", 0.6, 1.0),
      new Candidate("c", 0.4, 4.0),
      new Candidate("d", 0.2, 0.0));

  private static Map<String, Double> scores(Fusion fusion, double weight, int k) {
    return fusion.fuse(CANDIDATES, weight, k).stream()
        .collect(Collectors.toMap(Scored::id, Scored::score));
  }

  @Test
  void boostRaisesTheCosineByRelativeLexicalEvidence() {
    Map<String, Double> scores = scores(Fusion.BOOST, 0.5, 60);

    assertThat(scores.get("a")).isCloseTo(0.8 + 0.5 * (2.0 / 4.0) * 0.2, within(1e-12));
    assertThat(scores.get("b")).isCloseTo(0.6 + 0.5 * (1.0 / 4.0) * 0.4, within(1e-12));
    assertThat(scores.get("c")).isCloseTo(0.4 + 0.5 * 1.0 * 0.6, within(1e-12));
    assertThat(scores.get("d")).isEqualTo(0.2);
    assertThat(Fusion.BOOST.fuse(CANDIDATES, 0.5, 60)).extracting(Scored::id)
        .containsExactly("a", "c", "b", "d");
  }

  @Test
  void boostNeverLowersACosineAndStaysOnItsScale() {
    List<Candidate> candidates = List.of(new Candidate("neg", -0.9, 5), new Candidate("top", 1, 5),
        new Candidate("none", 0.3, 0));
    for (double weight : new double[] {0, 0.3, 1}) {
      for (Scored scored : Fusion.BOOST.fuse(candidates, weight, 60)) {
        double cosine = candidates.stream().filter(c -> c.id().equals(scored.id())).findFirst()
            .orElseThrow().dense();
        assertThat(scored.score()).isBetween(cosine, 1.0);
      }
    }
    assertThat(Fusion.BOOST.fuse(candidates, 1, 60).get(0).score()).isEqualTo(1.0);
    assertThat(Fusion.BOOST.fuse(candidates, 0, 60)).extracting(Scored::score)
        .containsExactly(1.0, 0.3, -0.9);
  }

  @Test
  void rrfAddsWeightedReciprocalRanksNormalizedToOne() {
    Map<String, Double> scores = scores(Fusion.RRF, 0.25, 10);

    assertThat(scores.get("a")).isCloseTo((0.75 / 11 + 0.25 / 12) * 11, within(1e-12));
    assertThat(scores.get("b")).isCloseTo((0.75 / 12 + 0.25 / 13) * 11, within(1e-12));
    assertThat(scores.get("c")).isCloseTo((0.75 / 13 + 0.25 / 11) * 11, within(1e-12));
    assertThat(scores.get("d")).isCloseTo((0.75 / 14) * 11, within(1e-12));
    List<Candidate> firstOnBoth = List.of(new Candidate("x", 0.9, 3), new Candidate("y", 0.1, 1));
    assertThat(Fusion.RRF.fuse(firstOnBoth, 0.5, 60).get(0).score()).isCloseTo(1, within(1e-12));
  }

  @Test
  void linearBlendsMinMaxCosineWithRelativeBm25() {
    Map<String, Double> scores = scores(Fusion.LINEAR, 0.5, 60);

    assertThat(scores.get("a")).isCloseTo(0.5 * 1 + 0.5 * 0.5, within(1e-12));
    assertThat(scores.get("b")).isCloseTo(0.5 * (0.4 / 0.6) + 0.5 * 0.25, within(1e-12));
    assertThat(scores.get("c")).isCloseTo(0.5 * (0.2 / 0.6) + 0.5 * 1, within(1e-12));
    assertThat(scores.get("d")).isCloseTo(0, within(1e-12));
  }

  @Test
  void tiesGoToTheSmallerIdAndNoCandidatesFuseToNothing() {
    List<Candidate> tied = List.of(new Candidate("z", 0.5, 0), new Candidate("m", 0.5, 0));
    for (Fusion fusion : Fusion.values()) {
      assertThat(fusion.fuse(tied, 0.5, 60)).extracting(Scored::id).containsExactly("m", "z");
      assertThat(fusion.fuse(List.of(), 0.5, 60)).isEmpty();
    }
  }

  @Test
  void parsesNamesIgnoringCase() {
    assertThat(RetrievalSettings.FUSION.parse(" Boost ")).isEqualTo(Fusion.BOOST);
    assertThat(RetrievalSettings.FUSION.parse("rrf")).isEqualTo(Fusion.RRF);
    assertThat(RetrievalSettings.FUSION.parse("LINEAR")).isEqualTo(Fusion.LINEAR);
    assertThatThrownBy(() -> RetrievalSettings.FUSION.parse("max")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("boost, rrf or linear");
  }
}
