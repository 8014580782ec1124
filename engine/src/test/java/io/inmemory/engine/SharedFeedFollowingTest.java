package io.inmemory.engine;

import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.tck.ChangeFollowingContract;
import io.inmemory.engine.tck.SharedFeedStore;

/** The change-following contract on the in-heap shared store and its polled change log. */
class SharedFeedFollowingTest extends ChangeFollowingContract {
  private final SharedFeedStore shared = new SharedFeedStore();

  @Override
  protected MemoryStore openProcess(String name) {
    return shared.process(name);
  }

  @Override
  protected void trimAll() {
    shared.trimAll();
  }
}
