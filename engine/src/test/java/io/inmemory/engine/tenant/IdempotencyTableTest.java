package io.inmemory.engine.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.engine.tck.IdempotencyStoreContract;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The idempotency contract for the heap table used by single-process stores, and its bound. */
class IdempotencyTableTest extends IdempotencyStoreContract {
  private static final Instant T0 = Instant.parse("2024-05-01T10:15:30Z");

  @Override
  protected IdempotencyStore openStore() {
    return new IdempotencyTable();
  }

  @Override
  protected void closeStore() {}

  private static void answer(IdempotencyTable table, String key, int bytes, Instant expiresAt) {
    IdempotencyId id = new IdempotencyId("p1", key);
    table.claim(IdempotencyRecord.pending(id, new byte[32], "owner1", T0, T0.plusSeconds(30),
        expiresAt), T0);
    table.complete(id, "owner1", new byte[bytes], expiresAt);
  }

  private static boolean holds(IdempotencyTable table, String key) {
    return table.find(new IdempotencyId("p1", key), T0).isPresent();
  }

  @Test
  void answersOverTheBoundDropTheRecordsExpiringFirst() {
    IdempotencyTable table = new IdempotencyTable(1000);
    answer(table, "expires-2nd", 400, T0.plusSeconds(200));
    answer(table, "expires-1st", 400, T0.plusSeconds(100));
    answer(table, "small", 0, T0.plusSeconds(50));
    assertThat(holds(table, "expires-1st")).isTrue();

    answer(table, "expires-3rd", 400, T0.plusSeconds(300));

    assertThat(holds(table, "expires-1st")).isFalse();
    assertThat(holds(table, "expires-2nd")).isTrue();
    assertThat(holds(table, "expires-3rd")).isTrue();
    assertThat(holds(table, "small")).as("holds no answer bytes").isTrue();

    answer(table, "expires-4th", 200, T0.plusSeconds(400));
    assertThat(holds(table, "expires-2nd")).as("800 + 200 fit").isTrue();
  }

  @Test
  void purgedAnswersNoLongerCount() {
    IdempotencyTable table = new IdempotencyTable(1000);
    answer(table, "old", 900, T0.plusSeconds(1));
    assertThat(table.purgeExpired(T0.plusSeconds(2), 10)).isEqualTo(1);

    answer(table, "new", 900, T0.plusSeconds(100));

    assertThat(holds(table, "new")).isTrue();
  }
}
