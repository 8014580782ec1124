package io.inmemory.engine.spi;

import java.time.Instant;

/**
 * Uses of one API key since the last report, for {@link AccessStore#recordUsage}. Immutable;
 * components non-null.
 *
 * @param keyId the key
 * @param uses how many requests it authenticated, at least 1
 * @param lastUsedAt when the latest of them arrived, millisecond precision
 */
public record KeyUsage(String keyId, long uses, Instant lastUsedAt) {

  public KeyUsage {
    AccessValues.id(keyId, "keyId");
    if (uses < 1) {
      throw new IllegalArgumentException("uses must be at least 1, got " + uses);
    }
    lastUsedAt = AccessValues.millis(lastUsedAt, "lastUsedAt");
  }
}
