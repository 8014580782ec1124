package io.inmemory.store.file;

import io.inmemory.AddResult;
import io.inmemory.InMemoryConfig;
import io.inmemory.engine.Memory;
import io.inmemory.engine.tck.HashingEmbedder;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The other process of the crash and lock tests, started on the test classpath.
 *
 * <ul>
 *   <li>{@code add <dir>}: two threads add memories through the engine as fast as they can, and
 *       print {@code ack <user> <id> end} for each add that returned, until killed. The
 *       compaction threshold is tiny, so kills also land during compactions.
 *   <li>{@code hold <dir>}: opens the store, prints {@code ready}, and closes it when standard
 *       input ends.
 * </ul>
 */
public final class ChildProcess {
  static final int USERS = 2;

  private ChildProcess() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[1]);
    PrintStream out = System.out;
    switch (args[0]) {
      case "add" -> add(dir, out);
      case "hold" -> {
        try (FileMemoryStore store = FileMemoryStore.open(dir)) {
          store.ping();
          out.println("ready");
          out.flush();
          while (System.in.read() >= 0) {
            // hold the store until the parent closes our standard input
          }
        }
      }
      default -> throw new IllegalArgumentException(args[0]);
    }
  }

  static String user(int index) {
    return "crash-user-" + index;
  }

  private static void add(Path dir, PrintStream out) throws InterruptedException {
    FileMemoryStore store = FileMemoryStore.builder(dir).compactionLogSize(32 << 10).open();
    Memory memory = Memory.builder().config(InMemoryConfig.builder().isolated().build())
        .store(store).embedder(new HashingEmbedder()).build();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < USERS; t++) {
      String user = user(t);
      Thread thread = new Thread(() -> {
        for (long i = 0; ; i++) {
          AddResult added = memory.add("note " + i + " written by " + user + " before the crash",
              user);
          synchronized (out) {
            out.println("ack " + user + " " + added.id() + " end");
            out.flush();
          }
        }
      });
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }
  }

  /** Starts this class in a new JVM with the same Java and classpath. */
  static Process start(String mode, Path dir, Path stderr) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), ChildProcess.class.getName(), mode,
        dir.toString())
        .redirectError(stderr.toFile())
        .start();
  }
}
