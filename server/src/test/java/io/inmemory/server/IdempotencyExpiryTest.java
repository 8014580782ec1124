package io.inmemory.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import io.inmemory.engine.tenant.IdempotencyTable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How long {@link Idempotency} keeps answers, on a clock the test moves. */
class IdempotencyExpiryTest {
  private final AtomicLong nanos = new AtomicLong();
  private final Clock clock = new Clock() {
    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Instant instant() {
      return Instant.EPOCH.plusNanos(nanos.get());
    }
  };
  private final Idempotency idempotency = new Idempotency(new IdempotencyTable(), "test-owner",
      Duration.ofHours(24), Duration.ofSeconds(30), 1 << 20, clock);
  private final AtomicInteger runs = new AtomicInteger();

  @AfterEach
  void close() {
    idempotency.close();
  }

  private Reply add(String key) {
    return idempotency.run("p1", key, "POST", "/v1/memories",
        "{}".getBytes(StandardCharsets.UTF_8), () -> Reply.json(201,
            Map.of("run", runs.incrementAndGet())));
  }

  @Test
  void anAnswerIsReplayedWithinItsTtlOnly() {
    add("k");
    nanos.addAndGet(Duration.ofHours(23).toNanos());
    Reply replayed = add("k");
    nanos.addAndGet(Duration.ofHours(2).toNanos());
    Reply afresh = add("k");

    assertThat(replayed.headers()).containsEntry(Idempotency.REPLAYED_HEADER, "true");
    assertThat(afresh.headers()).doesNotContainKey(Idempotency.REPLAYED_HEADER);
    assertThat(runs).hasValue(2);
  }
}
