package io.inmemory.server;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The runnable server ({@link InMemoryServer#main}) in a JVM of its own, on this test classpath,
 * with only the given {@code INMEMORY_*} environment; its standard output and error are collected
 * line by line. {@link #close()} stops it as a SIGTERM would. Not thread-safe.
 */
final class ChildServer implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)");

  private final Process process;
  private final List<String> out = new CopyOnWriteArrayList<>();
  private final List<String> err = new CopyOnWriteArrayList<>();
  private final Thread outReader;
  private final Thread errReader;

  /** Starts {@code main(args)} in {@code dir} with {@code env} as its only INMEMORY_ variables. */
  ChildServer(Path dir, Map<String, String> env, String... args) throws IOException {
    this(dir, List.of(), env, args);
  }

  /** As {@link #ChildServer(Path, Map, String...)}, with options for the JVM such as -Xmx. */
  ChildServer(Path dir, List<String> jvmOptions, Map<String, String> env, String... args)
      throws IOException {
    this(dir, jvmOptions, List.of(), env, args);
  }

  /**
   * As {@link #ChildServer(Path, List, Map, String...)}, with {@code classpath} after this test
   * class path (such as a directory of service registrations only the child should see).
   */
  ChildServer(Path dir, List<String> jvmOptions, List<Path> classpath, Map<String, String> env,
      String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(jvmOptions);
    StringBuilder path = new StringBuilder(System.getProperty("java.class.path"));
    classpath.forEach(entry -> path.append(File.pathSeparator).append(entry));
    command.addAll(List.of("-cp", path.toString(), InMemoryServer.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("INMEMORY_"));
    builder.environment().putAll(env);
    process = builder.start();
    outReader = drain(process.getInputStream(), out);
    errReader = drain(process.getErrorStream(), err);
  }

  /** Whether the JVM is still running. */
  boolean alive() {
    return process.isAlive();
  }

  /** The lines written to standard output so far (blank ones left out). */
  List<String> out() {
    return out;
  }

  /** The lines written to standard error so far (blank ones left out). */
  List<String> err() {
    return err;
  }

  /** The port the server logs once it listens; fails when it exits or takes over 90 s. */
  int awaitPort() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline && process.isAlive()) {
      for (String line : out) {
        // a JSON log line escapes the URL's slashes
        Matcher matcher = LISTENING.matcher(line.replace("\\/", "/"));
        if (matcher.find()) {
          return Integer.parseInt(matcher.group(1));
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the server did not start: " + out + " " + err);
  }

  /** Waits for the JVM to exit by itself (60 s at most) and returns its status. */
  int awaitExit() throws InterruptedException {
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      throw new AssertionError("the server did not exit: " + out + " " + err);
    }
    joinReaders();
    return process.exitValue();
  }

  /** Stops the server (SIGTERM, so its shutdown hook runs) and reads the rest of its output. */
  @Override
  public void close() throws InterruptedException {
    // through the handle: Process.destroy would close the output pipes under their readers
    process.toHandle().destroy();
    process.waitFor(60, TimeUnit.SECONDS);
    joinReaders();
  }

  /**
   * Sends the server SIGKILL, as {@code kill -9} would (no shutdown hook runs), and returns at
   * once; {@link #awaitExit()} waits for the JVM to end. The signal goes through the process
   * handle, which leaves the output pipes open, so what the server wrote before it died is still
   * collected.
   *
   * @return whether the signal was sent to a running JVM
   */
  boolean kill() {
    return process.toHandle().destroyForcibly();
  }

  private void joinReaders() throws InterruptedException {
    outReader.join(10_000);
    errReader.join(10_000);
  }

  private static Thread drain(InputStream stream, List<String> lines) {
    Thread thread = new Thread(() -> {
      try (BufferedReader reader = new BufferedReader(
          new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          if (!line.isBlank()) {
            lines.add(line);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, "server-output");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
