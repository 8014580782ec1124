package io.inmemory.embeddings.onnx;

import io.inmemory.ConfigKey;
import io.inmemory.ConfigurationException;
import io.inmemory.InMemoryConfig;
import io.inmemory.engine.spi.Embedder;
import io.inmemory.engine.spi.EmbedderProvider;
import java.util.List;

/**
 * The {@code onnx} embedder: an {@link OnnxEmbedder} configured by the keys below. Found by
 * {@link java.util.ServiceLoader}; stateless and thread-safe.
 */
public final class OnnxEmbedderProvider implements EmbedderProvider {

  /** The model to run: all-minilm-l6-v2-q (default) or another of {@link OnnxEmbedder#models()}. */
  public static final ConfigKey<String> MODEL = ConfigKey.of("inmemory.embedder.model",
      OnnxEmbedder.DEFAULT_MODEL, OnnxEmbedderProvider::parseModel,
      "The in-process embedding model: all-minilm-l6-v2-q (default, shipped), bge-small-en-v1.5-q"
          + " or e5-small-v2-q, or the float32 all-minilm-l6-v2, bge-small-en-v1.5 or e5-small-v2"
          + " (each but the default needs its dev.langchain4j:langchain4j-embeddings-… jar).");

  /** Model runs made at once when embedding several texts; 0 means one per processor, at most 4. */
  public static final ConfigKey<Integer> THREADS = ConfigKey.integer("inmemory.embedder.threads",
      0, 0, 256,
      "How many embedding runs (one thread each) are made at once for a batch of texts; 0"
          + " (default) means one per available processor, at most 4.");

  /** The most windows (short texts) embedded per model run. */
  public static final ConfigKey<Integer> BATCH_SIZE = ConfigKey.integer(
      "inmemory.embedder.batch-size", OnnxEmbedder.DEFAULT_BATCH_SIZE, 0, 1024,
      "The most texts (or windows of long texts) embedded in one model run; 0 (default) means"
          + " the model's own, which keeps every vector independent of the texts embedded with"
          + " it: 1 for the -q models (quantized per batch), more for the float32 ones.");

  /** How many tokens of each text are embedded; the rest is ignored. */
  public static final ConfigKey<Integer> MAX_TOKENS = ConfigKey.integer(
      "inmemory.embedder.max-tokens", OnnxEmbedder.DEFAULT_MAX_TOKENS, 1, 1 << 20,
      "How many tokens of each text are embedded (longer texts are cut); texts longer than the"
          + " model's window are embedded window by window and averaged. Default "
          + OnnxEmbedder.DEFAULT_MAX_TOKENS + ". Changing it changes the embedder id.");

  /** Whether the model is loaded when the embedder first embeds rather than when it is made. */
  public static final ConfigKey<Boolean> LAZY = ConfigKey.bool("inmemory.embedder.lazy", false,
      "Load the model when the first text is embedded instead of at start (default false): a"
          + " short-lived process that may never embed, such as the inmemory command, starts"
          + " faster; a model that cannot run then fails at that first embedding.");

  @Override
  public String name() {
    return "onnx";
  }

  /**
   * Builds the configured embedder.
   *
   * @throws ConfigurationException listing every invalid key, an unknown model with the valid
   *     names, or a model whose jar is missing with the Maven coordinates to add
   */
  @Override
  public Embedder create(InMemoryConfig config) {
    config.validate(configKeys());
    OnnxEmbedder.Builder builder = OnnxEmbedder.builder()
        .model(config.get(MODEL))
        .threads(config.get(THREADS))
        .batchSize(config.get(BATCH_SIZE))
        .maxTokens(config.get(MAX_TOKENS));
    return config.get(LAZY) ? builder.lazy() : builder.build();
  }

  @Override
  public List<ConfigKey<?>> configKeys() {
    return List.of(MODEL, THREADS, BATCH_SIZE, MAX_TOKENS, LAZY);
  }

  /** A known model's name, so that an unknown one is reported with the other invalid keys. */
  private static String parseModel(String value) {
    return ModelSpec.byName(value).map(spec -> spec.modelName)
        .orElseThrow(() -> new IllegalArgumentException("unknown embedding model '" + value
            + "'. Valid models: " + ModelSpec.names() + ". Set it (environment variable "
            + MODEL.envName() + ") to one of them."));
  }
}
