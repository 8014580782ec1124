package io.inmemory.bench;

import io.inmemory.ConfigurationException;
import io.inmemory.cli.imports.LocomoConversations;
import io.inmemory.embeddings.onnx.OnnxEmbedder;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.DoubleSupplier;

/**
 * Measures the in-process ONNX embedder, per model: the latency of {@code embedQuery} on short
 * questions (p50, p99) and on memory-sized texts, and the throughput of {@code embedDocuments}
 * on one call of every text, with the default settings and then per batch size (1, 8, 16, 32, 64),
 * each with how far its vectors stray from those of the texts embedded alone. Every measure is
 * the median of {@code --repeats} runs. Prints one Markdown table per model.
 *
 * <p>Usage: {@code embedding [--texts N] [--threads N] [--repeats N] [--corpus locomo.json]
 * [model ...]}; with no model, every model whose jar is on the classpath. Without a corpus the
 * texts are generated memory-like sentences and questions; with a LoCoMo-format file they are its
 * first turns and its questions. Wall-clock numbers depend on what else runs on the machine; the
 * CPU time per text (of the whole process) is less sensitive to that.
 */
public final class EmbeddingBench {
  /** Calls before timing starts, so that the JIT has compiled the Java side. */
  private static final int WARM_UP = 200;
  private static final int[] BATCH_SIZES = {1, 8, 16, 32, 64};
  private static final String[] SUBJECTS = {
    "Alice", "Bob", "The user", "Carol", "My manager", "The team", "Our client", "Dr. Smith",
  };
  private static final String[] FACTS = {
    "loves pizza but hates broccoli", "prefers morning meetings", "is allergic to peanuts",
    "moved to Berlin last spring", "wants the Q4 planning deck by Friday",
    "asked to be reminded about the dentist appointment tomorrow at 3pm",
    "plays tennis on weekends", "is learning Japanese and practices every evening",
    "uses Java 17 and Maven for the backend services",
    "has a daughter who starts school in September",
    "complained that the last release broke the export to CSV",
    "likes short answers with code examples rather than long explanations",
  };
  private static final String[] TAILS = {
    "", " according to the notes from the last call", ", which was mentioned twice this week",
    " and said it again during lunch", " (see the meeting with Bob and Carol)",
  };
  private static final String[] QUESTIONS = {
    "What food does %s like?", "Where did %s move last spring?",
    "When is %s's dentist appointment?", "Which language is %s learning?",
    "What does %s play on weekends?", "Is %s allergic to anything?",
  };

  private EmbeddingBench() {}

  public static void main(String[] args) throws IOException {
    Options options = Options.parse(args);
    int count = options.integer("texts", 256);
    int threads = options.integer("threads", 0);
    int repeats = options.integer("repeats", 3);
    if (count < 200) {
      throw new IllegalArgumentException("--texts must be at least 200 for a meaningful p99");
    }
    if (repeats < 1) {
      throw new IllegalArgumentException("--repeats must be at least 1");
    }
    String corpusFile = options.get("corpus");
    Texts texts = corpusFile == null ? Texts.generated(count)
        : Texts.locomo(LocomoConversations.read(Path.of(corpusFile)), count);
    List<String> models = new ArrayList<>(options.positional());
    if (models.isEmpty()) {
      models.addAll(OnnxEmbedder.models());
    }
    System.out.printf(Locale.ROOT, "# Embedding benchmark%n%n%d %s texts of %d to %d characters"
            + " and %d questions; %d processors; Java %s; threads %s; medians of %d runs.%n",
        texts.documents.size(), corpusFile == null ? "generated" : "LoCoMo",
        texts.documents.stream().mapToInt(String::length).min().orElse(0),
        texts.documents.stream().mapToInt(String::length).max().orElse(0),
        texts.questions.size(), Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"), threads == 0 ? "automatic" : Integer.toString(threads),
        repeats);
    for (String model : models) {
      try {
        benchmark(model, threads, repeats, texts);
      } catch (ConfigurationException e) {
        System.out.printf("%n## %s%n%nskipped: %s%n", model, e.getMessage());
      }
    }
  }

  private static void benchmark(String model, int threads, int repeats, Texts texts) {
    System.out.printf(Locale.ROOT, "%n## %s%n%n", model);
    System.out.println("| measure | value |");
    System.out.println("|---|---|");
    List<float[]> alone;
    try (OnnxEmbedder embedder = OnnxEmbedder.builder().model(model).threads(threads).build()) {
      for (int i = 0; i < WARM_UP; i++) {
        embedder.embedQuery(texts.questions.get(i % texts.questions.size()));
      }
      latency("query", embedder, texts.questions, repeats);
      latency("memory-sized text", embedder, texts.documents, repeats);
      String longText = "The quick brown fox jumps over the lazy dog. ".repeat(23_302);
      row("one 1 MiB text (ms, first 2048 tokens)", format(median(repeats, () -> {
        long start = System.nanoTime();
        embedder.embedDocuments(List.of(longText));
        return (System.nanoTime() - start) / 1e6;
      })));
      alone = new ArrayList<>();
      for (String text : texts.documents) {
        alone.add(embedder.embedDocuments(List.of(text)).get(0));
      }
      throughput("default settings (batch size " + embedder.batchSize() + ")", embedder,
          texts.documents, alone, repeats);
    }
    for (int batchSize : BATCH_SIZES) {
      try (OnnxEmbedder embedder = OnnxEmbedder.builder().model(model).threads(threads)
          .batchSize(batchSize).build()) {
        throughput("batch size " + batchSize, embedder, texts.documents, alone, repeats);
      }
    }
  }

  private static void latency(String what, OnnxEmbedder embedder, List<String> texts,
      int repeats) {
    double[][] runs = new double[repeats][];
    for (int run = 0; run < repeats; run++) {
      long[] nanos = new long[texts.size()];
      double cpuStart = processCpuSeconds();
      for (int i = 0; i < texts.size(); i++) {
        long start = System.nanoTime();
        embedder.embedQuery(texts.get(i));
        nanos[i] = System.nanoTime() - start;
      }
      double cpu = processCpuSeconds() - cpuStart;
      runs[run] = new double[] {Stats.percentileMillis(nanos, 50),
          Stats.percentileMillis(nanos, 99), cpu * 1000 / texts.size()};
    }
    row("embedQuery, one " + what + ": p50 / p99 (ms); CPU ms per text",
        format(median(runs, 0)) + " / " + format(median(runs, 1)) + "; "
            + format(median(runs, 2)));
  }

  /** One call of every text; reports texts/s, CPU per text and the drift from {@code alone}. */
  private static void throughput(String what, OnnxEmbedder embedder, List<String> texts,
      List<float[]> alone, int repeats) {
    embedder.embedDocuments(texts.subList(0, WARM_UP));
    double[][] runs = new double[repeats][];
    List<float[]> vectors = List.of();
    for (int run = 0; run < repeats; run++) {
      double cpuStart = processCpuSeconds();
      long start = System.nanoTime();
      vectors = embedder.embedDocuments(texts);
      double seconds = (System.nanoTime() - start) / 1e9;
      double cpu = processCpuSeconds() - cpuStart;
      runs[run] = new double[] {texts.size() / seconds, cpu * 1000 / texts.size()};
    }
    double worstDifference = 0;
    double lowestCosine = 1;
    for (int i = 0; i < texts.size(); i++) {
      double dot = 0;
      for (int d = 0; d < alone.get(i).length; d++) {
        dot += (double) vectors.get(i)[d] * alone.get(i)[d];
        worstDifference = Math.max(worstDifference,
            Math.abs(vectors.get(i)[d] - alone.get(i)[d]));
      }
      lowestCosine = Math.min(lowestCosine, dot);
    }
    row("embedDocuments, " + what + ", one call of all texts: texts/s; CPU ms per text;"
            + " vs alone: largest component difference, lowest cosine",
        format(median(runs, 0)) + "; " + format(median(runs, 1)) + "; "
            + String.format(Locale.ROOT, "%.1g; %.6f", worstDifference, lowestCosine));
  }

  private static double median(int repeats, DoubleSupplier measure) {
    double[][] runs = new double[repeats][];
    for (int run = 0; run < repeats; run++) {
      runs[run] = new double[] {measure.getAsDouble()};
    }
    return median(runs, 0);
  }

  private static double median(double[][] runs, int column) {
    double[] values = Arrays.stream(runs).mapToDouble(run -> run[column]).sorted().toArray();
    return values[values.length / 2];
  }

  private static double processCpuSeconds() {
    return ((com.sun.management.OperatingSystemMXBean)
        ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
  }

  private static String format(double value) {
    return String.format(Locale.ROOT, value >= 100 ? "%.0f" : "%.2f", value);
  }

  private static void row(String measure, String value) {
    System.out.println("| " + measure + " | " + value + " |");
  }

  /** The texts to embed as memories, and the questions to embed as queries. */
  private record Texts(List<String> documents, List<String> questions) {

    /** Memory-like sentences of varied length and short questions, the same on every run. */
    static Texts generated(int count) {
      Random random = new Random(7);
      List<String> documents = new ArrayList<>(count);
      List<String> questions = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        StringBuilder text = new StringBuilder();
        int sentences = 1 + random.nextInt(3);
        for (int s = 0; s < sentences; s++) {
          text.append(pick(random, SUBJECTS)).append(' ').append(pick(random, FACTS))
              .append(pick(random, TAILS)).append(". ");
        }
        documents.add(text.toString().trim());
        questions.add(String.format(Locale.ROOT, pick(random, QUESTIONS), pick(random, SUBJECTS)));
      }
      return new Texts(documents, questions);
    }

    /** The first turns with text of a LoCoMo dataset, and its first questions. */
    static Texts locomo(LocomoConversations dataset, int count) {
      List<String> documents = new ArrayList<>(count);
      List<String> questions = new ArrayList<>(count);
      for (LocomoConversations.Sample sample : dataset.samples()) {
        for (LocomoConversations.Session session : sample.sessions()) {
          for (LocomoConversations.Turn turn : session.turns()) {
            if (documents.size() < count && !turn.text().isBlank()) {
              documents.add(turn.text());
            }
          }
        }
        for (LocomoConversations.Question question : sample.questions()) {
          if (questions.size() < count) {
            questions.add(question.question());
          }
        }
      }
      if (documents.size() < count || questions.size() < count) {
        throw new IllegalArgumentException("the corpus has " + documents.size() + " turns and "
            + questions.size() + " questions, fewer than --texts " + count);
      }
      return new Texts(documents, questions);
    }

    private static String pick(Random random, String[] values) {
      return values[random.nextInt(values.length)];
    }
  }
}
