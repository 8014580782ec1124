package io.inmemory.server;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.inmemory.AuthenticationException;
import io.inmemory.InvalidRequestException;
import io.inmemory.NotFoundException;
import io.inmemory.PermissionDeniedException;
import io.inmemory.Validation;
import io.inmemory.engine.tenant.AccessStore;
import io.inmemory.engine.tenant.ApiKeyRecord;
import io.inmemory.engine.tenant.KeyScope;
import io.inmemory.engine.tenant.KeyUsage;
import io.inmemory.engine.tenant.Project;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API keys: generation, authentication, listing, revocation and usage tracking over the store's
 * {@link AccessStore}.
 *
 * <p>A key is its prefix ({@code im_} by default) followed by 43 base62 characters holding 256
 * random bits from {@link SecureRandom}. Only its SHA-256 (hex) is stored; a presented key is
 * looked up by its hash and the hashes compared with {@link MessageDigest#isEqual}. The key
 * itself is returned once, by {@link #generate}, and never logged.
 *
 * <p><b>Caching.</b> Key records are cached for a short time-to-live. A revocation through this
 * process invalidates its cache entry, so the very next request fails. On a store several server
 * processes share, {@link KeyRevocations} polls the store's access version and drops the cache
 * when another process revoked a key, so the revocation holds here within a poll interval and
 * one store read; the time-to-live bounds it when that signal is lost.
 *
 * <p><b>Usage.</b> Each authentication is counted in memory and written in batches
 * ({@link AccessStore#recordUsage}) on a timer and on {@link #close()}, so counts are exact once
 * the server has shut down gracefully.
 *
 * <p>Thread-safe.
 */
final class ApiKeys implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ApiKeys.class);
  private static final int KEY_CHARS = 43;
  private static final int HINT_CHARS = 4;
  private static final Set<KeyScope> DEFAULT_SCOPES = Set.of(KeyScope.READ, KeyScope.WRITE);

  private final AccessStore access;
  private final String prefix;
  private final byte[] adminHash;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Cache<String, Cached> byHash;
  /** Null when the store is used by this process only. */
  private final KeyRevocations revocations;
  private final Map<String, KeyUsage> pending = new ConcurrentHashMap<>();
  private final ScheduledExecutorService flusher;

  ApiKeys(AccessStore access, String prefix, String adminKey, Clock clock, Duration cacheTtl,
      Duration flushInterval, Duration revocationPoll) {
    this.access = access;
    this.prefix = prefix;
    this.adminHash = adminKey == null ? null : sha256(adminKey);
    this.clock = clock;
    this.byHash = Caffeine.newBuilder().expireAfterWrite(cacheTtl).maximumSize(100_000).build();
    this.revocations = KeyRevocations.watch(access, revocationPoll, byHash::invalidateAll);
    this.flusher = Timers.daemon("inmemory-key-usage");
    long millis = flushInterval.toMillis();
    flusher.scheduleWithFixedDelay(this::flushQuietly, millis, millis, TimeUnit.MILLISECONDS);
  }

  /**
   * The caller holding {@code presented}.
   *
   * @throws AuthenticationException when the key is unknown, revoked or expired
   */
  Principal authenticate(String presented) {
    byte[] hash = sha256(presented);
    if (adminHash != null && MessageDigest.isEqual(hash, adminHash)) {
      return Principal.bootstrapAdmin();
    }
    String hex = HexFormat.of().formatHex(hash);
    ApiKeyRecord key = lookUp(hex);
    if (key == null || !MessageDigest.isEqual(HexFormat.of().parseHex(key.hash()), hash)) {
      throw new AuthenticationException("Unknown API key");
    }
    Instant now = clock.instant();
    if (key.revokedAt() != null) {
      throw new AuthenticationException("API key " + key.id() + " was revoked");
    }
    if (!key.isActiveAt(now)) {
      throw new AuthenticationException("API key " + key.id() + " expired at " + key.expiresAt());
    }
    KeyUsage use = new KeyUsage(key.id(), 1, now);
    pending.merge(key.id(), use, ApiKeys::sum);
    return new Principal(key.id(), key.projectId(), key.scopes());
  }

  /**
   * The key with this hash, from the cache unless an entry is from before the last revocation
   * another process made, or the revocations could not be watched lately.
   */
  private @Nullable ApiKeyRecord lookUp(String hex) {
    if (revocations != null && !revocations.trusted()) {
      byHash.invalidate(hex);
      return access.keyByHash(hex).orElse(null);
    }
    long generation = revocations == null ? 0 : revocations.generation();
    Cached cached = byHash.getIfPresent(hex);
    if (cached != null && cached.generation() >= generation) {
      return cached.key();
    }
    // the generation was read before the store, so a load racing a revocation counts as older
    Optional<ApiKeyRecord> key = access.keyByHash(hex);
    key.ifPresent(found -> byHash.put(hex, new Cached(found, generation)));
    return key.orElse(null);
  }

  /** A key looked up, and the revocation generation its look-up started in. */
  private record Cached(ApiKeyRecord key, long generation) {}

  /** A new key and, once, its secret. */
  record Created(String secret, ApiKeyRecord record) {}

  /** A key's or project's name: at most 200 characters, no control characters, well-formed. */
  private static void checkName(List<InvalidRequestException.Violation> problems, String field,
      String name) {
    if (name.length() > 200 || name.chars().anyMatch(Character::isISOControl)
        || !Validation.isWellFormedText(name)) {
      problems.add(new InvalidRequestException.Violation(field, "must be at most 200"
          + " characters without control characters or lone UTF-16 surrogates"));
    }
  }

  /**
   * Creates a key in {@code projectId} (the caller's own when null); an admin naming a project
   * that does not exist creates it.
   */
  Created generate(Principal caller, String projectId, String projectName, String name,
      Set<KeyScope> scopes, Instant expiresAt) {
    require(caller, KeyScope.KEYS);
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    Set<KeyScope> granted = scopes == null ? DEFAULT_SCOPES : scopes;
    List<InvalidRequestException.Violation> problems = new ArrayList<>();
    if (granted.isEmpty()) {
      problems.add(new InvalidRequestException.Violation("scopes", "must name at least one"
          + " scope"));
    }
    if (expiresAt != null && !expiresAt.isAfter(now)) {
      problems.add(new InvalidRequestException.Violation("expiresAt", "must be in the future"));
    }
    String keyName = name == null ? "" : name;
    checkName(problems, "name", keyName);
    if (projectName != null) {
      checkName(problems, "projectName", projectName);
    }
    String target = projectId != null ? projectId : caller.projectId();
    if (target == null && projectName == null) {
      problems.add(new InvalidRequestException.Violation("projectId", "is required with the"
          + " bootstrap admin key (or give projectName to create a project)"));
    }
    if (projectId != null && !Project.isValidId(projectId)) {
      problems.add(new InvalidRequestException.Violation("projectId", "must be " + Project.ID_RULE));
    }
    if (!problems.isEmpty()) {
      throw new InvalidRequestException(problems);
    }
    if (!caller.isAdmin()) {
      if (!target.equals(caller.projectId())) {
        throw new PermissionDeniedException("Only an admin key can create keys for another"
            + " project");
      }
      if (!caller.scopes().containsAll(granted)) {
        throw new PermissionDeniedException("A key can only grant scopes it holds: "
            + KeysJson.scopes(caller.scopes()));
      }
    }
    if (target == null) {
      target = RandomIds.projectId(random);
    }
    if (access.project(target).isEmpty()) {
      if (!caller.isAdmin()) {
        throw new NotFoundException("No project " + target);
      }
      access.createProject(new Project(target, projectName == null ? target : projectName, now));
      LOG.info("Created project {}", target);
    }
    String secret = prefix + randomBase62(KEY_CHARS);
    String id = "key_" + randomBase62(16);
    String hint = secret.substring(0, Math.min(16, prefix.length() + HINT_CHARS));
    ApiKeyRecord record = ApiKeyRecord.create(id, target, keyName,
        HexFormat.of().formatHex(sha256(secret)), hint, granted, now, expiresAt);
    access.createKey(record);
    LOG.info("Created API key {} in project {} with scopes {}", id, target, granted);
    return new Created(secret, record);
  }

  /** The name of project {@code projectId}; {@code null} for no project or an unknown one. */
  @Nullable String projectName(@Nullable String projectId) {
    return projectId == null ? null : access.project(projectId).map(Project::name).orElse(null);
  }

  /** The keys of a project (the caller's own when null), revoked ones included. */
  List<ApiKeyRecord> list(Principal caller, String projectId) {
    require(caller, KeyScope.KEYS);
    String target = caller.project(projectId, "list another project's keys");
    flush();
    return access.keys(target);
  }

  /**
   * Revokes a key: the caller's own key always, another key of its project with the keys scope,
   * any key with the admin scope. A key of another project is reported as not found.
   */
  ApiKeyRecord revoke(Principal caller, String keyId) {
    Optional<ApiKeyRecord> found = Project.isValidId(keyId) ? access.key(keyId) : Optional.empty();
    if (found.isEmpty()
        || (!caller.isAdmin() && !found.get().projectId().equals(caller.projectId()))) {
      throw new NotFoundException("No API key " + keyId);
    }
    if (!keyId.equals(caller.keyId())) {
      require(caller, KeyScope.KEYS);
    }
    ApiKeyRecord revoked = access.revokeKey(keyId, clock.instant())
        .orElseThrow(() -> new NotFoundException("No API key " + keyId));
    byHash.invalidate(revoked.hash());
    LOG.info("Revoked API key {}", keyId);
    return revoked;
  }

  /** Writes the pending usage counts to the store. */
  void flush() {
    List<KeyUsage> batch = new ArrayList<>();
    for (String id : List.copyOf(pending.keySet())) {
      KeyUsage usage = pending.remove(id);
      if (usage != null) {
        batch.add(usage);
      }
    }
    if (batch.isEmpty()) {
      return;
    }
    try {
      access.recordUsage(batch);
    } catch (RuntimeException e) {
      batch.forEach(usage -> pending.merge(usage.keyId(), usage, ApiKeys::sum));
      throw e;
    }
  }

  private void flushQuietly() {
    try {
      flush();
    } catch (RuntimeException e) {
      LOG.warn("Writing API key usage failed; will retry: {}", e.toString());
    }
  }

  /**
   * Stops the timer, letting a write in progress finish (interrupting it could break a store's
   * file channel), and writes the last usage counts.
   */
  @Override
  public void close() {
    if (revocations != null) {
      revocations.close();
    }
    flusher.shutdown();
    try {
      flusher.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    flush();
  }

  private static void require(Principal caller, KeyScope scope) {
    if (!caller.has(scope)) {
      throw new PermissionDeniedException("This API key lacks the '"
          + scope.name().toLowerCase(Locale.ROOT) + "' scope");
    }
  }

  private static KeyUsage sum(KeyUsage a, KeyUsage b) {
    return new KeyUsage(a.keyId(), a.uses() + b.uses(),
        a.lastUsedAt().isAfter(b.lastUsedAt()) ? a.lastUsedAt() : b.lastUsedAt());
  }

  private String randomBase62(int length) {
    return RandomIds.base62(random, length);
  }

  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
