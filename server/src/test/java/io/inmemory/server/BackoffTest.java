package io.inmemory.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static Backoff fixed(double jitter) {
    return new Backoff(Duration.ofSeconds(30), Duration.ofHours(4), 15, () -> jitter);
  }

  @Test
  void doublesFromTheBaseUpToTheMaxScaledByJitterBetweenHalfAndWhole() {
    Backoff low = fixed(0);
    Backoff high = fixed(0.999_999);
    assertThat(low.delay(1, null)).isEqualTo(Duration.ofSeconds(15));
    assertThat(high.delay(1, null)).isEqualTo(Duration.ofSeconds(30));
    assertThat(low.delay(2, null)).isEqualTo(Duration.ofSeconds(30));
    assertThat(high.delay(5, null)).isEqualTo(Duration.ofSeconds(480));
    assertThat(high.delay(10, null)).isBetween(Duration.ofHours(4).minusSeconds(1),
        Duration.ofHours(4));
    assertThat(low.delay(1000, null)).isEqualTo(Duration.ofHours(2));
  }

  @Test
  void theDefaultsSpreadFifteenAttemptsOverAboutADay() {
    Backoff middle = fixed(0.5);
    Duration total = Duration.ZERO;
    for (int attempt = 1; attempt < 15; attempt++) {
      total = total.plus(middle.delay(attempt, null));
    }
    // 24.3 h before jitter, which takes a quarter off on average
    assertThat(total).isBetween(Duration.ofHours(18), Duration.ofHours(25));
    assertThat(middle.exhausted(14)).isFalse();
    assertThat(middle.exhausted(15)).isTrue();
  }

  @Test
  void retryAfterIsAFloorWithinTheMax() {
    Backoff low = fixed(0);
    assertThat(low.delay(1, Duration.ofMinutes(5))).isEqualTo(Duration.ofMinutes(5));
    assertThat(low.delay(1, Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(15));
    assertThat(low.delay(1, Duration.ofDays(30))).isEqualTo(Duration.ofHours(4));
  }

  @Test
  void uniformJitterStaysInItsBounds() {
    Backoff uniform = new Backoff(Duration.ofMillis(1000), Duration.ofSeconds(10), 3);
    for (int i = 0; i < 200; i++) {
      assertThat(uniform.delay(2, null)).isBetween(Duration.ofMillis(1000),
          Duration.ofMillis(2000));
    }
  }

  @Test
  void refusesNonsense() {
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> fixed(0).delay(0, null)).isInstanceOf(IllegalArgumentException.class);
  }
}
