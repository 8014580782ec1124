package io.inmemory.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a measurement in a fresh JVM with this JVM's options (heap, {@code --add-modules}; not a
 * flight recording or agent, which belong to one process) and class path, so that what ran
 * before — another system's code shaping the JIT's profiles of shared JDK classes, its garbage —
 * cannot bias it. The child's standard error goes to ours; it answers on standard output
 * with lines that start with an agreed prefix, other lines being ignored.
 */
final class ChildJvm {
  /** How long a child may take to exit once asked to. */
  private static final long EXIT_SECONDS = 60;

  private ChildJvm() {}

  /** Runs {@code main} with {@code args}; returns its last line starting with {@code prefix}. */
  static String run(Class<?> main, List<String> args, String prefix)
      throws IOException, InterruptedException {
    Process process = start(main, args);
    String answer = null;
    try (BufferedReader out = reader(process)) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.startsWith(prefix)) {
          answer = line.substring(prefix.length());
        }
      }
    }
    int exit = process.waitFor();
    if (exit != 0 || answer == null) {
      throw new IllegalStateException(main.getSimpleName() + " " + String.join(" ", args)
          + " failed in its child JVM (exit " + exit + (answer == null ? ", no answer" : "")
          + ")");
    }
    return answer;
  }

  /**
   * Starts {@code main} with {@code args} for a conversation: lines to its standard input, answers
   * from its standard output. Close the session to end it.
   */
  static Session session(Class<?> main, List<String> args) throws IOException {
    return session(main, List.of(), args);
  }

  /**
   * As {@link #session(Class, List)}, with {@code jvmOptions} after this JVM's own, so that they
   * win where both set the same thing ({@code -Xmx}, say).
   */
  static Session session(Class<?> main, List<String> jvmOptions, List<String> args)
      throws IOException {
    return new Session(main.getSimpleName(), start(main, jvmOptions, args));
  }

  private static Process start(Class<?> main, List<String> args) throws IOException {
    return start(main, List.of(), args);
  }

  private static Process start(Class<?> main, List<String> jvmOptions, List<String> args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(arg -> !arg.startsWith("-XX:StartFlightRecording") && !arg.startsWith("-agent")
            && !arg.startsWith("-javaagent"))
        .forEach(command::add);
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
    command.addAll(args);
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  private static BufferedReader reader(Process process) {
    return new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  /**
   * A running child JVM spoken to line by line. Closing it closes the child's standard input —
   * the child's cue to shut down — and waits for it to exit, killing it after
   * {@link #EXIT_SECONDS} seconds or when interrupted; an exit status other than 0 is an error. Not thread-safe: one
   * thread converses at a time.
   */
  static final class Session implements AutoCloseable {
    private final String name;
    private final Process process;
    private final BufferedReader out;
    private final PrintWriter in;

    private Session(String name, Process process) {
      this.name = name;
      this.process = process;
      this.out = reader(process);
      this.in = new PrintWriter(
          new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
    }

    /** Sends one line to the child. */
    void send(String line) {
      in.println(line);
      if (in.checkError()) {
        throw new IllegalStateException(name + " no longer reads its input (exited?)");
      }
    }

    /**
     * Waits for the child's next line starting with {@code prefix} and returns the rest of it.
     *
     * @throws IllegalStateException when the child ends its output first
     */
    String await(String prefix) throws IOException {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.startsWith(prefix)) {
          return line.substring(prefix.length());
        }
      }
      throw new IllegalStateException(name + " ended its output before answering '" + prefix
          + "' (exit " + (process.isAlive() ? "pending" : process.exitValue()) + ")");
    }

    @Override
    public void close() throws IOException {
      in.close();
      try {
        if (!process.waitFor(EXIT_SECONDS, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException(name + " did not exit within " + EXIT_SECONDS
              + " s of its input closing; killed");
        }
        if (process.exitValue() != 0) {
          throw new IllegalStateException(name + " exited with status " + process.exitValue());
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for " + name + " to exit; killed", e);
      } finally {
        out.close();
      }
    }
  }
}
