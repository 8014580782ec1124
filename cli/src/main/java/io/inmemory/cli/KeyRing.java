package io.inmemory.cli;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Where {@code inmemory keys} makes, lists and revokes API keys: a local store's
 * or a server's key routes. Either way the keys are
 * the REST API's JSON documents, so {@code --json} prints the same thing for both.
 */
interface KeyRing {
  /**
   * A new key (its secret once, under {@code key}).
   *
   * @param scopes scope names (read, write, keys, admin, webhooks); null for read and write
   */
  Map<String, Object> create(@Nullable String project, @Nullable String projectName,
      @Nullable String name, @Nullable List<String> scopes, @Nullable Instant expiresAt);

  /** The keys of {@code project} (the caller's own on a server when null). */
  List<Map<String, Object>> list(@Nullable String project);

  /** Revokes {@code keyId}; the key, revoked. */
  Map<String, Object> revoke(String keyId);
}
