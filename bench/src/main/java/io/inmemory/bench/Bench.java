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

  private static final Map<String, Benchmark> BENCHMARKS = new TreeMap<>(Map.ofEntries(
      command("agent", AgentBench::main),
      command("cluster", ClusterBench::main),
      command("corpus", Corpus::main),
      command("embedding", EmbeddingBench::main),
      command("index", IndexBench::main),
      command("index-ef", EfSweepBench::main),
      command("engine", EngineBench::main),
      command("restart", RestartBench::main),
      command("locomo", LocomoBench::main),
      command("store", StoreBench::main),
      command("server", ServerBench::main),
      command("soak", SoakBench::main),
      command("supersede", SupersedeBench::main)));

  private Bench() {}

  private static Map.Entry<String, Benchmark> command(String name, Benchmark benchmark) {
    return Map.entry(name, benchmark);
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || !BENCHMARKS.containsKey(args[0])) {
      System.err.println("usage: java -jar inmemory-bench.jar <benchmark> [options]");
      System.err.println("benchmarks: " + String.join(", ", BENCHMARKS.keySet()));
      System.exit(2);
    }
    BENCHMARKS.get(args[0]).run(Arrays.copyOfRange(args, 1, args.length));
  }
}
