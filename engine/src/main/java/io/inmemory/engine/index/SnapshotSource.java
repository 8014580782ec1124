package io.inmemory.engine.index;

import java.io.IOException;
import java.io.InputStream;

/** Opens a snapshot for reading; called more than once by {@link VectorIndex#restore}. */
@FunctionalInterface
public interface SnapshotSource {
  InputStream open() throws IOException;
}
