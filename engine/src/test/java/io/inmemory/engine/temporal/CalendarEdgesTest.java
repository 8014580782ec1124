package io.inmemory.engine.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.TimeRange;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Month and year boundaries, leap days and DST changes. */
class CalendarEdgesTest {

  private static Duration length(TemporalExpression expression) {
    TimeRange bounds = expression.bounds();
    return Duration.between(bounds.start(), bounds.end());
  }

  @ParameterizedTest(name = "{1} at {0}")
  @CsvSource({
      "2024-03-01T09:00, yesterday,    2024-02-29T00:00, 2024-03-01T00:00",
      "2024-01-01T09:00, yesterday,    2023-12-31T00:00, 2024-01-01T00:00",
      "2023-12-31T09:00, tomorrow,     2024-01-01T00:00, 2024-01-02T00:00",
      "2024-01-15T09:00, last month,   2023-12-01T00:00, 2024-01-01T00:00",
      "2024-12-15T09:00, next month,   2025-01-01T00:00, 2025-02-01T00:00",
      "2025-01-02T09:00, last week,    2024-12-23T00:00, 2024-12-30T00:00",
      "2025-01-02T09:00, this week,    2024-12-30T00:00, 2025-01-06T00:00",
      "2024-01-10T09:00, last quarter, 2023-10-01T00:00, 2024-01-01T00:00",
      "2024-01-10T09:00, q4,           2023-10-01T00:00, 2024-01-01T00:00",
      "2024-01-10T09:00, december,     2023-12-01T00:00, 2024-01-01T00:00",
      "2024-01-10T09:00, 2 days ago,   2024-01-08T00:00, 2024-01-09T00:00",
      "2024-01-02T09:00, 3 days ago,   2023-12-30T00:00, 2023-12-31T00:00",
      "2024-01-02T09:00, last friday,  2023-12-29T00:00, 2023-12-30T00:00",
      "2024-01-01T02:00, last night,   2023-12-31T22:00, 2024-01-01T05:00",
      "2024-03-31T12:00, a month ago,  2024-02-01T00:00, 2024-03-01T00:00",
      "2024-03-31T12:00, past month,   2024-02-29T12:00, 2024-03-31T12:00",
      "2024-02-29T12:00, past year,    2023-02-28T12:00, 2024-02-29T12:00",
      "2024-02-29T12:00, 1 year ago,   2023-01-01T00:00, 2024-01-01T00:00",
      "2025-02-28T12:00, last year,    2024-01-01T00:00, 2025-01-01T00:00",
      "2025-03-01T12:00, yesterday,    2025-02-28T00:00, 2025-03-01T00:00",
      "2024-03-06T12:00, february 29 2024, 2024-02-29T00:00, 2024-03-01T00:00",
  })
  void boundaries(String reference, String phrase, String start, String end) {
    At.at(reference, "Europe/Berlin").assertRange(phrase, start, end);
  }

  @Test
  void lastWeekAcrossTheYearWithSundayWeeks() {
    At thursday = At.at("2025-01-02T09:00", "UTC").with(new TemporalParser(DayOfWeek.SUNDAY));
    thursday.assertRange("last week", "2024-12-22T00:00", "2024-12-29T00:00");
    thursday.assertRange("this week", "2024-12-29T00:00", "2025-01-05T00:00");
  }

  @Test
  void aLeapYearLasts366Days() {
    At at = At.at("2025-02-28T12:00", "UTC");
    assertThat(length(at.parse("last year"))).isEqualTo(Duration.ofDays(366));
    assertThat(length(at.parse("this year"))).isEqualTo(Duration.ofDays(365));
    assertThat(length(at.parse("february 2024"))).isEqualTo(Duration.ofDays(29));
    assertThat(length(at.parse("february"))).isEqualTo(Duration.ofDays(28));
  }

  @Test
  void newYorkSpringForwardDayHas23Hours() {
    At monday = At.at("2024-03-11T12:00", "America/New_York");
    TemporalExpression yesterday = monday.parse("yesterday");
    assertThat(length(yesterday)).isEqualTo(Duration.ofHours(23));
    assertThat(yesterday.bounds().start()).isEqualTo(Instant.parse("2024-03-10T05:00:00Z"));
    assertThat(yesterday.bounds().end()).isEqualTo(Instant.parse("2024-03-11T04:00:00Z"));
    // the evening keeps its local hours, now at UTC-4
    TemporalExpression evening = monday.parse("yesterday evening");
    assertThat(evening.bounds().start()).isEqualTo(Instant.parse("2024-03-10T21:00:00Z"));
    assertThat(length(evening)).isEqualTo(Duration.ofHours(5));
    // the night spanning the change: 7 local hours, one of which is skipped
    assertThat(length(At.at("2024-03-10T12:00", "America/New_York").parse("last night")))
        .isEqualTo(Duration.ofHours(6));
  }

  @Test
  void newYorkFallBackDayHas25Hours() {
    At monday = At.at("2024-11-04T12:00", "America/New_York");
    assertThat(length(monday.parse("yesterday"))).isEqualTo(Duration.ofHours(25));
    assertThat(length(monday.parse("last week"))).isEqualTo(Duration.ofHours(7 * 24 + 1));
    assertThat(length(At.at("2024-11-03T12:00", "America/New_York").parse("last night")))
        .isEqualTo(Duration.ofHours(8));
  }

  @Test
  void berlinDstDays() {
    At spring = At.at("2024-04-01T12:00", "Europe/Berlin");
    assertThat(length(spring.parse("yesterday"))).isEqualTo(Duration.ofHours(23));
    assertThat(length(spring.parse("last week"))).isEqualTo(Duration.ofHours(7 * 24 - 1));
    assertThat(length(spring.parse("2024-03-31 evening"))).isEqualTo(Duration.ofHours(5));
    assertThat(length(spring.parse("2024-03-30 night"))).isEqualTo(Duration.ofHours(6));
    assertThat(length(spring.parse("march 2024")))
        .isEqualTo(Duration.ofDays(31).minusHours(1));

    At autumn = At.at("2024-10-28T12:00", "Europe/Berlin");
    TemporalExpression yesterday = autumn.parse("yesterday");
    assertThat(length(yesterday)).isEqualTo(Duration.ofHours(25));
    TemporalExpression evening = autumn.parse("yesterday evening");
    assertThat(evening.bounds().start()).isEqualTo(Instant.parse("2024-10-27T16:00:00Z"));
    assertThat(length(evening)).isEqualTo(Duration.ofHours(5));
    assertThat(length(autumn.parse("2024-10-26 night"))).isEqualTo(Duration.ofHours(8));
  }

  @Test
  void rollingWindowsStepOnLocalDatesForDaysAndOnTheTimeLineForHours() {
    At afterSpring = At.at("2024-03-31T12:00", "Europe/Berlin");
    assertThat(length(afterSpring.parse("past 1 day"))).isEqualTo(Duration.ofHours(23));
    assertThat(length(afterSpring.parse("past 24 hours"))).isEqualTo(Duration.ofHours(24));
    // 04:30 CEST minus 3 hours is 00:30 CET: that clock hour
    At.at("2024-03-31T04:30", "Europe/Berlin")
        .assertRange("3 hours ago", "2024-03-31T00:00", "2024-03-31T01:00");
  }

  @Test
  void eveningsMatchByLocalTimeOnADstDay() {
    At at = At.at("2024-11-10T12:00", "America/New_York");
    TemporalExpression evenings = at.parse("evenings last week");
    assertThat(evenings.matches(at.local("2024-11-03T17:00"))).isTrue();
    assertThat(evenings.matches(at.local("2024-11-03T16:59"))).isFalse();
    assertThat(evenings.matches(at.local("2024-11-03T21:59"))).isTrue();
    assertThat(evenings.matches(at.local("2024-11-03T22:00"))).isFalse();
    // 01:30 happens twice on 3 November; both are night
    TemporalExpression nights = at.parse("nights last week");
    assertThat(nights.matches(Instant.parse("2024-11-03T05:30:00Z"))).isTrue();
    assertThat(nights.matches(Instant.parse("2024-11-03T06:30:00Z"))).isTrue();
  }
}
