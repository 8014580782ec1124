package io.inmemory.bench;

import io.inmemory.InMemoryConfig;
import io.inmemory.cli.imports.LocomoConversations.TurnContent;
import io.inmemory.embeddings.onnx.OnnxEmbedder;
import io.inmemory.embeddings.onnx.OnnxEmbedderProvider;
import io.inmemory.engine.retrieval.RetrievalSettings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The command line of the {@code locomo} benchmark. Immutable.
 *
 * @param dataset the LoCoMo-format JSON file
 * @param model the embedding model ({@link OnnxEmbedderProvider#MODEL})
 * @param retrieval the retrieval mode ({@link RetrievalSettings#MODE}), or {@code null} for the
 *     engine's default
 * @param samples how many samples to run, from the first
 * @param content how turns become memory content
 * @param batchSize memories per {@code addAll} call
 * @param ingest how the conversations are handed to the client
 * @param settings further configuration keys, applied before the options above
 * @param json where to write the results as JSON too, or {@code null}
 */
record LocomoOptions(Path dataset, String model, String retrieval, int samples,
    TurnContent content, int batchSize, LocomoIngest ingest, Map<String, String> settings,
    Path json) {

  static final String MODEL_KEY = OnnxEmbedderProvider.MODEL.name();
  static final String RETRIEVAL_KEY = RetrievalSettings.MODE.name();
  static final String DEFAULT_MODEL = OnnxEmbedder.DEFAULT_MODEL;
  /**
   * The speaker's name tells whom a turn's "I" is, which questions in the third person need: on
   * LoCoMo it beat text and text-plus-caption with each of the three models.
   */
  static final TurnContent DEFAULT_CONTENT = TurnContent.SPEAKER;
  static final String USAGE = "usage: locomo <dataset.json> [--model " + DEFAULT_MODEL
      + "|bge-small-en-v1.5-q|e5-small-v2-q] [--retrieval dense|lexical|hybrid] [--samples N]"
      + " [--content text|caption|speaker] [--batch N] [--ingest add|messages|facts]"
      + " [--set key=value]... [--json file]";

  LocomoOptions {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(model, "model");
    if (retrieval != null) {
      // The engine's own parser, so the benchmark accepts exactly what the key accepts.
      RetrievalSettings.MODE.parse(retrieval);
    }
    if (samples < 1) {
      throw new IllegalArgumentException("--samples must be positive, was " + samples);
    }
    Objects.requireNonNull(content, "content");
    if (batchSize < 1) {
      throw new IllegalArgumentException("--batch must be positive, was " + batchSize);
    }
    Objects.requireNonNull(ingest, "ingest");
    settings = Map.copyOf(settings);
    for (String key : List.of(MODEL_KEY, RETRIEVAL_KEY)) {
      if (settings.containsKey(key)) {
        throw new IllegalArgumentException(key + " has its own option: use --"
            + (key.equals(MODEL_KEY) ? "model" : "retrieval") + " instead of --set");
      }
    }
  }

  /**
   * Parses {@code <dataset.json> [--name value]...}; {@code --set key=value} may repeat.
   *
   * @throws IllegalArgumentException on a malformed command line, with the problem
   */
  static LocomoOptions parse(String[] args) {
    Path dataset = null;
    String model = DEFAULT_MODEL;
    String retrieval = null;
    int samples = Integer.MAX_VALUE;
    TurnContent content = DEFAULT_CONTENT;
    int batchSize = 100;
    LocomoIngest ingest = LocomoIngest.ADD;
    Map<String, String> settings = new LinkedHashMap<>();
    Path json = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        if (dataset != null) {
          throw new IllegalArgumentException("one dataset file expected, got " + dataset + " and "
              + arg);
        }
        dataset = Path.of(arg);
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("option " + arg + " needs a value");
      }
      String value = args[++i];
      switch (arg) {
        case "--model" -> model = value;
        case "--retrieval" -> retrieval = value;
        case "--samples" -> samples = integer(arg, value);
        case "--content" -> content = TurnContent.fromOption(value);
        case "--batch" -> batchSize = integer(arg, value);
        case "--ingest" -> ingest = LocomoIngest.fromOption(value);
        case "--json" -> json = Path.of(value);
        case "--set" -> {
          int eq = value.indexOf('=');
          if (eq < 1) {
            throw new IllegalArgumentException("--set needs key=value, was " + value);
          }
          settings.put(value.substring(0, eq), value.substring(eq + 1));
        }
        default -> throw new IllegalArgumentException("unknown option " + arg);
      }
    }
    if (dataset == null) {
      throw new IllegalArgumentException("no dataset file given");
    }
    return new LocomoOptions(dataset, model, retrieval, samples, content, batchSize, ingest,
        settings, json);
  }

  /** The configuration of the client under test: volatile store, then the settings and options. */
  InMemoryConfig config() {
    return config(Map.of());
  }

  /** {@link #config()} with the scripted model's keys after the settings. */
  InMemoryConfig config(Map<String, String> modelKeys) {
    InMemoryConfig.Builder builder = InMemoryConfig.builder().isolated()
        .set(InMemoryConfig.STORE, "memory");
    settings.forEach(builder::set);
    modelKeys.forEach(builder::set);
    builder.set(MODEL_KEY, model);
    if (retrieval != null) {
      builder.set(RETRIEVAL_KEY, retrieval);
    }
    return builder.build();
  }

  private static int integer(String option, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " needs a whole number, was " + value, e);
    }
  }
}
