package io.inmemory.engine.index;

import java.io.IOException;

/**
 * A snapshot that cannot be used for the partition at hand: from another embedder, dimension or
 * graph settings, of other vectors (stale), of an unknown format, or damaged. The message says
 * which, for the log line that announces the rebuild. Engine-internal, not API.
 */
public final class InvalidSnapshotException extends IOException {

  private static final long serialVersionUID = 1L;

  public InvalidSnapshotException(String message) {
    super(message);
  }

  InvalidSnapshotException(String message, Throwable cause) {
    super(message, cause);
  }
}
