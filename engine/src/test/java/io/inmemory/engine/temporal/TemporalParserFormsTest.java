package io.inmemory.engine.temporal;

import static io.inmemory.engine.temporal.At.WEDNESDAY;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every form, resolved against Wednesday 2024-03-06 14:30 in Berlin with Monday weeks. */
class TemporalParserFormsTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "today,            2024-03-06T00:00, 2024-03-07T00:00",
      "yesterday,        2024-03-05T00:00, 2024-03-06T00:00",
      "tomorrow,         2024-03-07T00:00, 2024-03-08T00:00",
      "tonight,          2024-03-06T22:00, 2024-03-07T05:00",
      "this week,        2024-03-04T00:00, 2024-03-11T00:00",
      "last week,        2024-02-26T00:00, 2024-03-04T00:00",
      "next week,        2024-03-11T00:00, 2024-03-18T00:00",
      "this month,       2024-03-01T00:00, 2024-04-01T00:00",
      "last month,       2024-02-01T00:00, 2024-03-01T00:00",
      "next month,       2024-04-01T00:00, 2024-05-01T00:00",
      "this year,        2024-01-01T00:00, 2025-01-01T00:00",
      "last year,        2023-01-01T00:00, 2024-01-01T00:00",
      "next year,        2025-01-01T00:00, 2026-01-01T00:00",
      "this quarter,     2024-01-01T00:00, 2024-04-01T00:00",
      "last quarter,     2023-10-01T00:00, 2024-01-01T00:00",
      "last day,         2024-03-05T00:00, 2024-03-06T00:00",
      "this hour,        2024-03-06T14:00, 2024-03-06T15:00",
      "last hour,        2024-03-06T13:00, 2024-03-06T14:00",
  })
  void calendarUnits(String phrase, String start, String end) {
    WEDNESDAY.assertRange(phrase, start, end);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "3 days ago,       2024-03-03T00:00, 2024-03-04T00:00",
      "1 day ago,        2024-03-05T00:00, 2024-03-06T00:00",
      "twelve days ago,  2024-02-23T00:00, 2024-02-24T00:00",
      "a week ago,       2024-02-26T00:00, 2024-03-04T00:00",
      "2 weeks ago,      2024-02-19T00:00, 2024-02-26T00:00",
      "two months ago,   2024-01-01T00:00, 2024-02-01T00:00",
      "one year ago,     2023-01-01T00:00, 2024-01-01T00:00",
      "3 hours ago,      2024-03-06T11:00, 2024-03-06T12:00",
      "an hour ago,      2024-03-06T13:00, 2024-03-06T14:00",
      "1 quarter ago,    2023-10-01T00:00, 2024-01-01T00:00",
  })
  void unitsAgo(String phrase, String start, String end) {
    WEDNESDAY.assertRange(phrase, start, end);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "past 3 hours,     2024-03-06T11:30, 2024-03-06T14:30",
      "past 90 minutes,  2024-03-06T13:00, 2024-03-06T14:30",
      "last 24 hours,    2024-03-05T14:30, 2024-03-06T14:30",
      "last 3 days,      2024-03-03T14:30, 2024-03-06T14:30",
      "past week,        2024-02-28T14:30, 2024-03-06T14:30",
      "past 2 weeks,     2024-02-21T14:30, 2024-03-06T14:30",
      "past two months,  2024-01-06T14:30, 2024-03-06T14:30",
      "past year,        2023-03-06T14:30, 2024-03-06T14:30",
      "next 2 days,      2024-03-06T14:30, 2024-03-08T14:30",
  })
  void rollingWindows(String phrase, String start, String end) {
    WEDNESDAY.assertRange(phrase, start, end);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "monday,           2024-03-04T00:00, 2024-03-05T00:00",
      "on monday,        2024-03-04T00:00, 2024-03-05T00:00",
      "wednesday,        2024-03-06T00:00, 2024-03-07T00:00",
      "thursday,         2024-02-29T00:00, 2024-03-01T00:00",
      "sun,              2024-03-03T00:00, 2024-03-04T00:00",
      "last monday,      2024-03-04T00:00, 2024-03-05T00:00",
      "last wednesday,   2024-02-28T00:00, 2024-02-29T00:00",
      "last friday,      2024-03-01T00:00, 2024-03-02T00:00",
      "this monday,      2024-03-04T00:00, 2024-03-05T00:00",
      "this friday,      2024-03-08T00:00, 2024-03-09T00:00",
      "next tues,        2024-03-12T00:00, 2024-03-13T00:00",
      "weekend,          2024-03-02T00:00, 2024-03-04T00:00",
      "the weekend,      2024-03-02T00:00, 2024-03-04T00:00",
      "this weekend,     2024-03-09T00:00, 2024-03-11T00:00",
      "last weekend,     2024-03-02T00:00, 2024-03-04T00:00",
      "next weekend,     2024-03-16T00:00, 2024-03-18T00:00",
      "weekday,          2024-03-06T00:00, 2024-03-07T00:00",
  })
  void daysOfTheWeek(String phrase, String start, String end) {
    WEDNESDAY.assertRange(phrase, start, end);
  }

  @Test
  void theWeekendIsTheCurrentOneOnASunday() {
    At sunday = At.at("2024-03-10T09:00", "Europe/Berlin");
    sunday.assertRange("weekend", "2024-03-09T00:00", "2024-03-11T00:00");
    sunday.assertRange("this weekend", "2024-03-09T00:00", "2024-03-11T00:00");
    sunday.assertRange("last weekend", "2024-03-02T00:00", "2024-03-04T00:00");
    sunday.assertRange("sunday", "2024-03-10T00:00", "2024-03-11T00:00");
  }

  @Test
  void pluralDaysAreRecurringFilters() {
    TemporalExpression weekends = WEDNESDAY.assertRange("weekends", null, null);
    assertThat(weekends.matches(WEDNESDAY.local("2019-06-15T10:00"))).as("a Saturday").isTrue();
    assertThat(weekends.matches(WEDNESDAY.local("2019-06-16T23:59"))).as("a Sunday").isTrue();
    assertThat(weekends.matches(WEDNESDAY.local("2019-06-17T00:00"))).as("a Monday").isFalse();

    TemporalExpression weekdays = WEDNESDAY.assertRange("weekdays", null, null);
    assertThat(weekdays.matches(WEDNESDAY.local("2019-06-17T00:00"))).isTrue();
    assertThat(weekdays.matches(WEDNESDAY.local("2019-06-15T10:00"))).isFalse();

    TemporalExpression mondays = WEDNESDAY.assertRange("mondays", null, null);
    assertThat(mondays.matches(WEDNESDAY.local("2019-06-17T12:00"))).isTrue();
    assertThat(mondays.matches(WEDNESDAY.local("2019-06-18T12:00"))).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "this morning,     2024-03-06T05:00, 2024-03-06T12:00",
      "this evening,     2024-03-06T17:00, 2024-03-06T22:00",
      "last night,       2024-03-05T22:00, 2024-03-06T05:00",
      "yesterday night,  2024-03-05T22:00, 2024-03-06T05:00",
      "yesterday evening,2024-03-05T17:00, 2024-03-05T22:00",
      "yesterday afternoon,2024-03-05T12:00, 2024-03-05T17:00",
      "next morning,     2024-03-07T05:00, 2024-03-07T12:00",
      "monday morning,   2024-03-04T05:00, 2024-03-04T12:00",
      "last friday night,2024-03-01T22:00, 2024-03-02T05:00",
      "march 3 evening,  2024-03-03T17:00, 2024-03-03T22:00",
      "2024-03-01 afternoon,2024-03-01T12:00, 2024-03-01T17:00",
  })
  void partsOfTheDay(String phrase, String start, String end) {
    WEDNESDAY.assertRange(phrase, start, end);
  }

  @Test
  void aBarePartOfTheDayIsATimeOfDayButARangeEndpointIsItsOccurrenceInProgress() {
    At twoAm = At.at("2024-03-06T02:00", "Europe/Berlin");
    TemporalExpression night = twoAm.assertRange("night", null, null);
    assertThat(night.matches(twoAm.local("2019-06-15T23:00"))).isTrue();
    assertThat(night.matches(twoAm.local("2019-06-15T21:00"))).isFalse();
    twoAm.assertRange("since night", "2024-03-05T22:00", null);
    twoAm.assertRange("since morning", "2024-03-05T05:00", null);
    At fivePm = At.at("2024-03-06T17:00", "Europe/Berlin");
    fivePm.assertRange("since evening", "2024-03-06T17:00", null);
    fivePm.assertRange("until this evening", null, "2024-03-06T22:00");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "march,            2024-03-01T00:00, 2024-04-01T00:00",
      "in March,         2024-03-01T00:00, 2024-04-01T00:00",
      "april,            2023-04-01T00:00, 2023-05-01T00:00",
      "december,         2023-12-01T00:00, 2024-01-01T00:00",
      "sept,             2023-09-01T00:00, 2023-10-01T00:00",
      "march 2023,       2023-03-01T00:00, 2023-04-01T00:00",
      "mar 2024,         2024-03-01T00:00, 2024-04-01T00:00",
      "2022 may,         2022-05-01T00:00, 2022-06-01T00:00",
      "march last year,  2023-03-01T00:00, 2023-04-01T00:00",
      "june of next year,2025-06-01T00:00, 2025-07-01T00:00",
      "march 3,          2024-03-03T00:00, 2024-03-04T00:00",
      "march 10,         2024-03-10T00:00, 2024-03-11T00:00",
      "3rd march,        2024-03-03T00:00, 2024-03-04T00:00",
      "the 3rd of march 2023,2023-03-03T00:00, 2023-03-04T00:00",
      "'march 3, 2022',  2022-03-03T00:00, 2022-03-04T00:00",
      "feb 29,           2024-02-29T00:00, 2024-03-01T00:00",
      "q1,               2024-01-01T00:00, 2024-04-01T00:00",
      "q3,               2023-07-01T00:00, 2023-10-01T00:00",
      "Q3 2024,          2024-07-01T00:00, 2024-10-01T00:00",
      "2024 q3,          2024-07-01T00:00, 2024-10-01T00:00",
      "q4 of 2022,       2022-10-01T00:00, 2023-01-01T00:00",
      "q1 last year,     2023-01-01T00:00, 2023-04-01T00:00",
      "2023,             2023-01-01T00:00, 2024-01-01T00:00",
      "in 2021,          2021-01-01T00:00, 2022-01-01T00:00",
  })
  void monthsQuartersAndYears(String phrase, String start, String end) {
    WEDNESDAY.assertRange(phrase, start, end);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "2024-03-05,                  2024-03-05T00:00,    2024-03-06T00:00",
      "2024-02,                     2024-02-01T00:00,    2024-03-01T00:00",
      "2024-03-05T10:00,            2024-03-05T10:00,    2024-03-05T10:01",
      "2024-03-05T10:00:30,         2024-03-05T10:00:30, 2024-03-05T10:00:31",
      "2024-03-05T10:00Z,           2024-03-05T11:00,    2024-03-05T11:01",
      "2024-03-05t10:00z,           2024-03-05T11:00,    2024-03-05T11:01",
      "2024-03-05T10:00+03:00,      2024-03-05T08:00,    2024-03-05T08:01",
      "2024-03-05T10:00-05:00[America/New_York], 2024-03-05T16:00, 2024-03-05T16:01",
  })
  void isoForms(String phrase, String start, String end) {
    WEDNESDAY.assertRange(phrase, start, end);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "since monday,                     2024-03-04T00:00, ",
      "after monday,                     2024-03-05T00:00, ",
      "before monday,                    ,                 2024-03-04T00:00",
      "until monday,                     ,                 2024-03-05T00:00",
      "since yesterday evening,          2024-03-05T17:00, ",
      "before 2024,                      ,                 2024-01-01T00:00",
      "after march 2023,                 2023-04-01T00:00, ",
      "since 2024-03-05T10:00,           2024-03-05T10:00, ",
      "after 2024-03-05T10:00,           2024-03-05T10:00, ",
      "before 2024-03-05T10:00,          ,                 2024-03-05T10:00",
      "until 2024-03-05T10:00,           ,                 2024-03-05T10:00",
      "between march 3 and march 10,     2024-03-03T00:00, 2024-03-11T00:00",
      "between march 5 and march 5,      2024-03-05T00:00, 2024-03-06T00:00",
      "from last monday to friday,       2024-03-04T00:00, 2024-03-09T00:00",
      "from january until february,      2024-01-01T00:00, 2024-03-01T00:00",
      "between last week and yesterday,  2024-02-26T00:00, 2024-03-06T00:00",
      "between monday evening and tuesday morning, 2024-03-04T17:00, 2024-03-05T12:00",
      "between 2024-03-05T10:00 and 2024-03-05T12:00, 2024-03-05T10:00, 2024-03-05T12:00",
      "from 2024-01-15 to 2024-02,       2024-01-15T00:00, 2024-03-01T00:00",
  })
  void ranges(String phrase, String start, String end) {
    WEDNESDAY.assertRange(phrase, start, end);
  }

  @Test
  void boundsAreHalfOpen() {
    TemporalExpression yesterday = WEDNESDAY.parse("yesterday");
    assertThat(yesterday.matches(WEDNESDAY.local("2024-03-05T00:00"))).isTrue();
    assertThat(yesterday.matches(WEDNESDAY.local("2024-03-05T23:59:59.999"))).isTrue();
    assertThat(yesterday.matches(WEDNESDAY.local("2024-03-06T00:00"))).isFalse();
    assertThat(yesterday.matches(WEDNESDAY.local("2024-03-04T23:59:59.999"))).isFalse();
  }

  @Test
  void descriptionNamesThePhraseTheBoundsTheZoneAndTheFilters() {
    assertThat(WEDNESDAY.parse("last week evenings").description()).isEqualTo(
        "last week evenings: 2024-02-26T00:00 to 2024-03-04T00:00 (Europe/Berlin), "
            + "evenings 17:00-22:00 only");
    assertThat(WEDNESDAY.parse("since march").description())
        .isEqualTo("since march: from 2024-03-01T00:00 on (Europe/Berlin)");
    assertThat(WEDNESDAY.parse("before 2024").description())
        .isEqualTo("before 2024: before 2024-01-01T00:00 (Europe/Berlin)");
    assertThat(WEDNESDAY.parse("since 2024-03-05t10:00z").description())
        .isEqualTo("since 2024-03-05T10:00Z: from 2024-03-05T11:00 on (Europe/Berlin)");
    assertThat(WEDNESDAY.parse("Weekends").description())
        .isEqualTo("weekends: any time (Europe/Berlin), weekends only");
  }

  @Test
  void weekStartIsConfigurable() {
    At sundayWeeks = WEDNESDAY.with(new TemporalParser(DayOfWeek.SUNDAY));
    assertThat(sundayWeeks.parser().weekStart()).isEqualTo(DayOfWeek.SUNDAY);
    assertThat(new TemporalParser().weekStart()).isEqualTo(DayOfWeek.MONDAY);
    sundayWeeks.assertRange("this week", "2024-03-03T00:00", "2024-03-10T00:00");
    sundayWeeks.assertRange("last week", "2024-02-25T00:00", "2024-03-03T00:00");
    sundayWeeks.assertRange("a week ago", "2024-02-25T00:00", "2024-03-03T00:00");
    sundayWeeks.assertRange("this sunday", "2024-03-03T00:00", "2024-03-04T00:00");
    sundayWeeks.assertRange("next saturday", "2024-03-16T00:00", "2024-03-17T00:00");
    WEDNESDAY.assertRange("this sunday", "2024-03-10T00:00", "2024-03-11T00:00");
    // the weekend is Saturday-Sunday whatever the week start
    sundayWeeks.assertRange("last weekend", "2024-03-02T00:00", "2024-03-04T00:00");
  }

  @Test
  void theParserIsReusableAcrossReferencesAndZones() {
    TemporalParser parser = new TemporalParser();
    Instant reference = Instant.parse("2024-03-06T23:30:00Z");
    assertThat(parser.parse("today", reference, java.time.ZoneOffset.UTC).bounds().start())
        .isEqualTo(Instant.parse("2024-03-06T00:00:00Z"));
    assertThat(parser.parse("today", reference, java.time.ZoneId.of("Asia/Tokyo")).bounds().start())
        .isEqualTo(Instant.parse("2024-03-06T15:00:00Z"));
  }
}
