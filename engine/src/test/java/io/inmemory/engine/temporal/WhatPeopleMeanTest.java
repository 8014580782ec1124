package io.inmemory.engine.temporal;

import static io.inmemory.engine.temporal.At.SUNDAY;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The meanings chosen where a phrase could surprise (README, "Time phrases"): weekday names with
 * last/this/next, bare and plural parts of the day, and ranges between weekdays.
 */
class WhatPeopleMeanTest {

  /** The reference at noon on each day of the week of Monday 4 March 2024, in New York. */
  private static At noonOn(DayOfWeek day) {
    return At.at(LocalDate.of(2024, 3, 4).plusDays(day.ordinal()) + "T12:00", "America/New_York");
  }

  private static String name(DayOfWeek day) {
    return day.getDisplayName(TextStyle.FULL, Locale.ENGLISH).toLowerCase(Locale.ROOT);
  }

  @ParameterizedTest(name = "on a {0}")
  @EnumSource(DayOfWeek.class)
  void lastWeekdayIsTheMostRecentSuchDayBeforeToday(DayOfWeek today) {
    At at = noonOn(today);
    LocalDate date = at.reference().atZone(at.zone()).toLocalDate();
    for (DayOfWeek day : DayOfWeek.values()) {
      LocalDate last = date.minusDays(1);
      while (last.getDayOfWeek() != day) {
        last = last.minusDays(1);
      }
      at.assertRange("last " + name(day), last + "T00:00", last.plusDays(1) + "T00:00");
      at.assertRange("last " + name(day) + " evening", last + "T17:00", last + "T22:00");
    }
  }

  @ParameterizedTest(name = "on a {0}")
  @EnumSource(DayOfWeek.class)
  void thisAndNextWeekdayAreThatDayOfThisAndNextWeek(DayOfWeek today) {
    At at = noonOn(today);
    for (DayOfWeek day : DayOfWeek.values()) {
      LocalDate thisOne = LocalDate.of(2024, 3, 4).plusDays(day.ordinal());
      at.assertRange("this " + name(day), thisOne + "T00:00", thisOne.plusDays(1) + "T00:00");
      LocalDate nextOne = thisOne.plusWeeks(1);
      at.assertRange("next " + name(day), nextOne + "T00:00", nextOne.plusDays(1) + "T00:00");
    }
  }

  @Test
  void aBareWeekdayIsTheMostRecentIncludingToday() {
    SUNDAY.assertRange("sunday", "2024-03-10T00:00", "2024-03-11T00:00");
    SUNDAY.assertRange("friday", "2024-03-08T00:00", "2024-03-09T00:00");
    SUNDAY.assertRange("monday", "2024-03-04T00:00", "2024-03-05T00:00");
  }

  @Test
  void theIssuesExamplesMeanWhatAPersonMeans() {
    SUNDAY.assertRange("last Friday evening", "2024-03-08T17:00", "2024-03-08T22:00");
    SUNDAY.assertRange("from last monday to friday", "2024-03-04T00:00", "2024-03-09T00:00");
    TemporalExpression night = SUNDAY.assertRange("night", null, null);
    for (String local : List.of("2024-03-09T23:00", "2024-02-01T03:00", "2023-07-04T22:00")) {
      assertThat(night.matches(SUNDAY.local(local))).as(local).isTrue();
    }
    assertThat(night.matches(SUNDAY.local("2024-03-09T21:59"))).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "morning   | 05:00 | 11:59 | 12:00 | 04:59",
      "afternoon | 12:00 | 16:59 | 17:00 | 11:59",
      "evening   | 17:00 | 21:59 | 22:00 | 16:59",
      "night     | 22:00 | 04:59 | 05:00 | 21:59",
  })
  void aBareOrPluralPartOfTheDayIsThatTimeOfDayOnAnyDay(String part, String first, String last,
      String after, String before) {
    for (String phrase : List.of(part, part + "s", "in the " + part, "at " + part)) {
      TemporalExpression expression = SUNDAY.assertRange(phrase, null, null);
      for (String day : List.of("2019-01-01", "2024-03-10", "2031-12-31")) {
        assertThat(expression.matches(SUNDAY.local(day + "T" + first))).as(phrase).isTrue();
        assertThat(expression.matches(SUNDAY.local(day + "T" + last))).as(phrase).isTrue();
        assertThat(expression.matches(SUNDAY.local(day + "T" + after))).as(phrase).isFalse();
        assertThat(expression.matches(SUNDAY.local(day + "T" + before))).as(phrase).isFalse();
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "this morning       | 2024-03-10T05:00 | 2024-03-10T12:00",
      "this evening       | 2024-03-10T17:00 | 2024-03-10T22:00",
      "tonight            | 2024-03-10T22:00 | 2024-03-11T05:00",
      "last night         | 2024-03-09T22:00 | 2024-03-10T05:00",
      "yesterday morning  | 2024-03-09T05:00 | 2024-03-09T12:00",
      "friday afternoon   | 2024-03-08T12:00 | 2024-03-08T17:00",
      "since evening      | 2024-03-09T17:00 |",
      "since afternoon    | 2024-03-10T12:00 |",
  })
  void aPartOfTheDayOnOneDayOrAsARangeEndpointIsOneOccurrence(String phrase, String start,
      String end) {
    SUNDAY.assertRange(phrase, start, end);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "2024-03-10T15:30 | from monday to friday      | 2024-03-04T00:00 | 2024-03-09T00:00",
      "2024-03-10T15:30 | between friday and sunday  | 2024-03-08T00:00 | 2024-03-11T00:00",
      "2024-03-10T15:30 | from friday to monday      | 2024-03-08T00:00 | 2024-03-12T00:00",
      "2024-03-06T12:00 | from last monday to friday | 2024-03-04T00:00 | 2024-03-09T00:00",
      "2024-03-06T12:00 | from friday to tuesday     | 2024-03-01T00:00 | 2024-03-06T00:00",
      "2024-03-11T12:00 | from last monday to friday | 2024-03-04T00:00 | 2024-03-09T00:00",
      "2024-03-11T12:00 | from last monday to sunday | 2024-03-04T00:00 | 2024-03-11T00:00",
      "2024-03-11T12:00 | from monday to monday      | 2024-03-11T00:00 | 2024-03-12T00:00",
      "2024-03-10T15:30 | until friday               |                  | 2024-03-09T00:00",
  })
  void theEndOfARangeBetweenWeekdaysIsTheFirstSuchDayFromItsStart(String reference,
      String phrase, String start, String end) {
    At.at(reference, "America/New_York").assertRange(phrase, start, end);
  }
}
