package io.inmemory.engine.spi;

import java.time.Duration;

/**
 * One reader's position in a {@link ChangeFeed}. <b>Not thread-safe</b>: one thread reads it.
 *
 * <p>It delivers each settled change at most once, and every settled change written after it was
 * opened at least once unless a batch reports {@link ChangeBatch#trimmed()}. A change is settled
 * when the write it records has reached the store (or was abandoned: an aborted write is never
 * delivered; a writer that died mid-write is delivered after the store's pending timeout, since
 * re-reading the stored state is right whether or not its write landed).
 */
public interface ChangeReader extends AutoCloseable {

  /**
   * The next settled changes, at most {@code limit}, in feed order. A reader that {@link #waits()}
   * blocks up to {@code maxWait} for the first; a polling reader returns at once.
   *
   * @throws io.inmemory.StorageException when the store cannot be read; the position is kept, so
   *     the next call resumes where this one would have
   */
  ChangeBatch next(int limit, Duration maxWait);

  /**
   * Whether {@link #next} waits for changes (a change stream); when false the caller paces itself
   * (the engine polls at {@code inmemory.cluster.poll-interval}).
   */
  boolean waits();

  /** Releases the reader's resources; idempotent. */
  @Override
  void close();
}
