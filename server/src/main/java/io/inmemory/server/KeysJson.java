package io.inmemory.server;

import static io.inmemory.wire.Schemas.array;
import static io.inmemory.wire.Schemas.instant;
import static io.inmemory.wire.Schemas.integer;
import static io.inmemory.wire.Schemas.map;
import static io.inmemory.wire.Schemas.nullable;
import static io.inmemory.wire.Schemas.object;
import static io.inmemory.wire.Schemas.ref;
import static io.inmemory.wire.Schemas.str;
import static io.inmemory.wire.Schemas.strings;
import static io.inmemory.wire.Schemas.stringsOrCsv;

import io.inmemory.engine.tenant.ApiKeyRecord;
import io.inmemory.engine.tenant.KeyScope;
import io.inmemory.wire.JsonBody;
import io.inmemory.wire.Member;
import io.inmemory.wire.MemoryJson;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The JSON of the server's own endpoints for API keys, which the managed client never calls: its
 * members, the key's JSON and the schemas for the OpenAPI document. Stateless and thread-safe.
 */
final class KeysJson {
  static final Member KEY_ID = new Member("key_id", "keyId", str());
  static final Member PROJECT_ID = new Member("project_id", "projectId", str());
  static final Member PROJECT_NAME = new Member("project_name", "projectName", str());
  static final Member NAME = new Member("name", str());
  static final Member HINT = new Member("hint", str());
  static final Member SCOPES = new Member("scopes", strings());
  static final Member EXPIRES_AT = new Member("expires_at", "expiresAt", nullable("string"));
  static final Member REVOKED_AT = new Member("revoked_at", "revokedAt", nullable("string"));
  static final Member LAST_USED_AT = new Member("last_used_at", "lastUsedAt",
      nullable("string"));
  static final Member USAGE_COUNT = new Member("usage_count", "usageCount", integer());
  /** The secret of a generated key. */
  static final Member KEY = new Member("key",
      map("type", "string", "description", "The key itself; shown once."));
  static final Member KEYS = new Member("keys", array(ref("ApiKey")));
  /** Scopes as a key's generation gives them. */
  static final Member SCOPES_IN =
      SCOPES.withSchema(stringsOrCsv("read, write, keys, admin, webhooks; default read, write."));
  static final Member EXPIRES_AT_IN = EXPIRES_AT.withSchema(instant());

  private KeysJson() {}

  static Map<String, Object> key(ApiKeyRecord key) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put(KEY_ID.name(), key.id());
    json.put(PROJECT_ID.name(), key.projectId());
    json.put(NAME.name(), key.name());
    json.put(HINT.name(), key.hint());
    json.put(SCOPES.name(), scopes(key.scopes()));
    json.put(MemoryJson.CREATED_AT.name(), text(key.createdAt()));
    json.put(EXPIRES_AT.name(), text(key.expiresAt()));
    json.put(REVOKED_AT.name(), text(key.revokedAt()));
    json.put(LAST_USED_AT.name(), text(key.lastUsedAt()));
    json.put(USAGE_COUNT.name(), key.usageCount());
    return json;
  }

  /** A key just made: its secret, then its record's members. */
  static Map<String, Object> created(CreatedKey created) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put(KEY.name(), created.secret());
    json.putAll(key(created.record()));
    return json;
  }

  private static final String SCOPE_NAMES = String.join(", ", scopes(EnumSet.allOf(KeyScope.class)));

  /**
   * The scopes {@code names} name (null for none given); the first name that is no scope is
   * reported to {@code invalid} and ends the reading: a list of a million must not make a million
   * problems.
   */
  static @Nullable Set<KeyScope> scopes(@Nullable List<String> names, Consumer<String> invalid) {
    if (names == null) {
      return null;
    }
    Set<KeyScope> scopes = EnumSet.noneOf(KeyScope.class);
    for (String name : names) {
      try {
        scopes.add(KeyScope.valueOf(name.trim().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        invalid.accept(JsonBody.quoted(name) + " is not a scope: " + SCOPE_NAMES);
        break;
      }
    }
    return scopes;
  }

  /** A key's scopes: lower-case names in their order. */
  static List<String> scopes(Set<KeyScope> scopes) {
    return scopes.stream().sorted().map(scope -> scope.name().toLowerCase(Locale.ROOT)).toList();
  }

  private static @Nullable String text(@Nullable Instant instant) {
    return instant == null ? null : instant.toString();
  }

  /** The schemas of the key endpoints' bodies, by name. */
  static Map<String, Object> schemas() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("CurrentUser", object(List.of(KEY_ID, SCOPES),
        PROJECT_ID.withSchema(nullable("string")), PROJECT_NAME.withSchema(nullable("string")),
        KEY_ID, SCOPES));
    s.put("GenerateKeyRequest", object(List.of(),
        NAME, SCOPES_IN, EXPIRES_AT_IN, PROJECT_ID, PROJECT_NAME));
    List<Member> required = List.of(KEY_ID, PROJECT_ID, SCOPES, MemoryJson.CREATED_AT);
    Member[] key = {KEY_ID, PROJECT_ID, NAME, HINT, SCOPES, MemoryJson.CREATED_AT, EXPIRES_AT,
        REVOKED_AT, LAST_USED_AT, USAGE_COUNT};
    s.put("ApiKey", object(required, key));
    Member[] generated = Arrays.copyOf(key, key.length + 1);
    generated[key.length] = KEY;
    s.put("GeneratedKey", object(required, generated));
    s.put("KeyList", object(List.of(KEYS), KEYS));
    return s;
  }
}
