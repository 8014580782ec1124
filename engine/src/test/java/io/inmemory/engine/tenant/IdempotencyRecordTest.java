package io.inmemory.engine.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class IdempotencyRecordTest {
  private static final Instant T0 = Instant.parse("2024-05-01T10:15:30.123456Z");
  private static final IdempotencyId ID = new IdempotencyId("p1", "k");

  private static IdempotencyRecord pending(byte[] fingerprint) {
    return IdempotencyRecord.pending(ID, fingerprint, "owner1", T0, T0.plusSeconds(30),
        T0.plusSeconds(60));
  }

  @Test
  void idsTakeAProjectOrTheAdminScopeAndPrintableAsciiKeys() {
    assertThat(new IdempotencyId(IdempotencyId.ADMIN_SCOPE, " ~:x").key()).isEqualTo(" ~:x");
    assertThat(new IdempotencyId("p", "k".repeat(255)).scope()).isEqualTo("p");
    assertThatThrownBy(() -> new IdempotencyId("~other", "k"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scope");
    assertThatThrownBy(() -> new IdempotencyId("a:b", "k"))
        .isInstanceOf(IllegalArgumentException.class);
    for (String key : new String[] {"", "k".repeat(256), "tab\there", "caf\u00e9"}) {
      assertThatThrownBy(() -> new IdempotencyId("p", key))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("printable ASCII");
    }
  }

  @Test
  void recordsValidateAndKeepMilliseconds() {
    IdempotencyRecord record = pending(new byte[32]);

    assertThat(record.createdAt()).isEqualTo(Instant.parse("2024-05-01T10:15:30.123Z"));
    assertThatThrownBy(() -> pending(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes");
    assertThatThrownBy(() -> new IdempotencyRecord(ID, new byte[32],
        IdempotencyRecord.State.PENDING, "owner1", T0, T0, T0, new byte[1]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PENDING");
    assertThatThrownBy(() -> IdempotencyRecord.pending(ID, new byte[32], "bad owner", T0, T0, T0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("owner");
    assertThatThrownBy(() -> record.done(new byte[IdempotencyRecord.MAX_ANSWER_BYTES + 1], T0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void bytesAreCopiedAndCompareByContent() {
    byte[] fingerprint = new byte[32];
    IdempotencyRecord record = pending(fingerprint);
    fingerprint[0] = 1;
    record.fingerprint()[1] = 1;

    assertThat(record.fingerprint()).isEqualTo(new byte[32]);
    assertThat(record).isEqualTo(pending(new byte[32])).hasSameHashCodeAs(pending(new byte[32]));
    assertThat(record.done(new byte[] {1}, T0)).isEqualTo(record.done(new byte[] {1}, T0))
        .isNotEqualTo(record.done(new byte[] {2}, T0));
  }

  @Test
  void aRecordIsLiveUntilItExpiresAndAClaimUntilItsLeaseLapses() {
    IdempotencyRecord claim = pending(new byte[32]);

    assertThat(claim.isLiveAt(claim.leaseUntil())).isTrue();
    assertThat(claim.isLiveAt(claim.leaseUntil().plusMillis(1))).isFalse();
    IdempotencyRecord done = claim.done(null, claim.expiresAt());
    assertThat(done.isLiveAt(claim.leaseUntil().plusMillis(1))).isTrue();
    assertThat(done.isLiveAt(done.expiresAt().plusMillis(1))).isFalse();
  }
}
