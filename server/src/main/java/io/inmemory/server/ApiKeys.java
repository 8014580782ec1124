package io.inmemory.server;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.inmemory.AuthenticationException;
import io.inmemory.engine.tenant.AccessStore;
import io.inmemory.engine.tenant.ApiKeyRecord;
import io.inmemory.engine.tenant.KeyScope;
import io.inmemory.engine.tenant.KeyUsage;
import io.inmemory.engine.tenant.Project;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
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

  private final AccessStore access;
  private final byte[] adminHash;
  private final Clock clock;
  private final KeyMaker maker;
  private final Cache<String, Cached> byHash;
  /** Null when the store is used by this process only. */
  private final KeyRevocations revocations;
  private final Map<String, KeyUsage> pending = new ConcurrentHashMap<>();
  private final ScheduledExecutorService flusher;

  ApiKeys(AccessStore access, String prefix, String adminKey, Clock clock, Duration cacheTtl,
      Duration flushInterval, Duration revocationPoll) {
    this.access = access;
    this.adminHash = adminKey == null ? null : KeyMaker.sha256(adminKey);
    this.clock = clock;
    this.maker = new KeyMaker(access, prefix, clock);
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
    byte[] hash = KeyMaker.sha256(presented);
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

  /**
   * Creates a key in {@code projectId} (the caller's own when null); an admin naming a project
   * that does not exist creates it.
   */
  CreatedKey generate(Principal caller, @Nullable String projectId, @Nullable String projectName,
      @Nullable String name, @Nullable Set<KeyScope> scopes, @Nullable Instant expiresAt) {
    KeyMaker.require(caller, KeyScope.KEYS);
    return maker.generate(caller, projectId, projectName, name, scopes, expiresAt);
  }

  /** The name of project {@code projectId}; {@code null} for no project or an unknown one. */
  @Nullable String projectName(@Nullable String projectId) {
    return projectId == null ? null : access.project(projectId).map(Project::name).orElse(null);
  }

  /** The keys of a project (the caller's own when null), revoked ones included. */
  List<ApiKeyRecord> list(Principal caller, @Nullable String projectId) {
    KeyMaker.require(caller, KeyScope.KEYS);
    flush();
    return maker.list(caller, projectId);
  }

  /**
   * Revokes a key: the caller's own key always, another key of its project with the keys scope,
   * any key with the admin scope. A key of another project is reported as not found.
   */
  ApiKeyRecord revoke(Principal caller, String keyId) {
    ApiKeyRecord revoked = maker.revoke(caller, keyId);
    byHash.invalidate(revoked.hash());
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

  private static KeyUsage sum(KeyUsage a, KeyUsage b) {
    return new KeyUsage(a.keyId(), a.uses() + b.uses(),
        a.lastUsedAt().isAfter(b.lastUsedAt()) ? a.lastUsedAt() : b.lastUsedAt());
  }
}
