package io.inmemory.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.inmemory.ConfigurationException;
import io.inmemory.InMemoryConfig;
import io.inmemory.engine.tck.HashingEmbedder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The engine's keys live beside what they configure; it still reports them in one fixed order. */
class EngineConfigTest {
  private static final List<String> IN_ORDER = List.of("inmemory.max-query-length",
      "inmemory.embedder.query-cache-size", "inmemory.week-start", "inmemory.recent-days",
      "inmemory.retrieval.mode", "inmemory.retrieval.fusion", "inmemory.retrieval.lexical-weight",
      "inmemory.retrieval.rrf-k", "inmemory.retrieval.candidates", "inmemory.retrieval.bm25-k1",
      "inmemory.retrieval.bm25-b");

  @Test
  void everyInvalidKeyIsReportedAtOnceInTheEnginesOrder() {
    InMemoryConfig.Builder config = InMemoryConfig.builder().isolated();
    // set in reverse, so the order of the report cannot come from the order of the settings
    for (int i = IN_ORDER.size() - 1; i >= 0; i--) {
      config.set(IN_ORDER.get(i), "not-a-value");
    }

    ConfigurationException error = catchThrowableOfType(ConfigurationException.class,
        () -> Memory.builder().config(config.build()).store(new VolatileMemoryStore())
            .embedder(new HashingEmbedder()).build());

    assertThat(error.problems()).extracting(problem -> problem.substring(0, problem.indexOf(' ')))
        .containsExactlyElementsOf(IN_ORDER);
  }
}
