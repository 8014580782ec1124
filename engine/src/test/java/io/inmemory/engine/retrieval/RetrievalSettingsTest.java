package io.inmemory.engine.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inmemory.SearchResult.Ranking;
import io.inmemory.engine.lexical.Bm25;
import org.junit.jupiter.api.Test;

class RetrievalSettingsTest {

  private static final Bm25 BM25 = new Bm25(1.2, 0.3);

  private static RetrievalSettings settings(RetrievalMode mode, Fusion fusion) {
    return new RetrievalSettings(mode, fusion, 0.5, 60, 50, BM25);
  }

  @Test
  void eachModeSaysWhichSidesItNeedsAndWhatItsScoresMean() {
    RetrievalSettings dense = settings(RetrievalMode.DENSE, Fusion.BOOST);
    RetrievalSettings lexical = settings(RetrievalMode.LEXICAL, Fusion.BOOST);
    RetrievalSettings boost = settings(RetrievalMode.HYBRID, Fusion.BOOST);

    assertThat(dense.dense()).isTrue();
    assertThat(dense.lexical()).isFalse();
    assertThat(lexical.dense()).isFalse();
    assertThat(lexical.lexical()).isTrue();
    assertThat(boost.dense()).isTrue();
    assertThat(boost.lexical()).isTrue();
    assertThat(dense.ranking()).isEqualTo(Ranking.RELEVANCE);
    assertThat(lexical.ranking()).isEqualTo(Ranking.LEXICAL);
    assertThat(boost.ranking()).isEqualTo(Ranking.RELEVANCE);
    assertThat(settings(RetrievalMode.HYBRID, Fusion.RRF).ranking()).isEqualTo(Ranking.FUSED);
    assertThat(settings(RetrievalMode.HYBRID, Fusion.LINEAR).ranking()).isEqualTo(Ranking.FUSED);
  }

  @Test
  void modesParseIgnoringCaseAndRejectOthersNamingTheValidOnes() {
    assertThat(RetrievalSettings.MODE.parse(" Hybrid ")).isEqualTo(RetrievalMode.HYBRID);
    assertThat(RetrievalSettings.MODE.parse("DENSE")).isEqualTo(RetrievalMode.DENSE);
    assertThatThrownBy(() -> RetrievalSettings.MODE.parse("semantic"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dense, lexical or hybrid");
  }

  @Test
  void outOfRangeValuesAreRejected() {
    assertThatThrownBy(() -> new RetrievalSettings(RetrievalMode.HYBRID, Fusion.BOOST, 1.1, 60,
        50, BM25)).hasMessageContaining("lexicalWeight");
    assertThatThrownBy(() -> new RetrievalSettings(RetrievalMode.HYBRID, Fusion.BOOST, 0.5, -1,
        50, BM25)).hasMessageContaining("rankConstant");
    assertThatThrownBy(() -> new RetrievalSettings(RetrievalMode.HYBRID, Fusion.BOOST, 0.5, 60,
        0, BM25)).hasMessageContaining("candidates");
    assertThatThrownBy(() -> new RetrievalSettings(RetrievalMode.HYBRID, Fusion.BOOST, 0.5, 60,
        50, BM25, 1.5, 0.5)).hasMessageContaining("contextWeight");
    assertThatThrownBy(() -> new RetrievalSettings(RetrievalMode.HYBRID, Fusion.BOOST, 0.5, 60,
        50, BM25, 0.5, Double.NaN)).hasMessageContaining("neighborWeight");
    assertThatThrownBy(() -> RetrievalSettings.NEIGHBOR_WEIGHT.parse("2"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Bm25(-0.1, 0.5)).hasMessageContaining("k1");
    assertThatThrownBy(() -> new Bm25(1.2, Double.NaN)).hasMessageContaining("b");
  }
}
