package io.inmemory.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a measurement in a fresh JVM with this JVM's options (heap, {@code --add-modules}; not a
 * flight recording or agent, which belong to one process) and class path, so that what ran
 * before — another system's code shaping the JIT's profiles of shared JDK classes, its garbage —
 * cannot bias it. The child's standard error goes to ours; its answer is the last line on
 * standard output that starts with the given prefix.
 */
final class ChildJvm {

  private ChildJvm() {}

  /** Runs {@code main} with {@code args}; returns its last line starting with {@code prefix}. */
  static String run(Class<?> main, List<String> args, String prefix)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(arg -> !arg.startsWith("-XX:StartFlightRecording") && !arg.startsWith("-agent")
            && !arg.startsWith("-javaagent"))
        .forEach(command::add);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
    command.addAll(args);
    Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    String answer = null;
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
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
}
