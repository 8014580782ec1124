package io.inmemory.store.file;

import static io.inmemory.store.file.StoreDirectory.LOG;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/** The store's background threads: named daemon threads, and waiting for them on close. */
final class Background {
  private Background() {}

  /** Daemon threads named {@code name}, so thread dumps tell what they do. */
  static ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  /**
   * Shuts {@code executor} down and waits for the work it runs, however long it takes; an
   * interrupt is kept for the caller, not obeyed.
   */
  static void awaitTermination(ExecutorService executor) {
    executor.shutdown();
    boolean interrupted = false;
    while (true) {
      try {
        if (executor.awaitTermination(1, TimeUnit.MINUTES)) {
          break;
        }
        LOG.info("Still waiting for the file store's background work to finish");
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
