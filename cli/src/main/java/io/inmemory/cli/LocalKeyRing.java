package io.inmemory.cli;

import io.inmemory.InMemoryConfig;
import io.inmemory.InvalidRequestException;
import io.inmemory.engine.Memory;
import io.inmemory.engine.tenant.KeyScope;
import io.inmemory.server.LocalKeys;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
    return LocalKeys.json(keys.create(project, projectName, name, scopes(scopes), expiresAt));
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

  private static @Nullable Set<KeyScope> scopes(@Nullable List<String> names) {
    if (names == null) {
      return null;
    }
    Set<KeyScope> scopes = EnumSet.noneOf(KeyScope.class);
    for (String name : names) {
      try {
        scopes.add(KeyScope.valueOf(name.trim().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new InvalidRequestException("scopes",
            "'" + name + "' is not a scope: read, write, keys or admin");
      }
    }
    return scopes;
  }
}
