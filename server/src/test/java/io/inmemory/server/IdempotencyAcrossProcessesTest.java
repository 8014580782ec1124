package io.inmemory.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inmemory.engine.tenant.IdempotencyTable;
import io.inmemory.wire.ProblemType;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two {@link Idempotency} instances on one {@link IdempotencyTable}, as two server processes:
 * the second waits for the first's running request (renewed past its lease), replays its answer,
 * runs afresh after its failure, and refuses what it cannot replay.
 */
class IdempotencyAcrossProcessesTest {
  private static final Duration LEASE = Duration.ofMillis(600);
  private static final byte[] BODY = "{\"memory_content\":\"x\"}".getBytes(StandardCharsets.UTF_8);

  private final IdempotencyTable store = new IdempotencyTable();
  private final Idempotency a = new Idempotency(store, "process-a", Duration.ofHours(1), LEASE,
      64 << 20, Clock.systemUTC());
  private final Idempotency b = new Idempotency(store, "process-b", Duration.ofHours(1), LEASE,
      64 << 20, Clock.systemUTC());
  private final AtomicInteger runs = new AtomicInteger();

  @AfterEach
  void close() {
    a.close();
    b.close();
  }

  private Reply add(Idempotency through, byte[] body, int status) {
    return through.run("p1", "k1", "POST", "/v1/memories", body,
        () -> Reply.json(status, Map.of("run", runs.incrementAndGet())));
  }

  @Test
  void aRetryOnAnotherProcessWaitsForARequestRunningPastItsLeaseAndReplaysIt() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CompletableFuture<Reply> slow = CompletableFuture.supplyAsync(() -> a.run("p1", "k1", "POST",
        "/v1/memories", BODY, () -> {
          started.countDown();
          sleep(LEASE.multipliedBy(4));
          return Reply.json(201, Map.of("run", runs.incrementAndGet()));
        }));
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

    Reply retry = add(b, BODY, 201);

    assertThat(slow.get(10, TimeUnit.SECONDS).body()).isEqualTo(retry.body());
    assertThat(retry.headers()).containsEntry(Idempotency.REPLAYED_HEADER, "true");
    assertThat(runs).hasValue(1);
  }

  @Test
  void aFailedRequestLeavesNothingAndTheRetryOnAnotherProcessRuns() {
    assertThat(add(a, BODY, 500).status()).isEqualTo(500);
    Reply retry = add(b, BODY, 201);

    assertThat(retry.status()).isEqualTo(201);
    assertThat(retry.headers()).doesNotContainKey(Idempotency.REPLAYED_HEADER);
    assertThat(add(a, BODY, 201).headers()).containsEntry(Idempotency.REPLAYED_HEADER, "true");
    assertThat(runs).hasValue(2);
  }

  @Test
  void anotherRequestWithTheKeyOnAnotherProcessIsRefused() {
    add(a, BODY, 201);

    assertThatThrownBy(() -> add(b, "{}".getBytes(StandardCharsets.UTF_8), 201))
        .isInstanceOfSatisfying(ProblemException.class,
            problem -> assertThat(problem.type()).isEqualTo(ProblemType.IDEMPOTENCY_KEY_REUSED));
  }

  @Test
  void anAnswerTooLargeToKeepIsReplayedByItsProcessOnlyAndRefusedElsewhere() {
    // over the 15 MiB a record holds, as random bytes do not shrink when gzipped
    byte[] large = new byte[16 << 20];
    new java.util.Random(7).nextBytes(large);
    a.run("p1", "big", "POST", "/v1/memories", BODY,
        () -> new Reply(201, "application/octet-stream", large, Map.of()));

    assertThat(a.run("p1", "big", "POST", "/v1/memories", BODY, () -> {
      throw new AssertionError("replayed, not run");
    }).body()).isEqualTo(large);
    assertThatThrownBy(() -> b.run("p1", "big", "POST", "/v1/memories", BODY, () -> {
      throw new AssertionError("refused, not run");
    })).isInstanceOfSatisfying(ProblemException.class,
        problem -> assertThat(problem.type()).isEqualTo(ProblemType.CONFLICT));
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
