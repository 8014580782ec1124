package io.inmemory.cli;

import io.inmemory.InMemoryConfig;
import io.inmemory.MemoryClient;
import io.inmemory.engine.Memory;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Where {@code inmemory keys} makes, lists and revokes API keys: a local store's
 * ({@link LocalKeyRing}) or a server's key routes ({@link RemoteKeyRing}). Either way the keys are
 * the REST API's JSON documents, so {@code --json} prints the same thing for both.
 */
interface KeyRing {
  /**
   * A new key (its secret once, under {@code key}).
   *
   * @param scopes scope names (read, write, keys, admin); null for read and write
   */
  Map<String, Object> create(@Nullable String project, @Nullable String projectName,
      @Nullable String name, @Nullable List<String> scopes, @Nullable Instant expiresAt);

  /** The keys of {@code project} (the caller's own on a server when null). */
  List<Map<String, Object>> list(@Nullable String project);

  /** Revokes {@code keyId}; the key, revoked. */
  Map<String, Object> revoke(String keyId);

  /** The key ring of the runtime {@code client} of {@code config} is. */
  static KeyRing of(MemoryClient client, InMemoryConfig config) {
    return client instanceof Memory memory ? new LocalKeyRing(memory, config)
        : new RemoteKeyRing(config);
  }
}
