package io.inmemory.engine;

/**
 * Who uses one {@link Partition} instance, and whether the cache still holds it. An evicted
 * instance that is in use stays live (operations in flight finish on it, and the next use of its
 * key adopts it again instead of loading a second copy); the last user to let go of it retires
 * it, for good. Thread-safe: every transition is one synchronized method, never called while
 * waiting for anything else.
 */
final class Pins {
  private int count;
  private boolean evicted;
  private boolean retired;

  /** Counts one more user; false when the instance is retired and must not be used. */
  synchronized boolean pin() {
    if (retired) {
      return false;
    }
    count++;
    return true;
  }

  /** Counts one user fewer; true when this retired the evicted instance. */
  synchronized boolean unpin() {
    if (count == 0) {
      throw new IllegalStateException("unpinned more often than pinned");
    }
    count--;
    if (evicted && count == 0) {
      retired = true;
      return true;
    }
    return false;
  }

  /** The cache dropped the instance: true when nobody uses it, which retires it at once. */
  synchronized boolean evict() {
    evicted = true;
    retired = retired || count == 0;
    return retired;
  }

  /**
   * The cache drops the instance if nobody uses it: true when it was idle, which retires it at
   * once; false (and nothing changes) when it is in use.
   */
  synchronized boolean retireIfIdle() {
    if (count == 0) {
      evicted = true;
      retired = true;
    }
    return retired;
  }

  /**
   * The cache holds the evicted instance again, and one more user: false when it retired
   * meanwhile (then it must not be used).
   */
  synchronized boolean adopt() {
    if (retired) {
      return false;
    }
    evicted = false;
    count++;
    return true;
  }
}
