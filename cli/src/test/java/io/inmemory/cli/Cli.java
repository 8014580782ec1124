package io.inmemory.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inmemory.InMemoryConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Supplier;

/**
 * Runs {@code inmemory} in this JVM as {@link InMemoryCli#main} would, its output and errors
 * captured, on a configuration isolated from the machine's (only the arguments and
 * {@code settings} count).
 */
final class Cli {
  /** The engine's deterministic embedder (HashingEmbedderProvider), for tests of mechanics. */
  static final String HASHING = "test-hashing";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Supplier<InMemoryConfig.Builder> sources;

  private Cli(Supplier<InMemoryConfig.Builder> sources) {
    this.sources = sources;
  }

  /** Only the arguments count, and the hashing embedder unless they name another. */
  static Cli hashing() {
    return new Cli(() -> InMemoryConfig.builder().isolated()
        .set(InMemoryConfig.EMBEDDER.name(), HASHING));
  }

  /** Only the arguments count: the default embedder (ONNX). */
  static Cli isolated() {
    return new Cli(() -> InMemoryConfig.builder().isolated());
  }

  Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = InMemoryCli.commandLine(sources)
        .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
        .execute(args);
    return new Run(status, out.toString(), err.toString());
  }

  /** What one run printed and its exit status. */
  record Run(int status, String out, String err) {
    JsonNode json() {
      try {
        return JSON.readTree(out);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON (status " + status + ", err " + err + "): "
            + out, e);
      }
    }

    List<String> errLines() {
      return err.lines().toList();
    }

    @Override
    public String toString() {
      return "status " + status + "\n--- out\n" + out + "--- err\n" + err;
    }
  }
}
