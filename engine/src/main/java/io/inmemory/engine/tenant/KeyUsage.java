package io.inmemory.engine.tenant;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Uses of one API key since the last report, for {@link AccessStore#recordUsage}. Immutable.
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

  /**
   * The reports combined per key — uses summed, the latest time kept — in key-id order, so stores
   * that lock one row per key take the locks in the same order in every call.
   */
  public static List<KeyUsage> perKey(List<KeyUsage> usages) {
    Map<String, KeyUsage> combined = new TreeMap<>();
    for (KeyUsage usage : usages) {
      combined.merge(usage.keyId(), usage, KeyUsage::plus);
    }
    return List.copyOf(combined.values());
  }

  private KeyUsage plus(KeyUsage other) {
    return new KeyUsage(keyId, uses + other.uses,
        lastUsedAt.isAfter(other.lastUsedAt) ? lastUsedAt : other.lastUsedAt);
  }
}
