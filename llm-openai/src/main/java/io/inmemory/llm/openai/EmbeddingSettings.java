package io.inmemory.llm.openai;

import io.inmemory.ConfigKey;
import io.inmemory.ConfigurationException;
import io.inmemory.InMemoryConfig;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How the {@code openai} embedder reaches its model: the keys {@code inmemory.embedder.openai.*}.
 * The endpoint and key default to the chat model's ({@code inmemory.llm.base-url},
 * {@code inmemory.llm.api-key}). Immutable and thread-safe; {@link #toString()} never shows the
 * API key.
 *
 * @param baseUrl the OpenAI-compatible endpoint, without a trailing slash
 * @param model the embedding model's id; not blank
 * @param apiKey the Bearer token, or {@code null} for an endpoint without authentication
 * @param dimensions the vectors' dimension, sent to the endpoint and checked; {@code null} to
 *     learn it with one probe embedding when the embedder is created
 * @param batchSize the most texts per request (requests are also split at 300,000 characters)
 * @param maxConcurrency the most requests one {@code embedDocuments} call has in flight
 * @param queryPrefix put before every query, for models such as e5 or nomic; empty for none
 * @param documentPrefix put before every stored text; empty for none
 * @param connectTimeout the TCP and TLS connect timeout
 * @param requestTimeout the longest one HTTP exchange may take
 * @param deadline the longest one embedding call may take, every attempt and wait included
 * @param maxRetries retries of an exchange that failed with 429, 500, 502, 503, 504, a connect
 *     failure or a timeout
 * @param maxRetryAfter the longest {@code Retry-After} waited for; a longer one fails at once
 */
public record EmbeddingSettings(URI baseUrl, String model, @Nullable String apiKey,
    @Nullable Integer dimensions, int batchSize, int maxConcurrency, String queryPrefix, String documentPrefix,
    Duration connectTimeout, Duration requestTimeout, Duration deadline, int maxRetries,
    Duration maxRetryAfter) {

  private static final String PREFIX = "inmemory.embedder.openai.";

  /** The endpoint; unset, the chat model's ({@code inmemory.llm.base-url}). */
  public static final ConfigKey<URI> BASE_URL = ConfigKey.of(PREFIX + "base-url", null,
      HttpSettings::url, "The OpenAI-compatible endpoint of the embedding model. Default: the"
          + " value of inmemory.llm.base-url.");

  /** The embedding model's id; required. */
  public static final ConfigKey<String> MODEL = ConfigKey.string(PREFIX + "model", null,
      "The embedding model's id, such as text-embedding-3-small or nomic-embed-text.");

  /** The Bearer token; unset, the chat model's ({@code inmemory.llm.api-key}); never logged. */
  public static final ConfigKey<String> API_KEY = ConfigKey.string(PREFIX + "api-key", null,
      "The API key sent as a Bearer token. Default: the value of inmemory.llm.api-key; never"
          + " logged.");

  public static final ConfigKey<Integer> DIMENSIONS = ConfigKey.integer(PREFIX + "dimensions",
      null, 1, 65_536, "The vectors' dimension, sent to the endpoint and checked. Unset: learned"
          + " with one probe embedding when the embedder is created.");

  public static final ConfigKey<Integer> BATCH_SIZE = ConfigKey.integer(PREFIX + "batch-size",
      64, 1, 2048, "The most texts per embeddings request.");

  public static final ConfigKey<Integer> MAX_CONCURRENCY = ConfigKey.integer(
      PREFIX + "max-concurrency", 4, 1, 64,
      "The most embeddings requests one call sends at once (its batches in flight).");

  public static final ConfigKey<String> QUERY_PREFIX = ConfigKey.string(PREFIX + "query-prefix",
      null, "Text put before every query, such as 'query: ' for e5 models.");

  public static final ConfigKey<String> DOCUMENT_PREFIX = ConfigKey.string(
      PREFIX + "document-prefix", null,
      "Text put before every stored text, such as 'passage: ' for e5 models.");

  private static final HttpSettings.Keys HTTP = HttpSettings.Keys.under(PREFIX, "embedding");

  public static final ConfigKey<Integer> CONNECT_TIMEOUT_MS = HTTP.connectTimeout();
  public static final ConfigKey<Integer> REQUEST_TIMEOUT_MS = HTTP.requestTimeout();
  public static final ConfigKey<Integer> DEADLINE_MS = HTTP.deadline();
  public static final ConfigKey<Integer> MAX_RETRIES = HTTP.maxRetries();
  public static final ConfigKey<Integer> MAX_RETRY_AFTER_MS = HTTP.maxRetryAfter();

  public EmbeddingSettings {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(model, "model");
    if (model.isBlank()) {
      throw new ConfigurationException(MODEL.name() + " is blank: set it to the embedding"
          + " model's id");
    }
    if (apiKey != null && apiKey.isBlank()) {
      apiKey = null;
    }
    if (batchSize < 1) {
      throw new ConfigurationException(BATCH_SIZE.name() + " is " + batchSize
          + ": set at least 1");
    }
    if (maxConcurrency < 1) {
      throw new ConfigurationException(MAX_CONCURRENCY.name() + " is " + maxConcurrency
          + ": set at least 1");
    }
    Objects.requireNonNull(queryPrefix, "queryPrefix");
    Objects.requireNonNull(documentPrefix, "documentPrefix");
    // the endpoint's own checks, before any client is built from these settings
    new HttpSettings(baseUrl, apiKey, connectTimeout, requestTimeout, deadline, maxRetries,
        maxRetryAfter);
  }

  /** Every key these settings read, besides the chat model's endpoint and key they default to. */
  public static List<ConfigKey<?>> keys() {
    List<ConfigKey<?>> keys = new ArrayList<>(List.of(BASE_URL, MODEL, API_KEY, DIMENSIONS,
        BATCH_SIZE, MAX_CONCURRENCY, QUERY_PREFIX, DOCUMENT_PREFIX));
    keys.addAll(HTTP.list());
    return List.copyOf(keys);
  }

  /**
   * The settings configured in {@code config}.
   *
   * @throws ConfigurationException listing every invalid value, when the model is not set, or
   *     when {@code api.openai.com} is used without a key
   */
  public static EmbeddingSettings from(InMemoryConfig config) {
    config.validate(keys());
    config.validate(List.of(LlmSettings.BASE_URL, LlmSettings.API_KEY));
    ConfigKey<URI> urlKey = config.find(BASE_URL).isPresent() ? BASE_URL : LlmSettings.BASE_URL;
    ConfigKey<String> keyKey = config.find(API_KEY).isPresent() ? API_KEY : LlmSettings.API_KEY;
    HttpSettings http = HTTP.read(config, urlKey, config.get(urlKey), keyKey,
        config.find(keyKey).orElse(null));
    return new EmbeddingSettings(http.baseUrl(), config.get(MODEL), http.apiKey(),
        config.find(DIMENSIONS).orElse(null), config.get(BATCH_SIZE), config.get(MAX_CONCURRENCY),
        config.find(QUERY_PREFIX).orElse(""), config.find(DOCUMENT_PREFIX).orElse(""),
        http.connectTimeout(), http.requestTimeout(), http.deadline(), http.maxRetries(),
        http.maxRetryAfter());
  }

  /** How {@link OpenAiHttp} reaches the endpoint. */
  HttpSettings http() {
    return new HttpSettings(baseUrl, apiKey, connectTimeout, requestTimeout, deadline, maxRetries,
        maxRetryAfter);
  }

  @Override
  public String toString() {
    return "EmbeddingSettings[baseUrl=" + baseUrl + ", model=" + model + ", apiKey="
        + (apiKey == null ? "none" : "***") + ", dimensions=" + dimensions + ", batchSize="
        + batchSize + ", maxConcurrency=" + maxConcurrency + ", queryPrefix='" + queryPrefix + "', documentPrefix='" + documentPrefix
        + "', connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout
        + ", deadline=" + deadline + ", maxRetries=" + maxRetries + ", maxRetryAfter="
        + maxRetryAfter + "]";
  }
}
