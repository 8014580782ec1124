package io.inmemory.bench;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Entry point of {@code java -jar bench/target/inmemory-bench.jar <benchmark> [options]}: runs one
 * named benchmark and prints its results as Markdown.
 */
public final class Bench {
  private interface Benchmark {
    void run(String[] args) throws Exception;
  }

  private static final Map<String, Benchmark> BENCHMARKS = new TreeMap<>(Map.of(
      "corpus", Corpus::main,
      "embedding", EmbeddingBench::main,
      "index", IndexBench::main,
      "index-ef", EfSweepBench::main,
      "engine", EngineBench::main,
      "restart", RestartBench::main,
      "locomo", LocomoBench::main,
      "store", StoreBench::main,
      "server", ServerBench::main,
      "soak", SoakBench::main));

  private Bench() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || !BENCHMARKS.containsKey(args[0])) {
      System.err.println("usage: java -jar inmemory-bench.jar <benchmark> [options]");
      System.err.println("benchmarks: " + String.join(", ", BENCHMARKS.keySet()));
      System.exit(2);
    }
    BENCHMARKS.get(args[0]).run(Arrays.copyOfRange(args, 1, args.length));
  }
}
