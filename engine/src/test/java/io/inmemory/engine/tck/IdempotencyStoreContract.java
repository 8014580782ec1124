package io.inmemory.engine.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inmemory.engine.tenant.IdempotencyId;
import io.inmemory.engine.tenant.IdempotencyRecord;
import io.inmemory.engine.tenant.IdempotencyRecord.State;
import io.inmemory.engine.tenant.IdempotencyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link IdempotencyStore} must meet. A store's test extends this class and
 * opens a fresh, empty store in {@link #openStore()}; {@link #closeStore()} closes what it opened.
 * Time is passed in, never read from a clock, so lapses and expiry need no sleeping.
 */
public abstract class IdempotencyStoreContract {
  private static final Instant T0 = Instant.parse("2024-05-01T10:15:30.123Z");
  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final Duration TTL = Duration.ofHours(24);

  protected IdempotencyStore store;
  private final Random random = new Random(42);

  /** A new, empty store. */
  protected abstract IdempotencyStore openStore();

  /** Closes what {@link #openStore()} opened. */
  protected abstract void closeStore();

  @BeforeEach
  void open() {
    store = openStore();
  }

  @AfterEach
  void close() {
    closeStore();
  }

  private byte[] fingerprint() {
    byte[] bytes = new byte[IdempotencyRecord.FINGERPRINT_BYTES];
    random.nextBytes(bytes);
    return bytes;
  }

  private IdempotencyRecord claimOf(IdempotencyId id, String owner, Instant now) {
    return IdempotencyRecord.pending(id, fingerprint(), owner, now, now.plus(LEASE),
        now.plus(TTL));
  }

  private static IdempotencyId id(String key) {
    return new IdempotencyId("project-1", key);
  }

  /** {@code owner} can neither complete, renew nor release {@code held}, which stays as it is. */
  private void assertNotHeldBy(String owner, IdempotencyRecord held, Instant now) {
    IdempotencyId id = held.id();
    assertThat(store.complete(id, owner, new byte[] {1}, now.plus(TTL))).isFalse();
    assertThat(store.renew(id, owner, now.plus(Duration.ofHours(1)))).isFalse();
    store.release(id, owner);
    assertThat(store.find(id, now)).contains(held);
  }

  @Test
  void theFirstClaimWinsAndLaterClaimsSeeIt() {
    IdempotencyId id = id("order-17");
    IdempotencyRecord first = claimOf(id, "ownerA", T0);

    assertThat(store.claim(first, T0)).isEmpty();
    assertThat(store.claim(claimOf(id, "ownerB", T0.plusMillis(5)), T0.plusMillis(5)))
        .contains(first);
    assertThat(store.find(id, T0.plusMillis(5))).contains(first);
    assertThat(store.find(id("order-18"), T0)).isEmpty();
  }

  @Test
  void aCompletedClaimKeepsItsAnswerByteForByte() {
    IdempotencyId id = id("with:colon and spaces ~!");
    IdempotencyRecord claim = claimOf(id, "ownerA", T0);
    byte[] answer = new byte[1 << 20];
    random.nextBytes(answer);
    store.claim(claim, T0);

    Instant expiresAt = T0.plus(Duration.ofHours(2));
    assertThat(store.complete(id, "ownerA", answer, expiresAt)).isTrue();

    IdempotencyRecord done = claim.done(answer, expiresAt);
    assertThat(store.find(id, T0.plusSeconds(60))).contains(done);
    assertThat(store.claim(claimOf(id, "ownerB", T0.plusSeconds(60)), T0.plusSeconds(60)))
        .contains(done);
    assertThat(store.complete(id, "ownerA", new byte[1], expiresAt))
        .as("a DONE record is not completed again").isFalse();
  }

  @Test
  void anAnswerNotKeptIsDoneWithoutOne() {
    IdempotencyId id = id("big");
    IdempotencyRecord claim = claimOf(id, "ownerA", T0);
    store.claim(claim, T0);

    assertThat(store.complete(id, "ownerA", null, T0.plus(TTL))).isTrue();

    IdempotencyRecord found = store.find(id, T0.plusSeconds(1)).orElseThrow();
    assertThat(found.state()).isEqualTo(State.DONE);
    assertThat(found.answer()).isNull();
  }

  @Test
  void anAnswerOverTheLimitIsRefusedAndTheClaimStays() {
    IdempotencyId id = id("too-big");
    IdempotencyRecord claim = claimOf(id, "ownerA", T0);
    store.claim(claim, T0);

    assertThatThrownBy(() -> store.complete(id, "ownerA",
        new byte[IdempotencyRecord.MAX_ANSWER_BYTES + 1], T0.plus(TTL)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(String.valueOf(IdempotencyRecord.MAX_ANSWER_BYTES));
    assertThat(store.find(id, T0)).contains(claim);
  }

  @Test
  void onlyTheOwnerCompletesRenewsOrReleasesItsClaim() {
    IdempotencyId id = id("k");
    IdempotencyRecord claim = claimOf(id, "ownerA", T0);
    store.claim(claim, T0);

    assertNotHeldBy("ownerB", claim, T0);

    assertThat(store.complete(id("unknown"), "ownerA", null, T0.plus(TTL))).isFalse();
    assertThat(store.renew(id("unknown"), "ownerA", T0.plus(LEASE))).isFalse();
    store.release(id("unknown"), "ownerA");
    assertThat(store.find(id("unknown"), T0)).isEmpty();
  }

  @Test
  void aReleasedClaimLeavesNothingAndTheNextClaimRunsAfresh() {
    IdempotencyId id = id("k");
    store.claim(claimOf(id, "ownerA", T0), T0);

    store.release(id, "ownerA");

    assertThat(store.find(id, T0)).isEmpty();
    assertThat(store.claim(claimOf(id, "ownerB", T0.plusMillis(1)), T0.plusMillis(1))).isEmpty();
    assertThat(store.find(id, T0.plusMillis(1)).orElseThrow().owner()).isEqualTo("ownerB");
  }

  @Test
  void aClaimWhoseLeaseLapsedIsTakenOverAndItsOwnerLosesIt() {
    IdempotencyId id = id("k");
    store.claim(claimOf(id, "ownerA", T0), T0);
    Instant afterLease = T0.plus(LEASE).plusMillis(1);

    assertThat(store.find(id, afterLease)).as("a lapsed claim counts as absent").isEmpty();
    IdempotencyRecord takeover = claimOf(id, "ownerB", afterLease);
    assertThat(store.claim(takeover, afterLease)).isEmpty();

    assertNotHeldBy("ownerA", takeover, afterLease);
  }

  @Test
  void aRenewedLeaseKeepsTheClaimPastItsFirstLease() {
    IdempotencyId id = id("k");
    IdempotencyRecord claim = claimOf(id, "ownerA", T0);
    store.claim(claim, T0);
    Instant renewedUntil = T0.plus(LEASE).plus(LEASE);

    assertThat(store.renew(id, "ownerA", renewedUntil)).isTrue();

    Instant afterFirstLease = T0.plus(LEASE).plusSeconds(1);
    assertThat(store.claim(claimOf(id, "ownerB", afterFirstLease), afterFirstLease))
        .contains(claim.renewed(renewedUntil));
    assertThat(store.complete(id, "ownerA", new byte[] {7}, T0.plus(TTL))).isTrue();
  }

  @Test
  void anExpiredAnswerCountsAsAbsentAndIsReplacedByTheNextClaim() {
    IdempotencyId id = id("k");
    store.claim(claimOf(id, "ownerA", T0), T0);
    Instant expiresAt = T0.plusSeconds(60);
    store.complete(id, "ownerA", new byte[] {1, 2}, expiresAt);

    assertThat(store.find(id, expiresAt)).as("live up to its expiry").isPresent();
    Instant later = expiresAt.plusMillis(1);
    assertThat(store.find(id, later)).isEmpty();
    IdempotencyRecord next = claimOf(id, "ownerB", later);
    assertThat(store.claim(next, later)).isEmpty();
    assertThat(store.find(id, later)).contains(next);
  }

  @Test
  void scopesAreSeparate() {
    IdempotencyId project = new IdempotencyId("project-1", "k");
    IdempotencyId admin = new IdempotencyId(IdempotencyId.ADMIN_SCOPE, "k");
    IdempotencyId other = new IdempotencyId("project-2", "k");

    assertThat(store.claim(claimOf(project, "ownerA", T0), T0)).isEmpty();
    assertThat(store.claim(claimOf(admin, "ownerA", T0), T0)).isEmpty();
    assertThat(store.claim(claimOf(other, "ownerA", T0), T0)).isEmpty();
    store.release(admin, "ownerA");
    assertThat(store.find(project, T0)).isPresent();
    assertThat(store.find(other, T0)).isPresent();
  }

  @Test
  void purgingDeletesExpiredRecordsOnlyUpToTheLimit() {
    Instant now = T0.plus(Duration.ofDays(2));
    for (int i = 0; i < 3; i++) {
      IdempotencyId id = id("old-" + i);
      store.claim(claimOf(id, "ownerA", T0), T0);
      store.complete(id, "ownerA", new byte[] {(byte) i}, T0.plusSeconds(i + 1));
    }
    IdempotencyRecord live = claimOf(id("live"), "ownerA", now);
    store.claim(live, now);
    IdempotencyId lapsed = id("lapsed-but-not-expired");
    store.claim(IdempotencyRecord.pending(lapsed, fingerprint(), "ownerA", now.minusSeconds(60),
        now.minusSeconds(30), now.plus(TTL)), now.minusSeconds(60));

    assertThat(store.purgeExpired(now, 2)).isEqualTo(2);
    assertThat(store.purgeExpired(now, 10)).isEqualTo(1);
    assertThat(store.purgeExpired(now, 10)).isZero();
    assertThat(store.find(id("live"), now)).contains(live);
    assertThat(store.claim(claimOf(lapsed, "ownerB", now), now))
        .as("a lapsed claim is not purged, but taken over").isEmpty();
    assertThatThrownBy(() -> store.purgeExpired(now, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void onlyPendingRecordsClaim() {
    IdempotencyRecord done = claimOf(id("k"), "ownerA", T0).done(null, T0.plus(TTL));

    assertThatThrownBy(() -> store.claim(done, T0)).isInstanceOf(IllegalArgumentException.class);
    assertThat(store.find(id("k"), T0)).isEmpty();
  }

  @Test
  void concurrentClaimsOfOneIdHaveExactlyOneWinnerThatEveryoneElseSees() throws Exception {
    raceClaims(T0, id -> { });
  }

  /** The case of a process that died while running the request: its successors race for it. */
  @Test
  void concurrentTakeoversOfALapsedClaimHaveExactlyOneWinner() throws Exception {
    Instant afterLease = T0.plus(LEASE).plusSeconds(1);
    raceClaims(afterLease, id -> store.claim(claimOf(id, "dead", T0), T0));
  }

  private void raceClaims(Instant now, Consumer<IdempotencyId> before) throws Exception {
    int claimers = 6;
    ExecutorService pool = Executors.newFixedThreadPool(claimers);
    try {
      for (int round = 0; round < 20; round++) {
        IdempotencyId id = id("race-" + round);
        before.accept(id);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Optional<IdempotencyRecord>>> results = new ArrayList<>();
        for (int i = 0; i < claimers; i++) {
          IdempotencyRecord claim = claimOf(id, "owner" + i, now);
          results.add(pool.submit(() -> {
            start.await();
            return store.claim(claim, now);
          }));
        }
        start.countDown();
        List<String> winners = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < claimers; i++) {
          Optional<IdempotencyRecord> result = results.get(i).get(30, TimeUnit.SECONDS);
          if (result.isEmpty()) {
            winners.add("owner" + i);
          } else {
            seen.add(result.get().owner());
          }
        }
        assertThat(winners).as("round %d", round).hasSize(1);
        assertThat(seen).as("round %d", round).hasSize(claimers - 1).containsOnly(winners.get(0));
        assertThat(store.find(id, now).orElseThrow().owner()).isEqualTo(winners.get(0));
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
