package io.inmemory.cli;

import io.inmemory.InMemoryConfig;
import io.inmemory.InvalidRequestException;
import io.inmemory.engine.Memory;
import io.inmemory.server.LocalKeys;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The keys of a local store, made as the server makes them ({@link LocalKeys}): a key made here
 * authenticates on a server started later on the same store. Not thread-safe.
 */
final class LocalKeyRing implements KeyRing {
  private final LocalKeys keys;

  LocalKeyRing(Memory memory, InMemoryConfig config) {
    this.keys = LocalKeys.of(memory, config);
  }

  @Override
  public Map<String, Object> create(@Nullable String project, @Nullable String projectName,
      @Nullable String name, @Nullable List<String> scopes, @Nullable Instant expiresAt) {
    return LocalKeys.json(keys.create(project, projectName, name, LocalKeys.scopes(scopes), expiresAt));
  }

  @Override
  public List<Map<String, Object>> list(@Nullable String project) {
    if (project == null) {
      throw new InvalidRequestException("project", "is required on a local store (--project)");
    }
    return keys.list(project).stream().map(LocalKeys::json).toList();
  }

  @Override
  public Map<String, Object> revoke(String keyId) {
    return LocalKeys.json(keys.revoke(keyId));
  }
}
