package io.inmemory.llm.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.inmemory.ConfigurationException;
import io.inmemory.ExtractionException;
import io.inmemory.ExtractionException.Reason;
import io.inmemory.InMemoryConfig;
import io.inmemory.Message;
import io.inmemory.Scope;
import io.inmemory.engine.spi.Action;
import io.inmemory.engine.spi.Candidate;
import io.inmemory.engine.spi.Decision;
import io.inmemory.engine.spi.ExtractionInput;
import io.inmemory.engine.spi.Extractor;
import io.inmemory.engine.spi.ExtractorProvider;
import io.inmemory.engine.spi.Fact;
import io.inmemory.engine.spi.ReconciliationInput;
import io.inmemory.llm.openai.testing.ScriptedOpenAi;
import io.inmemory.llm.openai.testing.ScriptedOpenAi.Answer;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpenAiExtractorTest {
  private static final Instant NOW = Instant.parse("2026-03-10T09:30:00Z");
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
  private static final List<Fact> TWO_FACTS = List.of(
      new Fact("John moved to Berlin", List.of("John"), "home", List.of(), "last month",
          List.of(0)),
      new Fact("John likes pizza with anchovies", List.of("John"), "food", List.of(), null,
          List.of(1)));
  private static final List<Candidate> CANDIDATES = List.of(
      new Candidate("m1", "John lives in Paris", "home", Instant.parse("2024-01-01T00:00:00Z")),
      new Candidate("m2", "John likes pizza", null, Instant.parse("2025-01-01T00:00:00Z")));

  private final ScriptedOpenAi server = ScriptedOpenAi.start();

  @AfterEach
  void stop() {
    server.close();
  }

  private Extractor extractor(Map<String, String> overrides) {
    return provider().create(TestSettings.config(server, overrides));
  }

  private static ExtractorProvider provider() {
    return ServiceLoader.load(ExtractorProvider.class).stream().map(ServiceLoader.Provider::get)
        .filter(provider -> provider.name().equals("openai")).findFirst().orElseThrow();
  }

  private static ExtractionInput conversation(List<String> instructions) {
    return new ExtractionInput(List.of(
        Message.user("I moved to Berlin last month").withName("John")
            .withTimestamp(Instant.parse("2026-03-09T18:00:00Z")),
        Message.assistant("Nice! Do you still like pizza?"),
        Message.user("Yes, with anchovies")), Scope.user("john"), NOW, PARIS, instructions);
  }

  @Test
  void extractsFactsFromTheConversation() {
    server.onChat(Answer.json("{\"facts\":[{\"content\":\" John moved to Berlin \","
        + "\"people\":[\"John\",\" \"],\"topic\":\"home\",\"tags\":[\"move\"],"
        + "\"when\":\"last month\",\"sources\":[0]},{\"content\":\"John likes pizza with"
        + " anchovies\",\"people\":[\"John\"],\"topic\":null,\"tags\":[],\"when\":null,"
        + "\"sources\":[1,2]}]}"));

    List<Fact> facts = extractor(Map.of(LlmSettings.INSTRUCTIONS.name(), "Remember moves"))
        .extract(conversation(List.of("Ignore the weather")));

    assertThat(facts).containsExactly(
        new Fact("John moved to Berlin", List.of("John"), "home", List.of("move"), "last month",
            List.of(0)),
        new Fact("John likes pizza with anchovies", List.of("John"), null, List.of(), null,
            List.of(1, 2)));
    ScriptedOpenAi.Request request = server.chatRequests().get(0);
    assertThat(request.json().path("response_format").path("json_schema").path("name").asText())
        .isEqualTo("inmemory_facts_v1");
    assertThat(request.messageContent(0)).contains("Today is 2026-03-10.")
        .contains("- Remember moves\n- Ignore the weather");
    JsonNode user = request.userJson();
    assertThat(user.path("reference_time").asText()).isEqualTo("2026-03-10T10:30+01:00");
    JsonNode first = user.path("messages").get(0);
    assertThat(first.path("index").asInt()).isZero();
    assertThat(first.path("role").asText()).isEqualTo("user");
    assertThat(first.path("name").asText()).isEqualTo("John");
    assertThat(first.path("time").asText()).isEqualTo("2026-03-09T19:00+01:00");
    assertThat(first.path("content").asText()).isEqualTo("I moved to Berlin last month");
    assertThat(user.path("messages").get(1).has("name")).isFalse();
    assertThat(user.path("messages").get(2).path("role").asText()).isEqualTo("user");
  }

  @Test
  void noFactsIsAnEmptyList() {
    server.onChat(Answer.json("{\"facts\":[]}"));

    assertThat(extractor(Map.of()).extract(conversation(List.of()))).isEmpty();
  }

  @Test
  void aSourceOutOfRangeIsRepairedThenMalformed() {
    String outOfRange = "{\"facts\":[{\"content\":\"John moved\",\"people\":[],\"topic\":null,"
        + "\"tags\":[],\"when\":null,\"sources\":[3]}]}";
    server.onChat(Answer.json(outOfRange));
    server.onChat(Answer.json(outOfRange.replace("John moved", " ")));

    assertThatThrownBy(() -> extractor(Map.of()).extract(conversation(List.of())))
        .isInstanceOfSatisfying(ExtractionException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
          assertThat(e.getMessage()).contains("$.facts[0].content is blank")
              .contains("$.facts[0].sources: 3 is not a message index (0 to 2)");
        });
    assertThat(server.chatRequests().get(1).messageContent(3))
        .contains("3 is not a message index");
  }

  @Test
  void reconcilesWithRefsAndReturnsDecisionsInFactOrder() {
    server.onChat(Answer.json("{\"decisions\":[{\"fact\":1,\"action\":\"UPDATE\",\"ref\":\"m2\","
        + "\"content\":\"John likes pizza with anchovies\"},{\"fact\":0,\"action\":\"SUPERSEDE\","
        + "\"ref\":\"m1\",\"content\":null}]}"));

    List<Decision> decisions = extractor(Map.of()).reconcile(
        new ReconciliationInput(TWO_FACTS, CANDIDATES, List.of("Prefer updates")));

    assertThat(decisions).containsExactly(
        new Decision(0, Action.SUPERSEDE, "m1", null),
        new Decision(1, Action.UPDATE, "m2", "John likes pizza with anchovies"));
    ScriptedOpenAi.Request request = server.chatRequests().get(0);
    assertThat(request.json().path("response_format").path("json_schema").path("name").asText())
        .isEqualTo("inmemory_decisions_v1");
    assertThat(request.messageContent(0)).contains("- Prefer updates");
    JsonNode user = request.userJson();
    assertThat(user.path("facts").get(0).path("content").asText())
        .isEqualTo("John moved to Berlin");
    assertThat(user.path("facts").get(0).path("when").asText()).isEqualTo("last month");
    assertThat(user.path("facts").get(1).path("when").isNull()).isTrue();
    assertThat(user.path("memories").get(0).path("ref").asText()).isEqualTo("m1");
    assertThat(user.path("memories").get(0).path("valid_from").asText())
        .isEqualTo("2024-01-01T00:00:00Z");
    assertThat(user.path("memories").get(1).path("topic").isNull()).isTrue();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"fact\":0,\"action\":\"ADD\",\"ref\":null,\"content\":null}"
          + "|fact 1 has no decision",
      "{\"fact\":0,\"action\":\"ADD\",\"ref\":null,\"content\":null},{\"fact\":0,\"action\":"
          + "\"ADD\",\"ref\":null,\"content\":null},{\"fact\":1,\"action\":\"ADD\",\"ref\":null,"
          + "\"content\":null}|fact 0 is decided more than once",
      "{\"fact\":0,\"action\":\"SUPERSEDE\",\"ref\":\"m7\",\"content\":null},{\"fact\":1,"
          + "\"action\":\"ADD\",\"ref\":null,\"content\":null}|m7 is not one of the memories",
      "{\"fact\":0,\"action\":\"NONE\",\"ref\":null,\"content\":null},{\"fact\":1,"
          + "\"action\":\"ADD\",\"ref\":null,\"content\":null}|NONE needs the ref of a memory",
      "{\"fact\":0,\"action\":\"ADD\",\"ref\":\"m1\",\"content\":null},{\"fact\":1,"
          + "\"action\":\"ADD\",\"ref\":null,\"content\":null}|ADD names no memory, but names m1",
      "{\"fact\":0,\"action\":\"ADD\",\"ref\":null,\"content\":null},{\"fact\":1,"
          + "\"action\":\"UPDATE\",\"ref\":\"m2\",\"content\":\" \"}|UPDATE needs the merged content",
      "{\"fact\":0,\"action\":\"SUPERSEDE\",\"ref\":\"m1\",\"content\":null},{\"fact\":1,"
          + "\"action\":\"UPDATE\",\"ref\":\"m1\",\"content\":\"x\"}|m1 is already changed by fact 0",
      "{\"fact\":0,\"action\":\"ADD\",\"ref\":null,\"content\":null},{\"fact\":2,"
          + "\"action\":\"ADD\",\"ref\":null,\"content\":null}|2 is not a fact number (0 to 1)"})
  void decisionsTheEngineCannotApplyAreMalformed(String decisions, String violation) {
    String answer = "{\"decisions\":[" + decisions + "]}";
    server.onChat(Answer.json(answer));
    server.onChat(Answer.json(answer));

    assertThatThrownBy(() -> extractor(Map.of()).reconcile(
        new ReconciliationInput(TWO_FACTS, CANDIDATES, List.of())))
        .isInstanceOfSatisfying(ExtractionException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
          assertThat(e.getMessage()).contains(violation);
        });
    assertThat(server.chatRequests().get(1).messageContent(3)).contains(violation);
  }

  @Test
  void twoFactsMayBothRepeatOneMemory() {
    server.onChat(Answer.json("{\"decisions\":[{\"fact\":0,\"action\":\"NONE\",\"ref\":\"m1\","
        + "\"content\":null},{\"fact\":1,\"action\":\"NONE\",\"ref\":\"m1\",\"content\":null}]}"));

    assertThat(extractor(Map.of()).reconcile(
        new ReconciliationInput(TWO_FACTS, CANDIDATES, List.of())))
        .extracting(Decision::action).containsExactly(Action.NONE, Action.NONE);
  }

  @Test
  void idNamesTheModelAndThePromptVersion() {
    assertThat(extractor(Map.of()).id()).isEqualTo("openai:scripted-model:prompts-v1");
    assertThat(server.requests()).as("creating an extractor opens no connection").isEmpty();
  }

  @Test
  void configurationErrorsNameTheKey() {
    InMemoryConfig noModel = InMemoryConfig.builder().isolated()
        .set(LlmSettings.BASE_URL.name(), server.baseUrl()).build();
    assertThatThrownBy(() -> provider().create(noModel))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("inmemory.llm.model");

    InMemoryConfig openAiWithoutKey = InMemoryConfig.builder().isolated()
        .set(LlmSettings.MODEL.name(), "gpt-4o-mini").build();
    assertThatThrownBy(() -> provider().create(openAiWithoutKey))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("inmemory.llm.api-key is not set")
        .hasMessageContaining("OPENAI_API_KEY");

    assertThatThrownBy(() -> extractor(Map.of(LlmSettings.BASE_URL.name(), "ftp://x",
        LlmSettings.STRUCTURED_OUTPUT.name(), "xml", LlmSettings.PROMPT_VERSION.name(), "7")))
        .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems())
            .anySatisfy(problem -> assertThat(problem).contains("inmemory.llm.base-url")
                .contains("'ftp://x' is not an http or https URL"))
            .anySatisfy(problem -> assertThat(problem).contains("inmemory.llm.structured-output")
                .contains("'xml' is not auto, json-schema or json-mode")));

    assertThatThrownBy(() -> extractor(Map.of(LlmSettings.PROMPT_VERSION.name(), "7")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("inmemory.llm.prompt-version is 7");
  }

  @Test
  void aBaseUrlWithCredentialsIsRefusedWithoutShowingThem() {
    for (String key : List.of(LlmSettings.BASE_URL.name(), EmbeddingSettings.BASE_URL.name())) {
      InMemoryConfig config = InMemoryConfig.builder().isolated()
          .set(key, "https://bob:s3cret@llm.example.com/v1").build();
      assertThatThrownBy(() -> config.validate(List.of(LlmSettings.BASE_URL,
          EmbeddingSettings.BASE_URL)))
          .isInstanceOf(ConfigurationException.class).hasMessageContaining(key)
          .hasMessageContaining("https://***@llm.example.com/v1")
          .hasMessageContaining("api-key").hasMessageNotContaining("s3cret");
    }
  }
}
