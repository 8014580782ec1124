package io.inmemory.bench;

import io.inmemory.InMemoryConfig;
import io.inmemory.cli.imports.LocomoConversations.TurnContent;
import io.inmemory.embeddings.onnx.OnnxEmbedder;
import io.inmemory.embeddings.onnx.OnnxEmbedderProvider;
import io.inmemory.engine.retrieval.RetrievalSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The command line of the {@code locomo} benchmark. Immutable.
 *
 * @param dataset the LoCoMo-format JSON file
 * @param models the embedding models ({@link OnnxEmbedderProvider#MODEL}), at least one, each
 *     run with every retrieval mode
 * @param retrievals the retrieval modes ({@link RetrievalSettings#MODE}); empty for the engine's
 *     default
 * @param samples how many samples to run, from the first
 * @param content how turns become memory content
 * @param batchSize memories per {@code addAll} call
 * @param ingest how the conversations are handed to the client
 * @param settings further configuration keys, applied before the options above
 * @param tune configuration keys to tune, each with its candidate values in order (the grid is
 *     the product of the lists, the first key varying slowest); empty when nothing is tuned
 * @param folds 1, or 2 for a two-fold tuning of {@code tune}
 * @param json where to write the results as JSON too, or {@code null}
 * @param chart where to draw recall@5 and @10 per model and mode as PNG, or {@code null}
 */
record LocomoOptions(Path dataset, List<String> models, List<String> retrievals, int samples,
    TurnContent content, int batchSize, LocomoIngest ingest, Map<String, String> settings,
    Map<String, List<String>> tune, int folds, Path json, Path chart) {

  static final String MODEL_KEY = OnnxEmbedderProvider.MODEL.name();
  static final String RETRIEVAL_KEY = RetrievalSettings.MODE.name();
  static final String DEFAULT_MODEL = OnnxEmbedder.DEFAULT_MODEL;
  /**
   * The speaker's name tells whom a turn's "I" is, which questions in the third person need: on
   * LoCoMo it beat text and text-plus-caption with each of the three models.
   */
  static final TurnContent DEFAULT_CONTENT = TurnContent.SPEAKER;
  /** The product's conversation path: what an agent hands over. */
  static final LocomoIngest DEFAULT_INGEST = LocomoIngest.MESSAGES;
  static final String USAGE = "usage: java -jar bench/target/inmemory-bench.jar locomo"
      + " <dataset.json> [--model " + DEFAULT_MODEL + "[,model]...]"
      + " [--retrieval dense|lexical|hybrid[,mode]...] [--samples N]"
      + " [--content text|caption|speaker] [--batch N] [--ingest messages|add|facts]"
      + " [--set key=value]... [--tune key=v1,v2,... --folds 2]... [--json file]"
      + " [--chart file.png]\n"
      + "  <dataset.json>: any file of LoCoMo's shape (sample_id; conversation with speaker_a,"
      + " speaker_b, session_N, session_N_date_time; qa with question, category, evidence).\n"
      + "  Comma lists run every model x mode on a fresh client; --tune picks the best grid point"
      + " (recall@10) on each half of the conversations and reports it on the other half.";

  LocomoOptions {
    Objects.requireNonNull(dataset, "dataset");
    models = List.copyOf(models);
    if (models.isEmpty()) {
      throw new IllegalArgumentException("--model needs at least one model");
    }
    retrievals = List.copyOf(retrievals);
    // The engine's own parser, so the benchmark accepts exactly what the key accepts.
    retrievals.forEach(RetrievalSettings.MODE::parse);
    distinct("--model", models);
    distinct("--retrieval", retrievals);
    if (samples < 1) {
      throw new IllegalArgumentException("--samples must be positive, was " + samples);
    }
    Objects.requireNonNull(content, "content");
    if (batchSize < 1) {
      throw new IllegalArgumentException("--batch must be positive, was " + batchSize);
    }
    Objects.requireNonNull(ingest, "ingest");
    settings = Map.copyOf(settings);
    Map<String, List<String>> grid = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> key : tune.entrySet()) {
      if (key.getValue().isEmpty()) {
        throw new IllegalArgumentException("--tune " + key.getKey() + " needs at least one value");
      }
      distinct("--tune " + key.getKey(), key.getValue());
      if (settings.containsKey(key.getKey())) {
        throw new IllegalArgumentException(key.getKey() + " is both set and tuned: drop its --set");
      }
      grid.put(key.getKey(), List.copyOf(key.getValue()));
    }
    tune = Collections.unmodifiableMap(grid);
    for (String key : List.of(MODEL_KEY, RETRIEVAL_KEY)) {
      if (settings.containsKey(key) || tune.containsKey(key)) {
        throw new IllegalArgumentException(key + " has its own option: use --"
            + (key.equals(MODEL_KEY) ? "model" : "retrieval") + " instead of --set or --tune");
      }
    }
    if (folds != 1 && folds != 2) {
      throw new IllegalArgumentException("--folds must be 2 (or 1, no tuning), was " + folds);
    }
    if (tune.isEmpty() != (folds == 1)) {
      throw new IllegalArgumentException("--tune and --folds 2 go together");
    }
    int combinations = models.size() * Math.max(1, retrievals.size());
    if (!tune.isEmpty() && combinations > 1) {
      throw new IllegalArgumentException("--tune tunes one model and retrieval mode, got "
          + combinations + " combinations");
    }
    if (!tune.isEmpty() && chart != null) {
      throw new IllegalArgumentException("--chart draws model x mode runs, not a --tune grid");
    }
  }

  /**
   * One client's model and retrieval mode.
   *
   * @param model the embedding model
   * @param retrieval the retrieval mode, or {@code null} for the engine's default
   */
  record Variant(String model, String retrieval) {
    Variant {
      Objects.requireNonNull(model, "model");
    }

    /** {@code model/mode}, naming the run in tables and summary lines. */
    String label() {
      return model + "/" + (retrieval == null ? "default" : retrieval);
    }
  }

  /** Every model with every retrieval mode, models varying slowest. */
  List<Variant> variants() {
    List<Variant> variants = new ArrayList<>();
    for (String model : models) {
      if (retrievals.isEmpty()) {
        variants.add(new Variant(model, null));
      }
      retrievals.forEach(retrieval -> variants.add(new Variant(model, retrieval)));
    }
    return variants;
  }

  /** The grid points of {@link #tune}, in order: the first key varies slowest. */
  List<Map<String, String>> grid() {
    List<Map<String, String>> points = List.of(Map.of());
    for (Map.Entry<String, List<String>> key : tune.entrySet()) {
      List<Map<String, String>> longer = new ArrayList<>();
      for (Map<String, String> point : points) {
        for (String value : key.getValue()) {
          Map<String, String> next = new LinkedHashMap<>(point);
          next.put(key.getKey(), value);
          longer.add(Collections.unmodifiableMap(next));
        }
      }
      points = longer;
    }
    return points;
  }

  /**
   * Parses {@code <dataset.json> [--name value]...}; {@code --set key=value} and
   * {@code --tune key=v1,v2} may repeat.
   *
   * @throws IllegalArgumentException on a malformed command line, with the problem
   */
  static LocomoOptions parse(String[] args) {
    Path dataset = null;
    List<String> models = List.of(DEFAULT_MODEL);
    List<String> retrievals = List.of();
    int samples = Integer.MAX_VALUE;
    TurnContent content = DEFAULT_CONTENT;
    int batchSize = 100;
    LocomoIngest ingest = DEFAULT_INGEST;
    Map<String, String> settings = new LinkedHashMap<>();
    Map<String, List<String>> tune = new LinkedHashMap<>();
    int folds = 1;
    Path json = null;
    Path chart = null;
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
        case "--model" -> models = list(arg, value);
        case "--retrieval" -> retrievals = list(arg, value);
        case "--samples" -> samples = integer(arg, value);
        case "--content" -> content = TurnContent.fromOption(value);
        case "--batch" -> batchSize = integer(arg, value);
        case "--ingest" -> ingest = LocomoIngest.fromOption(value);
        case "--json" -> json = Path.of(value);
        case "--chart" -> chart = Path.of(value);
        case "--folds" -> folds = integer(arg, value);
        case "--set" -> {
          int eq = keyEnd(arg, value);
          settings.put(value.substring(0, eq), value.substring(eq + 1));
        }
        case "--tune" -> {
          int eq = keyEnd(arg, value);
          if (tune.put(value.substring(0, eq), list(arg, value.substring(eq + 1))) != null) {
            throw new IllegalArgumentException("--tune " + value.substring(0, eq)
                + " given twice: list its values once");
          }
        }
        default -> throw new IllegalArgumentException("unknown option " + arg);
      }
    }
    if (dataset == null) {
      throw new IllegalArgumentException("no dataset file given");
    }
    return new LocomoOptions(dataset, models, retrievals, samples, content, batchSize, ingest,
        settings, tune, folds, json, chart);
  }

  /**
   * The configuration of one client under test: volatile store, then the settings, the grid
   * point, the scripted model's keys and the variant's model and mode.
   */
  InMemoryConfig config(Variant variant, Map<String, String> point,
      Map<String, String> modelKeys) {
    InMemoryConfig.Builder builder = InMemoryConfig.builder().isolated()
        .set(InMemoryConfig.STORE, "memory");
    settings.forEach(builder::set);
    point.forEach(builder::set);
    modelKeys.forEach(builder::set);
    builder.set(MODEL_KEY, variant.model());
    if (variant.retrieval() != null) {
      builder.set(RETRIEVAL_KEY, variant.retrieval());
    }
    return builder.build();
  }

  private static int keyEnd(String option, String value) {
    int eq = value.indexOf('=');
    if (eq < 1) {
      throw new IllegalArgumentException(option + " needs key=value, was " + value);
    }
    return eq;
  }

  /** A comma list without empty items. */
  private static List<String> list(String option, String value) {
    List<String> items = List.of(value.split(",", -1));
    if (items.stream().anyMatch(String::isBlank)) {
      throw new IllegalArgumentException(option + " needs a comma list without empty items, was "
          + value);
    }
    return items;
  }

  private static void distinct(String option, List<String> values) {
    if (new HashSet<>(values).size() != values.size()) {
      throw new IllegalArgumentException(option + " lists a value twice: " + values);
    }
  }

  private static int integer(String option, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " needs a whole number, was " + value, e);
    }
  }
}
