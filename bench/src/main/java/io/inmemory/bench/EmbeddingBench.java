package io.inmemory.bench;

import io.inmemory.ConfigurationException;
import io.inmemory.embeddings.onnx.OnnxEmbedder;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Measures the in-process ONNX embedder: single-text latency of {@code embedQuery} (p50, p99)
 * and the throughput of {@code embedDocuments} for batch sizes 1, 8, 32 and 64 (both in calls of
 * that many texts and in one call of every text, where sorting by length limits padding), per
 * model, and prints one Markdown table per model.
 *
 * <p>Usage: {@code embedding [--texts N] [--threads N] [model ...]}; with no model, every
 * model whose jar is on the classpath. Wall-clock numbers depend on what else runs on the
 * machine; the CPU time per text (of the whole process) is less sensitive to that.
 */
public final class EmbeddingBench {
  private static final int WARM_UP = 50;
  private static final int[] BATCH_SIZES = {1, 8, 32, 64};
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

  private EmbeddingBench() {}

  public static void main(String[] args) {
    Options options = Options.parse(args);
    int texts = options.integer("texts", 256);
    int threads = options.integer("threads", 0);
    List<String> models = new ArrayList<>(options.positional());
    if (texts < 200) {
      throw new IllegalArgumentException("--texts must be at least 200 for a meaningful p99");
    }
    if (models.isEmpty()) {
      models.addAll(OnnxEmbedder.models());
    }
    List<String> corpus = corpus(texts);
    System.out.printf(Locale.ROOT, "# Embedding benchmark%n%n%d texts of %d to %d characters;"
            + " %d processors; Java %s; intra-op threads %s.%n", texts,
        corpus.stream().mapToInt(String::length).min().orElse(0),
        corpus.stream().mapToInt(String::length).max().orElse(0),
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
        threads == 0 ? "automatic" : Integer.toString(threads));
    for (String model : models) {
      try {
        benchmark(model, threads, corpus);
      } catch (ConfigurationException e) {
        System.out.printf("%n## %s%n%nskipped: %s%n", model, e.getMessage());
      }
    }
  }

  private static void benchmark(String model, int threads, List<String> corpus) {
    System.out.printf(Locale.ROOT, "%n## %s%n%n", model);
    System.out.println("| measure | value |");
    System.out.println("|---|---|");
    try (OnnxEmbedder embedder = OnnxEmbedder.builder().model(model).threads(threads)
        .batchSize(1).build()) {
      for (int i = 0; i < WARM_UP; i++) {
        embedder.embedQuery(corpus.get(i % corpus.size()));
      }
      long[] nanos = new long[corpus.size()];
      double cpuStart = processCpuSeconds();
      for (int i = 0; i < corpus.size(); i++) {
        long start = System.nanoTime();
        embedder.embedQuery(corpus.get(i));
        nanos[i] = System.nanoTime() - start;
      }
      double cpu = processCpuSeconds() - cpuStart;
      row("single text p50 (ms)", format(Stats.percentileMillis(nanos, 50)));
      row("single text p99 (ms)", format(Stats.percentileMillis(nanos, 99)));
      row("single text CPU per text (ms)", format(cpu * 1000 / corpus.size()));
      String longText = "The quick brown fox jumps over the lazy dog. ".repeat(23_302);
      long start = System.nanoTime();
      embedder.embedDocuments(List.of(longText));
      row("one 1 MiB text (ms, first 2048 tokens)", millis(System.nanoTime() - start));
    }
    for (int batchSize : BATCH_SIZES) {
      try (OnnxEmbedder embedder = OnnxEmbedder.builder().model(model).threads(threads)
          .batchSize(batchSize).build()) {
        embedder.embedDocuments(corpus.subList(0, WARM_UP));
        for (boolean bulk : new boolean[] {false, true}) {
          double cpuStart = processCpuSeconds();
          long start = System.nanoTime();
          int step = bulk ? corpus.size() : batchSize;
          for (int from = 0; from < corpus.size(); from += step) {
            embedder.embedDocuments(corpus.subList(from, Math.min(corpus.size(), from + step)));
          }
          double seconds = (System.nanoTime() - start) / 1e9;
          double cpu = processCpuSeconds() - cpuStart;
          row("batch size " + batchSize + (bulk ? ", one call of all texts" : ", calls of "
                  + batchSize + " texts") + " (texts/s; CPU ms per text)",
              format(corpus.size() / seconds) + "; " + format(cpu * 1000 / corpus.size()));
        }
      }
    }
  }

  /** Memory-like sentences of varied length, the same on every run. */
  private static List<String> corpus(int count) {
    Random random = new Random(7);
    List<String> corpus = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      StringBuilder text = new StringBuilder();
      int sentences = 1 + random.nextInt(3);
      for (int s = 0; s < sentences; s++) {
        text.append(pick(random, SUBJECTS)).append(' ').append(pick(random, FACTS))
            .append(pick(random, TAILS)).append(". ");
      }
      corpus.add(text.toString().trim());
    }
    return corpus;
  }

  private static String pick(Random random, String[] values) {
    return values[random.nextInt(values.length)];
  }

  private static double processCpuSeconds() {
    return ((com.sun.management.OperatingSystemMXBean)
        ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
  }

  private static String millis(long nanos) {
    return format(nanos / 1e6);
  }

  private static String format(double value) {
    return String.format(Locale.ROOT, value >= 100 ? "%.0f" : "%.2f", value);
  }

  private static void row(String measure, String value) {
    System.out.println("| " + measure + " | " + value + " |");
  }
}
