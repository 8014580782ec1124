package io.inmemory.llm.openai;

import io.inmemory.InMemoryConfig;
import io.inmemory.llm.openai.testing.ScriptedOpenAi;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Settings for tests against a {@link ScriptedOpenAi}: two retries, and a request timeout that a
 * busy machine does not reach (tests of timeouts set a small one).
 */
final class TestSettings {
  private TestSettings() {}

  /** The configuration of {@code server} with test timeouts, then {@code overrides}. */
  static InMemoryConfig config(ScriptedOpenAi server, Map<String, String> overrides) {
    InMemoryConfig.Builder builder = InMemoryConfig.builder().isolated()
        .set(LlmSettings.BASE_URL.name(), server.baseUrl())
        .set(LlmSettings.MODEL.name(), "scripted-model")
        .set(LlmSettings.REQUEST_TIMEOUT_MS.name(), "5000")
        .set(LlmSettings.DEADLINE_MS.name(), "10000")
        .set(LlmSettings.MAX_RETRIES.name(), "2");
    overrides.forEach(builder::set);
    return builder.build();
  }

  static LlmSettings llm(ScriptedOpenAi server, Map<String, String> overrides) {
    return LlmSettings.from(config(server, overrides));
  }

  /**
   * A ticker whose sleeps return at once and move its clocks forward instead, recording each
   * wait: backoff and deadlines are tested without waiting.
   */
  static final class InstantTicker implements OpenAiHttp.Ticker {
    private final List<Duration> sleeps = new ArrayList<>();
    private long offsetNanos;

    @Override
    public synchronized long nanoTime() {
      return System.nanoTime() + offsetNanos;
    }

    @Override
    public synchronized Instant now() {
      return Instant.now().plusNanos(offsetNanos);
    }

    @Override
    public synchronized void sleep(Duration duration) {
      sleeps.add(duration);
      offsetNanos += duration.toNanos();
    }

    synchronized List<Duration> sleeps() {
      return List.copyOf(sleeps);
    }
  }
}
