package io.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.inmemory.InvalidRequestException.Violation;
import java.time.Instant;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * Every instant of a request that is kept, or compared with kept ones, must have epoch
 * milliseconds that fit a long, as records keep them: the years the probe sent (-999999999 and
 * +1000000000) are refused on the field, the extremes kept exactly.
 */
class InstantRangeTest {
  private static final Instant EARLY = Instant.parse("-999999999-01-01T00:00:00Z");
  private static final Instant LATE = Instant.parse("+1000000000-01-01T00:00:00Z");
  private static final Instant MIN = Instant.ofEpochMilli(Long.MIN_VALUE);
  private static final Instant MAX = Instant.ofEpochMilli(Long.MAX_VALUE);

  private static List<Violation> violations(ThrowingCallable build) {
    InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class, build);
    assertThat(e).as("refused").isNotNull();
    return e.violations();
  }

  private static String problem(Instant given) {
    return "must lie between -292275055-05-16T16:47:04.192Z and +292278994-08-17T07:12:55.807Z,"
        + " was " + given;
  }

  @Test
  void everyInstantOfARequestIsRefusedOutsideTheMillisecondsOfALong() {
    assertThat(violations(() -> Message.user("hi").withTimestamp(LATE)))
        .containsExactly(new Violation("timestamp", problem(LATE)));
    assertThat(violations(() -> AddRequest.builder("x", "u").createdAt(EARLY).validFrom(LATE)
        .build())).containsExactly(new Violation("createdAt", problem(EARLY)),
            new Violation("validFrom", problem(LATE)));
    assertThat(violations(() -> SearchRequest.builder("u").createdAfter(EARLY)
        .createdBefore(LATE).build()))
        .containsExactly(new Violation("createdAfter", problem(EARLY)),
            new Violation("createdBefore", problem(LATE)));
    // a temporal phrase's reference time is not kept, only resolved against: it may lie anywhere
    assertThat(SearchRequest.builder("u").temporal("yesterday").referenceTime(LATE).build()
        .referenceTime()).isEqualTo(LATE);
    assertThat(violations(() -> MemoryFilter.createdAt().gt(LATE))).containsExactly(
        new Violation("filter", "created_at: the value " + problem(LATE)));
    assertThat(violations(() -> MemoryFilter.validFrom().lt(EARLY.toString()))).containsExactly(
        new Violation("filter", "valid_from: the value " + problem(EARLY)));
    // a millisecond outside is refused too
    assertThat(violations(() -> Message.user("hi").withTimestamp(MAX.plusMillis(1))))
        .extracting(Violation::field).containsExactly("timestamp");
    assertThat(violations(() -> Message.user("hi").withTimestamp(MIN.minusNanos(1))))
        .extracting(Violation::field).containsExactly("timestamp");
  }

  @Test
  void theExtremesAreKeptToTheMillisecond() {
    assertThat(Message.user("hi").withTimestamp(MAX.plusNanos(999_999)).timestamp())
        .isEqualTo(MAX);
    AddRequest add = AddRequest.builder("x", "u").createdAt(MIN).validFrom(MAX).build();
    assertThat(add.createdAt()).isEqualTo(MIN);
    assertThat(add.validFrom()).isEqualTo(MAX);
    assertThat(add.createdAt().toEpochMilli()).isEqualTo(Long.MIN_VALUE);
    assertThat(MemoryFilter.invalidAt().gte(MAX.toString()).value()).isEqualTo(MAX);
  }
}
