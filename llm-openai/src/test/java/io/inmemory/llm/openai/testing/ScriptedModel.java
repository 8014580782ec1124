package io.inmemory.llm.openai.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inmemory.InMemoryConfig;
import io.inmemory.llm.openai.LlmSettings;
import io.inmemory.llm.openai.testing.ScriptedOpenAi.Answer;
import io.inmemory.tck.ModelScript;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The {@link ModelScript} of the contract suites over a {@link ScriptedOpenAi}: facts and
 * decisions become the JSON answers of the prompts' schemas, so that a client under test runs the
 * real extraction path (HTTP, JSON, schema checks, the engine's pipeline). Thread-safe.
 */
public final class ScriptedModel implements ModelScript {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ScriptedOpenAi server;

  public ScriptedModel(ScriptedOpenAi server) {
    this.server = Objects.requireNonNull(server, "server");
  }

  /**
   * The keys that point an engine at this model: the {@code openai} extractor, the server's base
   * URL, no retries (a scripted failure is the failure), a short timeout.
   */
  public Map<String, String> settings() {
    return Map.of(InMemoryConfig.EXTRACTOR.name(), "openai",
        LlmSettings.BASE_URL.name(), server.baseUrl(),
        LlmSettings.MODEL.name(), "scripted",
        LlmSettings.MAX_RETRIES.name(), "0",
        LlmSettings.REQUEST_TIMEOUT_MS.name(), "10000");
  }

  @Override
  public void nextFacts(List<ScriptedFact> facts) {
    ObjectNode answer = JSON.createObjectNode();
    ArrayNode items = answer.putArray("facts");
    for (ScriptedFact fact : facts) {
      ObjectNode item = items.addObject().put("content", fact.content());
      fact.people().forEach(item.putArray("people")::add);
      item.put("topic", fact.topic());
      fact.tags().forEach(item.putArray("tags")::add);
      item.put("when", fact.when());
      fact.sources().forEach(item.putArray("sources")::add);
    }
    server.onChat(Answer.json(text(answer)));
  }

  @Override
  public void nextDecisions(Function<List<Shown>, List<ScriptedDecision>> decide) {
    server.onChat(request -> {
      List<Shown> shown = new ArrayList<>();
      request.userJson().path("memories").forEach(memory -> shown.add(
          new Shown(memory.path("ref").asText(), memory.path("content").asText())));
      ObjectNode answer = JSON.createObjectNode();
      ArrayNode items = answer.putArray("decisions");
      for (ScriptedDecision decision : decide.apply(shown)) {
        items.addObject().put("fact", decision.fact()).put("action", decision.action())
            .put("ref", decision.ref()).put("content", decision.content());
      }
      return Answer.json(text(answer));
    });
  }

  @Override
  public void failNext(int status) {
    server.onChat(Answer.status(status));
  }

  @Override
  public void malformedNext(int times) {
    for (int i = 0; i < times; i++) {
      server.onChat(Answer.text("this is not JSON"));
    }
  }

  @Override
  public void reset() {
    server.forgetQueued();
  }

  private static String text(ObjectNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
