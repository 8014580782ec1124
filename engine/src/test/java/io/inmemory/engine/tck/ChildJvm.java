package io.inmemory.engine.tck;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a command, typically a child JVM, to its end with its output (stdout and stderr merged)
 * in a log file, for tests that need a fresh process: privacy checks, crash tests. Stateless.
 */
public final class ChildJvm {
  private ChildJvm() {}

  /** How a child ended: its exit status and everything it printed. */
  public record Run(int status, String output) {}

  /** The {@code java} binary of this JVM. */
  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * Runs {@code command} with the output in {@code log} and waits for it.
   *
   * @param environment changes the child's environment (a copy of this JVM's) before it starts
   * @throws AssertionError when it does not end within {@code timeout} (it is then killed)
   */
  public static Run run(List<String> command, Path log, Consumer<Map<String, String>> environment,
      Duration timeout) throws IOException, InterruptedException {
    Files.createDirectories(log.toAbsolutePath().getParent());
    ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command))
        .redirectErrorStream(true).redirectOutput(log.toFile());
    environment.accept(builder.environment());
    Process process = builder.start();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish in "
          + timeout.toSeconds() + " s");
    }
    return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }
}
