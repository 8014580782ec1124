package io.inmemory.spring.boot;

import java.util.Objects;
import java.util.concurrent.Executor;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;

/**
 * The executor of the advisor's asynchronous ingestion: the application's task executor, whose
 * hand-offs are counted so that closing the context waits for them. The {@code MemoryClient} is
 * closed with the context, and the task executor, when not told to await its tasks, cancels the
 * queued ones: without the wait, an exchange handed over before the close would be lost (or fail
 * on a closed client). {@link ContextClosedEvent} comes before any bean is stopped or destroyed,
 * so the client and the executor still work while the context waits. Thread-safe.
 */
final class IngestionDrain implements Executor, ApplicationListener<ContextClosedEvent> {
  private final Executor executor;
  private final ApplicationContext context;
  private int inFlight; // guarded by this

  IngestionDrain(Executor executor, ApplicationContext context) {
    this.executor = Objects.requireNonNull(executor, "executor");
    this.context = Objects.requireNonNull(context, "context");
  }

  @Override
  public void execute(Runnable ingestion) {
    synchronized (this) {
      inFlight++;
    }
    try {
      executor.execute(() -> {
        try {
          ingestion.run();
        } finally {
          done();
        }
      });
    } catch (RuntimeException refused) {
      done();
      throw refused;
    }
  }

  private synchronized void done() {
    if (--inFlight == 0) {
      notifyAll();
    }
  }

  /** Waits for every ingestion handed over, when this drain's own context closes. */
  @Override
  public synchronized void onApplicationEvent(ContextClosedEvent event) {
    if (event.getApplicationContext() != context) {
      return;
    }
    try {
      while (inFlight > 0) {
        wait();
      }
    } catch (InterruptedException e) {
      // the close goes on: what is still queued is lost, as without the drain
      Thread.currentThread().interrupt();
    }
  }
}
