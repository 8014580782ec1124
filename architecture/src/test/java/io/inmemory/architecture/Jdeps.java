package io.inmemory.architecture;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.spi.ToolProvider;

/**
 * {@code jdeps} (through {@link ToolProvider}, in this JVM) over the published InMemory modules:
 * the dependences between {@code io.inmemory} packages or classes, as jdeps reads them from the
 * bytecode (so comments and strings never count, and neither do constants javac inlines).
 */
final class Jdeps {
  /** One dependence: {@code from} uses {@code to}. */
  record Edge(String from, String to) {}

  private Jdeps() {}

  /** Package to package ({@code -verbose:package}). */
  static Set<Edge> packages() {
    return run("-verbose:package");
  }

  /**
   * Class to class ({@code -verbose:class}), with {@code -filter:none}: jdeps otherwise leaves out
   * the dependences inside a package, which are the ones two-way pairs are made of.
   */
  static Set<Edge> classes() {
    return run("-verbose:class", "-filter:none");
  }

  private static Set<Edge> run(String... verbose) {
    Archives archives = Archives.onClassPath();
    List<String> args = new ArrayList<>(List.of("--multi-release", "17", "--ignore-missing-deps"));
    if (!archives.dependencies().isEmpty()) {
      // jdeps resolves the descriptors of the modular jars: the modules they require must be found
      args.addAll(List.of("--module-path", Archives.join(archives.dependencies())));
    }
    args.addAll(List.of(verbose));
    args.addAll(List.of("-e", "io\\.inmemory(\\..*)?"));
    archives.published().forEach(archive -> args.add(archive.path().toString()));

    ToolProvider jdeps = ToolProvider.findFirst("jdeps")
        .orElseThrow(() -> new IllegalStateException("no jdeps in this JDK"));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = jdeps.run(new PrintWriter(out, true), new PrintWriter(err, true),
        args.toArray(String[]::new));
    if (status != 0) {
      throw new IllegalStateException("jdeps " + args + " exited with " + status + ":\n" + err + out);
    }
    Set<Edge> edges = new LinkedHashSet<>();
    for (String line : out.toString().split("\\R")) {
      // dependence lines are indented "from -> to origin"; unindented lines summarize archives
      if (line.isEmpty() || !Character.isWhitespace(line.charAt(0))) {
        continue;
      }
      String[] parts = line.trim().split("\\s+");
      if (parts.length >= 3 && parts[1].equals("->") && ours(parts[0]) && ours(parts[2])) {
        edges.add(new Edge(parts[0], parts[2]));
      }
    }
    if (edges.isEmpty()) {
      throw new IllegalStateException("jdeps found no dependence in " + args + ":\n" + out);
    }
    return edges;
  }

  private static boolean ours(String name) {
    return name.equals("io.inmemory") || name.startsWith("io.inmemory.");
  }
}
