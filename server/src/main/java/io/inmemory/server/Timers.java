package io.inmemory.server;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** The server's background timers. Stateless. */
final class Timers {
  private Timers() {}

  /**
   * A timer of one daemon thread named {@code name}: it never keeps the JVM alive, the server's
   * {@code close()} stops it.
   */
  static ScheduledExecutorService daemon(String name) {
    return Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    });
  }
}
