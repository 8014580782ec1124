package io.inmemory.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inmemory.AuthenticationException;
import io.inmemory.StorageException;
import io.inmemory.engine.tenant.AccessStore;
import io.inmemory.engine.tenant.AccessTable;
import io.inmemory.engine.tenant.ApiKeyRecord;
import io.inmemory.engine.tenant.KeyUsage;
import io.inmemory.engine.tenant.Project;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two {@link ApiKeys} on one shared access store, as two server processes: a revocation through
 * one reaches the other's cache by the access version it polls, also when a look-up on the other
 * raced the revocation, and the other stops trusting its cache when the version cannot be read.
 * The key cache lives an hour, so only the poll can bring the revocation.
 */
class KeyRevocationsTest {
  private static final Duration POLL = Duration.ofMillis(10);
  private static final Duration TTL = Duration.ofHours(1);
  private static final long DEADLINE_MS = 5_000;

  private final SharedAccess store = new SharedAccess();
  private final ApiKeys a = keys();
  private final ApiKeys b = keys();

  private ApiKeys keys() {
    return new ApiKeys(store, "im_", TestServer.ADMIN, Clock.systemUTC(), TTL, Duration.ofHours(1),
        POLL);
  }

  @AfterEach
  void close() {
    a.close();
    b.close();
  }

  private CreatedKey newKey() {
    return a.generate(Principal.bootstrapAdmin(), "p1", null, "k", null, null);
  }

  /** Whether {@code keys} refuses {@code secret} within the deadline. */
  private static boolean refusedInTime(ApiKeys keys, String secret) throws InterruptedException {
    long deadline = System.currentTimeMillis() + DEADLINE_MS;
    while (System.currentTimeMillis() < deadline) {
      try {
        keys.authenticate(secret);
      } catch (AuthenticationException e) {
        return true;
      }
      Thread.sleep(5);
    }
    return false;
  }

  @Test
  void aRevocationThroughOneProcessReachesTheOthersCache() throws Exception {
    CreatedKey key = newKey();
    CreatedKey bystander = newKey();
    b.authenticate(key.secret());
    b.authenticate(bystander.secret());

    a.revoke(Principal.bootstrapAdmin(), key.record().id());

    assertThatThrownBy(() -> a.authenticate(key.secret()))
        .isInstanceOf(AuthenticationException.class);
    assertThat(refusedInTime(b, key.secret())).isTrue();
    assertThat(b.authenticate(bystander.secret()).keyId()).isEqualTo(bystander.record().id());
  }

  @Test
  void aLookUpRacingTheRevocationDoesNotPutTheRevokedKeyBack() throws Exception {
    CreatedKey key = newKey();
    store.pauseNextLookUp();
    // B reads the key before the revocation, and caches it after B's poll dropped the cache
    CompletableFuture<Principal> racing = CompletableFuture.supplyAsync(
        () -> b.authenticate(key.secret()));
    assertThat(store.lookUpRead.await(5, TimeUnit.SECONDS)).isTrue();
    a.revoke(Principal.bootstrapAdmin(), key.record().id());
    int polls = store.versionReads.get();
    long until = System.currentTimeMillis() + DEADLINE_MS;
    while (store.versionReads.get() < polls + 2 && System.currentTimeMillis() < until) {
      Thread.sleep(5);
    }
    store.resumeLookUp.countDown();
    racing.get(5, TimeUnit.SECONDS);

    assertThatThrownBy(() -> b.authenticate(key.secret()))
        .isInstanceOf(AuthenticationException.class);
  }

  @Test
  void cachedKeysAreNotTrustedOnceTheVersionCannotBeReadForTheBound() throws Exception {
    CreatedKey key = newKey();
    b.authenticate(key.secret());
    store.versionFails = true;
    // a revocation whose signal is lost: only reading the key again can see it
    store.revokeSilently(key.record().id());

    assertThat(refusedInTime(b, key.secret())).isTrue();
    assertThat(KeyRevocations.bound(POLL)).isEqualTo(Duration.ofSeconds(1));
    assertThat(KeyRevocations.bound(Duration.ofMillis(400))).isEqualTo(Duration.ofMillis(1600));
  }

  /**
   * One process's view of a shared access store: an {@link AccessTable} with an access version
   * bumped by each revocation that revoked a key; look-ups can be paused after they read, and
   * reading the version can be made to fail.
   */
  private static final class SharedAccess implements AccessStore {
    private final AccessTable table = new AccessTable(AccessTable.NO_JOURNAL);
    private final AtomicLong version = new AtomicLong();
    final AtomicInteger versionReads = new AtomicInteger();
    final CountDownLatch lookUpRead = new CountDownLatch(1);
    final CountDownLatch resumeLookUp = new CountDownLatch(1);
    private volatile boolean pauseNext;
    volatile boolean versionFails;

    void pauseNextLookUp() {
      pauseNext = true;
    }

    void revokeSilently(String id) {
      table.revokeKey(id, Instant.now());
    }

    @Override
    public void createProject(Project project) {
      table.createProject(project);
    }

    @Override
    public Optional<Project> project(String id) {
      return table.project(id);
    }

    @Override
    public List<Project> projects() {
      return table.projects();
    }

    @Override
    public void createKey(ApiKeyRecord key) {
      table.createKey(key);
    }

    @Override
    public Optional<ApiKeyRecord> keyByHash(String hash) {
      Optional<ApiKeyRecord> found = table.keyByHash(hash);
      if (pauseNext) {
        pauseNext = false;
        lookUpRead.countDown();
        try {
          resumeLookUp.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return found;
    }

    @Override
    public Optional<ApiKeyRecord> key(String id) {
      return table.key(id);
    }

    @Override
    public List<ApiKeyRecord> keys(String projectId) {
      return table.keys(projectId);
    }

    @Override
    public Optional<ApiKeyRecord> revokeKey(String id, Instant at) {
      boolean active = table.key(id).map(key -> key.revokedAt() == null).orElse(false);
      Optional<ApiKeyRecord> revoked = table.revokeKey(id, at);
      if (active) {
        version.incrementAndGet();
      }
      return revoked;
    }

    @Override
    public void recordUsage(List<KeyUsage> usages) {
      table.recordUsage(usages);
    }

    @Override
    public OptionalLong accessVersion() {
      versionReads.incrementAndGet();
      if (versionFails) {
        throw new StorageException("the store is unreachable");
      }
      return OptionalLong.of(version.get());
    }
  }
}
