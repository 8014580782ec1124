package io.inmemory.llm.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inmemory.ExtractionException;
import io.inmemory.ExtractionException.Reason;
import io.inmemory.llm.openai.LlmSettings.StructuredOutput;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chat completions whose answer must be JSON of a given schema. Asks with a strict JSON schema
 * ({@code response_format: json_schema}) or in JSON mode (the schema in the system prompt); in
 * {@code auto} mode, an endpoint that rejects schemas switches this client to JSON mode for its
 * lifetime and the call is repeated once. Every answer is checked against the schema and the
 * caller's further rules whatever the mode; a malformed or truncated answer gets one repair call,
 * after which it is {@link Reason#MALFORMED}; a refusal is {@link Reason#REFUSED}. Thread-safe.
 */
final class ChatClient {
  private static final Logger LOG = LoggerFactory.getLogger(ChatClient.class);
  /** Refuses text after the JSON value: an answer is one JSON object and nothing else. */
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final String PATH = "/chat/completions";
  /** How much of a bad answer an exception quotes. */
  private static final int QUOTE = 300;

  private final OpenAiHttp http;
  private final LlmSettings settings;
  private final Prompts prompts;
  /** Whether the calls go in JSON mode: configured, or since an endpoint refused a schema. */
  private final AtomicBoolean jsonMode;
  /** Whether the endpoint has once accepted a schema: then a plain 400 is not about it. */
  private final AtomicBoolean schemaAccepted = new AtomicBoolean();

  /**
   * One question to the model.
   *
   * @param name the schema's name in the request, such as {@code inmemory_facts_v1}
   * @param system the system prompt
   * @param user the user message
   * @param schema the answer's schema
   * @param rules the answer's further violations beyond the schema, given a schema-valid answer
   */
  record Call(String name, String system, String user, JsonNode schema,
      Function<JsonNode, List<String>> rules) {}

  ChatClient(OpenAiHttp http, LlmSettings settings, Prompts prompts) {
    this.http = http;
    this.settings = settings;
    this.prompts = prompts;
    this.jsonMode = new AtomicBoolean(settings.structuredOutput() == StructuredOutput.JSON_MODE);
  }

  /**
   * The model's answer to {@code call}, valid by its schema and rules.
   *
   * @throws ExtractionException when the endpoint fails, the model refuses, or the answer is
   *     still malformed after one repair
   */
  JsonNode complete(Call call) {
    long deadline = http.deadline();
    List<ObjectNode> followUps = new ArrayList<>();
    Answer answer = ask(call, followUps, deadline);
    if (answer.violations().isEmpty()) {
      return answer.json();
    }
    LOG.debug("the model's answer is malformed ({}); asking for a repair", answer.violations());
    followUps.add(message("assistant", answer.text()));
    followUps.add(message("user", prompts.repair(answer.violations())));
    Answer repaired = ask(call, followUps, deadline);
    if (repaired.violations().isEmpty()) {
      return repaired.json();
    }
    throw new ExtractionException(Reason.MALFORMED, "The model's answer is malformed even after"
        + " a repair: " + String.join("; ", repaired.violations()) + ". The answer began: "
        + quote(repaired.text()));
  }

  /** One model call, switching to JSON mode once if the endpoint refuses the schema. */
  private Answer ask(Call call, List<ObjectNode> followUps, long deadline) {
    boolean json = jsonMode.get();
    try {
      JsonNode completion = http.post(PATH, request(call, followUps, json), deadline);
      if (!json) {
        schemaAccepted.set(true);
      }
      return read(completion, call);
    } catch (ExtractionException e) {
      if (json || !refusesSchema(e) || !jsonMode.compareAndSet(false, true)) {
        throw e;
      }
      LOG.warn("{} refused a JSON schema ({}); this client asks in JSON mode from now on. Set"
          + " {}=json-mode to skip the first attempt.", settings.baseUrl(), e.getMessage(),
          LlmSettings.STRUCTURED_OUTPUT.name());
      return read(http.post(PATH, request(call, followUps, true), deadline), call);
    }
  }

  /**
   * Whether a failure is the endpoint refusing structured outputs: in {@code auto} mode, a 400 or
   * 422 that names {@code response_format} or {@code json_schema}, or any 400 before the endpoint
   * has accepted a schema once.
   */
  private boolean refusesSchema(ExtractionException e) {
    if (settings.structuredOutput() != StructuredOutput.AUTO || e.reason() != Reason.REJECTED) {
      return false;
    }
    int status = e.upstreamStatus().orElse(0);
    String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    boolean namesIt = message.contains("response_format") || message.contains("json_schema");
    return (status == 400 || status == 422) && namesIt
        || status == 400 && !schemaAccepted.get();
  }

  private ObjectNode request(Call call, List<ObjectNode> followUps, boolean json) {
    ObjectNode body = JSON.createObjectNode().put("model", settings.model());
    ArrayNode messages = body.putArray("messages");
    messages.add(message("system", json ? call.system() + prompts.jsonMode(call.schema())
        : call.system()));
    messages.add(message("user", call.user()));
    followUps.forEach(messages::add);
    body.put("temperature", settings.temperature()).put("max_tokens", settings.maxTokens());
    ObjectNode format = body.putObject("response_format");
    if (json) {
      format.put("type", "json_object");
    } else {
      format.put("type", "json_schema").putObject("json_schema").put("name", call.name())
          .put("strict", true).set("schema", call.schema());
    }
    return body;
  }

  private static ObjectNode message(String role, String content) {
    return JSON.createObjectNode().put("role", role).put("content", content);
  }

  /** The answer of a completion with its violations; throws on a refusal. */
  private Answer read(JsonNode completion, Call call) {
    JsonNode choice = completion.path("choices").path(0);
    JsonNode message = choice.path("message");
    JsonNode refusal = message.path("refusal");
    if (refusal.isTextual() && !refusal.asText().isBlank()) {
      throw new ExtractionException(Reason.REFUSED, "The model refused: "
          + quote(refusal.asText()));
    }
    if (!message.path("content").isTextual()) {
      return new Answer(completion.toString(), JSON.nullNode(), List.of(choice.isMissingNode()
          ? "the completion has no choices[0]" : "the completion has no message content"));
    }
    String text = message.get("content").asText();
    if ("length".equals(choice.path("finish_reason").asText())) {
      return new Answer(text, JSON.nullNode(), List.of("the answer was cut off at max_tokens ("
          + settings.maxTokens() + "); answer more briefly"));
    }
    JsonNode json;
    try {
      json = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return new Answer(text, JSON.nullNode(), List.of("the answer is not JSON: "
          + e.getOriginalMessage()));
    }
    List<String> violations = SchemaCheck.violations(json, call.schema());
    if (violations.isEmpty()) {
      violations = call.rules().apply(json);
    }
    return new Answer(text, json, violations);
  }

  private static String quote(String text) {
    return text.length() <= QUOTE ? text : text.substring(0, QUOTE) + "…";
  }

  /** A model's answer: its text, its JSON (null node when not JSON) and what is wrong with it. */
  private record Answer(String text, JsonNode json, List<String> violations) {}
}
