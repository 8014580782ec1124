package io.inmemory.llm.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inmemory.ConfigurationException;
import io.inmemory.ExtractionException;
import io.inmemory.TransportException;
import io.inmemory.engine.spi.Embedder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The {@code openai} embedder: {@code POST {base}/embeddings} in batches (at most
 * {@link EmbeddingSettings#batchSize()} texts and 300,000 characters per request, up to
 * {@link EmbeddingSettings#maxConcurrency()} requests in flight), vectors put
 * back in input order by their {@code index}, checked (one per text, the dimension, finite, not
 * zero) and scaled to unit length, since not every endpoint returns unit vectors. Its id names
 * the model, the dimension and (as a hash) the prefixes, not the endpoint: the same model behind
 * another host gives the same vectors. Thread-safe.
 */
final class OpenAiEmbedder implements Embedder {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PATH = "/embeddings";
  /** The most characters sent in one request, well under the endpoints' token limits. */
  static final int MAX_BATCH_CHARS = 300_000;

  private final EmbeddingSettings settings;
  private final OpenAiHttp http;
  private final int dimension;
  private final String id;
  /** Sends the batches of one call in parallel; its idle threads end. */
  private final ThreadPoolExecutor pool;

  /**
   * An embedder of the configured model; without a configured dimension, one probe embedding
   * learns it (the only request made here).
   *
   * @throws ConfigurationException when the probe fails
   */
  OpenAiEmbedder(EmbeddingSettings settings, OpenAiHttp http) {
    this.settings = settings;
    this.http = http;
    this.pool = new ThreadPoolExecutor(settings.maxConcurrency(), settings.maxConcurrency(), 10,
        TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
          Thread thread = new Thread(runnable, "inmemory-openai-embedder");
          thread.setDaemon(true);
          return thread;
        });
    pool.allowCoreThreadTimeOut(true);
    Integer configured = settings.dimensions();
    if (configured != null) {
      this.dimension = configured;
    } else {
      try {
        this.dimension = embed(List.of(settings.documentPrefix() + "dimension probe"),
            OptionalInt.empty()).get(0).length;
      } catch (TransportException e) {
        throw new ConfigurationException("Cannot learn the dimension of the embedding model '"
            + settings.model() + "' at " + settings.baseUrl() + ": " + e.getMessage()
            + ". Check the endpoint and model, or set " + EmbeddingSettings.DIMENSIONS.name()
            + " to skip this probe.", e);
      }
    }
    String prefixes = settings.queryPrefix().isEmpty() && settings.documentPrefix().isEmpty()
        ? "" : ":" + hash(settings.queryPrefix() + "\0" + settings.documentPrefix());
    this.id = "openai:" + settings.model() + ":" + dimension + prefixes;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public int dimension() {
    return dimension;
  }

  /** @throws TransportException when the endpoint fails or answers out of form */
  @Override
  public float[] embedQuery(String text) {
    return embed(List.of(settings.queryPrefix() + text), OptionalInt.of(dimension)).get(0);
  }

  /**
   * Sends the batches, up to {@link EmbeddingSettings#maxConcurrency()} at once.
   *
   * @throws TransportException when the endpoint fails or answers out of form (the first
   *     failure; the other batches are cancelled)
   */
  @Override
  public List<float[]> embedDocuments(List<String> texts) {
    List<List<String>> batches = batches(texts);
    if (batches.size() <= 1) {
      return batches.isEmpty() ? List.of() : embed(batches.get(0), OptionalInt.of(dimension));
    }
    List<Future<List<float[]>>> futures = new ArrayList<>();
    for (List<String> batch : batches) {
      futures.add(pool.submit(() -> embed(batch, OptionalInt.of(dimension))));
    }
    List<float[]> vectors = new ArrayList<>(texts.size());
    try {
      for (Future<List<float[]>> future : futures) {
        vectors.addAll(future.get());
      }
    } catch (ExecutionException e) {
      futures.forEach(future -> future.cancel(true));
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      throw new TransportException("embedding failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      futures.forEach(future -> future.cancel(true));
      Thread.currentThread().interrupt();
      throw new TransportException("interrupted while embedding", e);
    }
    return vectors;
  }

  /** Stops the threads that send batches; idempotent. */
  @Override
  public void close() {
    pool.shutdownNow();
  }

  /** The texts, prefixed, in batches of at most batchSize texts and 300,000 characters. */
  private List<List<String>> batches(List<String> texts) {
    List<List<String>> batches = new ArrayList<>();
    List<String> batch = new ArrayList<>();
    int chars = 0;
    for (String text : texts) {
      String input = settings.documentPrefix() + text;
      if (!batch.isEmpty() && (batch.size() == settings.batchSize()
          || chars + input.length() > MAX_BATCH_CHARS)) {
        batches.add(batch);
        batch = new ArrayList<>();
        chars = 0;
      }
      batch.add(input);
      chars += input.length();
    }
    if (!batch.isEmpty()) {
      batches.add(batch);
    }
    return batches;
  }

  /** One request: the unit vectors of {@code inputs}, in order, of the expected dimension. */
  private List<float[]> embed(List<String> inputs, OptionalInt expected) {
    ObjectNode body = JSON.createObjectNode().put("model", settings.model());
    ArrayNode input = body.putArray("input");
    inputs.forEach(input::add);
    body.put("encoding_format", "float");
    if (settings.dimensions() != null) {
      body.put("dimensions", settings.dimensions());
    }
    JsonNode answer;
    try {
      answer = http.post(PATH, body, http.deadline());
    } catch (ExtractionException e) {
      throw e.upstreamStatus().isPresent()
          ? new TransportException(e.getMessage(), e.upstreamStatus().getAsInt())
          : new TransportException(e.getMessage(), e);
    }
    float[][] vectors = new float[inputs.size()][];
    JsonNode data = answer.path("data");
    if (data.size() != inputs.size()) {
      throw malformed(data.size() + " vectors for " + inputs.size() + " texts");
    }
    for (JsonNode item : data) {
      int index = item.path("index").asInt(-1);
      if (!item.path("index").isIntegralNumber() || index < 0 || index >= inputs.size()
          || vectors[index] != null) {
        throw malformed("a vector with the index " + item.path("index") + " (0 to "
            + (inputs.size() - 1) + ", each once)");
      }
      vectors[index] = unit(item.path("embedding"), expected.orElse(
          item.path("embedding").size()), index);
    }
    return List.of(vectors);
  }

  private static float[] unit(JsonNode embedding, int dimension, int index) {
    if (!embedding.isArray() || embedding.size() != dimension) {
      throw malformed("vector " + index + " has " + embedding.size() + " components, not "
          + dimension);
    }
    float[] vector = new float[dimension];
    double norm = 0;
    for (int i = 0; i < dimension; i++) {
      JsonNode component = embedding.get(i);
      vector[i] = (float) component.asDouble(Double.NaN);
      if (!component.isNumber() || !Float.isFinite(vector[i])) {
        throw malformed("vector " + index + " has the component " + component
            + ", not a finite number");
      }
      norm += (double) vector[i] * vector[i];
    }
    if (norm == 0) {
      throw malformed("vector " + index + " is zero");
    }
    float scale = (float) (1 / Math.sqrt(norm));
    for (int i = 0; i < dimension; i++) {
      vector[i] *= scale;
    }
    return vector;
  }

  private static TransportException malformed(String what) {
    return new TransportException("The embeddings endpoint answered " + what, 200);
  }

  private static String hash(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
