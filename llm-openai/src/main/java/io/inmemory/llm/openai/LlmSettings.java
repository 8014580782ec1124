package io.inmemory.llm.openai;

import io.inmemory.ConfigKey;
import io.inmemory.ConfigurationException;
import io.inmemory.InMemoryConfig;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How the {@code openai} extractor talks to its chat model: the keys {@code inmemory.llm.*}.
 * Immutable and thread-safe; {@link #toString()} never shows the API key.
 *
 * @param baseUrl the OpenAI-compatible endpoint, without a trailing slash
 * @param model the chat model's id; not blank
 * @param apiKey the Bearer token, or {@code null} for an endpoint without authentication
 *     (required for {@code api.openai.com})
 * @param connectTimeout the TCP and TLS connect timeout
 * @param requestTimeout the longest one HTTP exchange may take
 * @param deadline the longest one extraction or reconciliation may take, every attempt, wait
 *     and repair included
 * @param maxRetries retries of an exchange that failed with 429, 500, 502, 503, 504, a connect
 *     failure or a timeout
 * @param maxRetryAfter the longest {@code Retry-After} waited for; a longer one fails at once
 * @param structuredOutput how the answer's form is asked for
 * @param temperature the sampling temperature, 0 to 2
 * @param maxTokens {@code max_tokens} of each call
 * @param promptVersion which prompt resources ({@code prompts/v<N>/}) are used
 * @param instructions the application's instructions (what to remember or ignore), or
 *     {@code null}
 * @param candidates how many similar memories per fact are shown to reconciliation
 */
public record LlmSettings(URI baseUrl, String model, @Nullable String apiKey,
    Duration connectTimeout, Duration requestTimeout, Duration deadline, int maxRetries,
    Duration maxRetryAfter, StructuredOutput structuredOutput, double temperature, int maxTokens,
    int promptVersion, @Nullable String instructions, int candidates) {

  /** The endpoint; any OpenAI-compatible one (Ollama, vLLM, LM Studio, llama.cpp). */
  public static final ConfigKey<URI> BASE_URL = ConfigKey.of("inmemory.llm.base-url",
      URI.create("https://api.openai.com/v1"), HttpSettings::url,
      "The OpenAI-compatible endpoint of the chat model, such as http://localhost:11434/v1 for"
          + " Ollama.");

  /** The chat model's id; required. */
  public static final ConfigKey<String> MODEL = ConfigKey.string("inmemory.llm.model", null,
      "The chat model's id, such as gpt-4o-mini or llama3.1:8b.");

  /** The Bearer token; never logged. */
  public static final ConfigKey<String> API_KEY = ConfigKey.string("inmemory.llm.api-key", null,
      "The API key sent as a Bearer token; required for api.openai.com; never logged.",
      "OPENAI_API_KEY");

  private static final HttpSettings.Keys HTTP = HttpSettings.Keys.under("inmemory.llm.", "chat");

  public static final ConfigKey<Integer> CONNECT_TIMEOUT_MS = HTTP.connectTimeout();
  public static final ConfigKey<Integer> REQUEST_TIMEOUT_MS = HTTP.requestTimeout();
  public static final ConfigKey<Integer> DEADLINE_MS = HTTP.deadline();
  public static final ConfigKey<Integer> MAX_RETRIES = HTTP.maxRetries();
  public static final ConfigKey<Integer> MAX_RETRY_AFTER_MS = HTTP.maxRetryAfter();

  /** How the answer's form is asked for: {@code auto}, {@code json-schema} or {@code json-mode}. */
  public static final ConfigKey<StructuredOutput> STRUCTURED_OUTPUT = ConfigKey.of(
      "inmemory.llm.structured-output", StructuredOutput.AUTO, StructuredOutput::parse,
      "auto (JSON schema, falling back to JSON mode when the endpoint refuses schemas),"
          + " json-schema or json-mode.");

  public static final ConfigKey<Double> TEMPERATURE = ConfigKey.decimal("inmemory.llm.temperature",
      0.0, 0, 2, "The sampling temperature of the chat model.");

  public static final ConfigKey<Integer> MAX_TOKENS = ConfigKey.integer("inmemory.llm.max-tokens",
      2048, 1, 1_000_000, "max_tokens of each chat call.");

  public static final ConfigKey<Integer> PROMPT_VERSION = ConfigKey.integer(
      "inmemory.llm.prompt-version", 1, 1, 1000,
      "Which version of the prompts is used; the extractor's id names it.");

  public static final ConfigKey<String> INSTRUCTIONS = ConfigKey.string(
      "inmemory.llm.instructions", null,
      "The application's instructions to the model: what to remember or ignore.");

  public static final ConfigKey<Integer> CANDIDATES = ConfigKey.integer("inmemory.llm.candidates",
      5, 1, 50, "How many similar memories per new fact are shown to the model to reconcile.");

  /** How the answer's form is asked for. */
  public enum StructuredOutput {
    /** A JSON schema first; JSON mode for the client's lifetime once the endpoint refuses it. */
    AUTO,
    /** Always a strict JSON schema ({@code response_format} {@code json_schema}). */
    JSON_SCHEMA,
    /** Always JSON mode ({@code json_object}), with the schema in the system prompt. */
    JSON_MODE;

    /** The key's spelling: {@code auto}, {@code json-schema}, {@code json-mode}. */
    public String key() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static StructuredOutput parse(String value) {
      for (StructuredOutput mode : values()) {
        if (mode.key().equalsIgnoreCase(value.trim())) {
          return mode;
        }
      }
      throw new IllegalArgumentException("'" + value + "' is not auto, json-schema or json-mode");
    }
  }

  public LlmSettings {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(model, "model");
    if (model.isBlank()) {
      throw new ConfigurationException(MODEL.name() + " is blank: set it to the chat model's id");
    }
    Objects.requireNonNull(structuredOutput, "structuredOutput");
    if (apiKey != null && apiKey.isBlank()) {
      apiKey = null;
    }
    if (instructions != null && instructions.isBlank()) {
      instructions = null;
    }
    // the endpoint's own checks, before any client is built from these settings
    new HttpSettings(baseUrl, apiKey, connectTimeout, requestTimeout, deadline, maxRetries,
        maxRetryAfter);
  }

  /** Every key these settings read. */
  public static List<ConfigKey<?>> keys() {
    List<ConfigKey<?>> keys = new ArrayList<>(List.of(BASE_URL, MODEL, API_KEY));
    keys.addAll(HTTP.list());
    keys.addAll(List.of(STRUCTURED_OUTPUT, TEMPERATURE, MAX_TOKENS, PROMPT_VERSION, INSTRUCTIONS,
        CANDIDATES));
    return List.copyOf(keys);
  }

  /**
   * The settings configured in {@code config}.
   *
   * @throws ConfigurationException listing every invalid value, when the model is not set, or
   *     when {@code api.openai.com} is used without a key
   */
  public static LlmSettings from(InMemoryConfig config) {
    config.validate(keys());
    HttpSettings http = HTTP.read(config, BASE_URL, config.get(BASE_URL), API_KEY,
        config.find(API_KEY).orElse(null));
    return new LlmSettings(http.baseUrl(), config.get(MODEL), http.apiKey(),
        http.connectTimeout(), http.requestTimeout(), http.deadline(), http.maxRetries(),
        http.maxRetryAfter(), config.get(STRUCTURED_OUTPUT), config.get(TEMPERATURE),
        config.get(MAX_TOKENS), config.get(PROMPT_VERSION), config.find(INSTRUCTIONS).orElse(null),
        config.get(CANDIDATES));
  }

  /** How {@link OpenAiHttp} reaches the endpoint. */
  HttpSettings http() {
    return new HttpSettings(baseUrl, apiKey, connectTimeout, requestTimeout, deadline, maxRetries,
        maxRetryAfter);
  }

  @Override
  public String toString() {
    return "LlmSettings[baseUrl=" + baseUrl + ", model=" + model + ", apiKey="
        + (apiKey == null ? "none" : "***") + ", connectTimeout=" + connectTimeout
        + ", requestTimeout=" + requestTimeout + ", deadline=" + deadline + ", maxRetries="
        + maxRetries + ", maxRetryAfter=" + maxRetryAfter + ", structuredOutput="
        + structuredOutput.key() + ", temperature=" + temperature + ", maxTokens=" + maxTokens
        + ", promptVersion=" + promptVersion + ", instructions=" + instructions + ", candidates="
        + candidates + "]";
  }
}
