package io.inmemory.cli;

import java.io.PrintWriter;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.jspecify.annotations.Nullable;

/**
 * The progress of long work, with rate and time left, always on standard error (standard output
 * carries the result): a bar redrawn in place on a terminal, one ASCII line every
 * {@value #LOG_INTERVAL_MILLIS} ms (and at the end) when standard error is a file or a pipe, where
 * a redrawn bar would make one endless line; nothing with {@code --no-progress}. Wraps
 * progressbar, so that library can be replaced here alone. Not thread-safe.
 */
final class Progress implements AutoCloseable {
  /** How often a progress line is written when the output is not a terminal. */
  static final int LOG_INTERVAL_MILLIS = 10_000;

  private final @Nullable ProgressBar bar;

  private Progress(@Nullable ProgressBar bar) {
    this.bar = bar;
  }

  /** No progress shown. */
  static Progress off() {
    return new Progress(null);
  }

  /**
   * Progress of {@code task} over {@code total} {@code unit}s: a bar when the process has a
   * terminal, else lines on {@code err}.
   */
  static Progress of(String task, long total, String unit, PrintWriter err) {
    ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
        .setUnit(" " + unit, 1).showSpeed();
    if (System.console() == null) {
      builder.setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(LOG_INTERVAL_MILLIS)
          .setConsumer(new DelegatingProgressBarConsumer(line -> {
            err.println(line);
            err.flush();
          }));
    } else {
      builder.setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK);
    }
    return new Progress(builder.build());
  }

  /** {@code done} more units finished. */
  void step(long done) {
    if (bar != null) {
      bar.stepBy(done);
    }
  }

  /** Shows the last state and stops. */
  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    }
  }
}
