package io.inmemory.engine.tenant;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What a store keeps of an API key: never the key itself, only its SHA-256 hash, plus what the
 * server needs to authorize and report on it. Instants have millisecond precision; the three
 * optional instants are {@code null} when absent. Immutable.
 *
 * @param id the key's public id (used to list and revoke it), same rules as {@link Project#id()}
 * @param projectId the project it belongs to
 * @param name a display name, at most 200 characters, may be empty
 * @param hash the SHA-256 of the full key, 64 lowercase hex digits; unique across the store
 * @param hint the first characters of the key, shown in listings so users can tell keys apart; at
 *     most 16 characters and never enough to use
 * @param scopes what the key may do, not empty; copied
 * @param createdAt when it was created
 * @param expiresAt when it stops working, or {@code null} for never
 * @param revokedAt when it was revoked, or {@code null} while it is not
 * @param lastUsedAt when it last authenticated a request, or {@code null} if never
 * @param usageCount how many requests it has authenticated, not negative
 */
public record ApiKeyRecord(
    String id,
    String projectId,
    String name,
    String hash,
    String hint,
    Set<KeyScope> scopes,
    Instant createdAt,
    @Nullable Instant expiresAt,
    @Nullable Instant revokedAt,
    @Nullable Instant lastUsedAt,
    long usageCount) {
  private static final Pattern SHA_256_HEX = Pattern.compile("[0-9a-f]{64}");
  private static final int MAX_HINT_LENGTH = 16;

  public ApiKeyRecord {
    AccessValues.id(id, "id");
    AccessValues.id(projectId, "projectId");
    AccessValues.name(name, "name");
    Objects.requireNonNull(hash, "hash");
    if (!SHA_256_HEX.matcher(hash).matches()) {
      throw new IllegalArgumentException("hash must be 64 lowercase hex digits (SHA-256)");
    }
    Objects.requireNonNull(hint, "hint");
    if (hint.length() > MAX_HINT_LENGTH) {
      throw new IllegalArgumentException("hint must be at most " + MAX_HINT_LENGTH + " characters");
    }
    Objects.requireNonNull(scopes, "scopes");
    if (scopes.isEmpty()) {
      throw new IllegalArgumentException("scopes must not be empty");
    }
    scopes = Set.copyOf(EnumSet.copyOf(scopes));
    createdAt = AccessValues.millis(createdAt, "createdAt");
    expiresAt = AccessValues.millisOrNull(expiresAt);
    revokedAt = AccessValues.millisOrNull(revokedAt);
    lastUsedAt = AccessValues.millisOrNull(lastUsedAt);
    if (usageCount < 0) {
      throw new IllegalArgumentException("usageCount must not be negative, got " + usageCount);
    }
  }

  /** A new key: never used, not revoked. */
  public static ApiKeyRecord create(String id, String projectId, String name, String hash,
      String hint, Set<KeyScope> scopes, Instant createdAt, Instant expiresAt) {
    return new ApiKeyRecord(id, projectId, name, hash, hint, scopes, createdAt, expiresAt, null,
        null, 0);
  }

  /** Whether the key authenticates requests at {@code now}: not revoked and not expired. */
  public boolean isActiveAt(Instant now) {
    return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
  }

  /** This key revoked at {@code at}; a key already revoked keeps its first revocation time. */
  public ApiKeyRecord revokedAt(Instant at) {
    return revokedAt != null ? this : new ApiKeyRecord(id, projectId, name, hash, hint, scopes,
        createdAt, expiresAt, Objects.requireNonNull(at, "at"), lastUsedAt, usageCount);
  }

  /** This key with {@code usage} added: counts summed, the later last-used time kept. */
  public ApiKeyRecord plus(KeyUsage usage) {
    if (!usage.keyId().equals(id)) {
      throw new IllegalArgumentException("usage of key " + usage.keyId() + " added to key " + id);
    }
    Instant last = lastUsedAt == null || usage.lastUsedAt().isAfter(lastUsedAt)
        ? usage.lastUsedAt() : lastUsedAt;
    return new ApiKeyRecord(id, projectId, name, hash, hint, scopes, createdAt, expiresAt,
        revokedAt, last, usageCount + usage.uses());
  }

  @Override
  public String toString() {
    return "ApiKeyRecord[id=" + id + ", projectId=" + projectId + ", name=" + name + ", hint="
        + hint + ", scopes=" + scopes + ", createdAt=" + createdAt + ", expiresAt=" + expiresAt
        + ", revokedAt=" + revokedAt + ", lastUsedAt=" + lastUsedAt + ", usageCount="
        + usageCount + "]";
  }
}
