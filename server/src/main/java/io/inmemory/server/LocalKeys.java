package io.inmemory.server;

import io.inmemory.InMemoryConfig;
import io.inmemory.InvalidRequestException;
import io.inmemory.engine.Memory;
import io.inmemory.engine.tenant.ApiKeyRecord;
import io.inmemory.engine.tenant.KeyScope;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The API keys of a store, managed without a server (for {@code inmemory keys} on a local
 * store): made, listed and revoked exactly as the server's key routes do it with an admin key,
 * so a key made here authenticates on a server later started on the same store (with the same
 * {@link ServerSettings#API_KEY_PREFIX}). A key is shown once, by {@link #create}; only its hash
 * is stored. A server running on the same store sees a revocation within its key revocation poll
 * (or its key cache time-to-live). Thread-safe (as the engine's access store); holds no resources.
 */
public final class LocalKeys {
  private final KeyMaker maker;

  private LocalKeys(KeyMaker maker) {
    this.maker = maker;
  }

  /**
   * The keys of {@code memory}'s store, with the key prefix {@code config} sets.
   *
   * @throws io.inmemory.ConfigurationException when the server settings of {@code config} are
   *     invalid
   */
  public static LocalKeys of(Memory memory, InMemoryConfig config) {
    return new LocalKeys(new KeyMaker(memory.access(), ServerSettings.from(config).keyPrefix(),
        Clock.systemUTC()));
  }

  /**
   * Creates a key in project {@code projectId}, creating the project (named {@code projectName},
   * else its id) when it does not exist; with no project id, a new project with a generated id
   * named {@code projectName}.
   *
   * @param scopes what the key may do; null for read and write
   * @param expiresAt when it stops working; null for never
   * @throws io.inmemory.InvalidRequestException when a name, the project id, the scopes or the
   *     expiry are invalid, or neither a project id nor a name is given
   */
  public CreatedKey create(@Nullable String projectId, @Nullable String projectName,
      @Nullable String name, @Nullable Set<KeyScope> scopes, @Nullable Instant expiresAt) {
    return maker.generate(Principal.bootstrapAdmin(), projectId, projectName, name, scopes,
        expiresAt);
  }

  /**
   * The scopes {@code names} name (read, write, keys, admin, webhooks, in any case), as the server reads
   * them; null for null.
   *
   * @throws InvalidRequestException (field {@code scopes}) naming the first that is no scope
   */
  public static @Nullable Set<KeyScope> scopes(@Nullable List<String> names) {
    return KeysJson.scopes(names, problem -> {
      throw new InvalidRequestException("scopes", problem);
    });
  }

  /** The REST API's JSON of a key just made (its secret included), as {@code generate-key} answers. */
  public static Map<String, Object> json(CreatedKey created) {
    return KeysJson.created(created);
  }

  /** The REST API's JSON of a key (never its secret or hash). */
  public static Map<String, Object> json(ApiKeyRecord key) {
    return KeysJson.key(key);
  }

  /** The keys of project {@code projectId}, revoked ones included (empty for no such project). */
  public List<ApiKeyRecord> list(String projectId) {
    return maker.list(Principal.bootstrapAdmin(), projectId);
  }

  /**
   * Revokes the key {@code keyId}.
   *
   * @return the key, revoked
   * @throws io.inmemory.NotFoundException when there is no such key
   */
  public ApiKeyRecord revoke(String keyId) {
    return maker.revoke(Principal.bootstrapAdmin(), keyId);
  }
}
