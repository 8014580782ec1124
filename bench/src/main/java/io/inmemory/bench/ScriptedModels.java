package io.inmemory.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inmemory.InMemoryConfig;
import io.inmemory.llm.openai.LlmSettings;
import io.inmemory.llm.openai.testing.ScriptedOpenAi;
import io.inmemory.llm.openai.testing.ScriptedOpenAi.Answer;
import java.util.Map;

/**
 * What the benchmarks' scripted models ({@link LocomoFactModel}, {@link SupersedeModel}) share:
 * the keys that point an engine at one, and the answer to a request it has no script for.
 * Stateless.
 */
final class ScriptedModels {
  private ScriptedModels() {}

  /**
   * The {@code openai} extractor against {@code server}, as model {@code model}: no retries (an
   * answer the engine cannot use is a failure of the benchmark, never retried away) and a request
   * timeout far above the instant answers, since two cores may be busy embedding.
   */
  static Map<String, String> settings(ScriptedOpenAi server, String model) {
    return Map.of(InMemoryConfig.EXTRACTOR.name(), "openai",
        LlmSettings.BASE_URL.name(), server.baseUrl(),
        LlmSettings.MODEL.name(), model,
        LlmSettings.MAX_RETRIES.name(), "0",
        LlmSettings.REQUEST_TIMEOUT_MS.name(), "120000");
  }

  /** A 500 with an OpenAI-style error: the engine reports it as a failed model call. */
  static Answer unscripted(String message) {
    ObjectNode error = JsonNodeFactory.instance.objectNode();
    error.putObject("error").put("message", message).put("type", "scripted");
    return Answer.status(500, error.toString());
  }
}
