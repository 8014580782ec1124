package io.inmemory.engine.temporal;

import static io.inmemory.engine.temporal.At.WEDNESDAY;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Periods combined with day selections and parts of the day; reference Wed 2024-03-06 14:30. */
class CombinationsTest {

  private static void assertMatches(TemporalExpression expression, List<String> inside,
      List<String> outside) {
    for (String local : inside) {
      assertThat(expression.matches(WEDNESDAY.local(local))).as("%s at %s", expression, local).isTrue();
    }
    for (String local : outside) {
      assertThat(expression.matches(WEDNESDAY.local(local))).as("%s at %s", expression, local).isFalse();
    }
  }

  @Test
  void lastWeekEvenings() {
    TemporalExpression expression =
        WEDNESDAY.assertRange("last week evenings", "2024-02-26T00:00", "2024-03-04T00:00");
    assertMatches(expression,
        List.of("2024-02-26T17:00", "2024-02-27T21:59", "2024-03-03T18:00"),
        List.of("2024-02-27T12:00", "2024-02-27T22:00", "2024-03-04T18:00", "2024-02-25T18:00"));
  }

  @Test
  void weekendsInMarch() {
    TemporalExpression expression =
        WEDNESDAY.assertRange("weekends in March", "2024-03-01T00:00", "2024-04-01T00:00");
    assertMatches(expression,
        List.of("2024-03-02T10:00", "2024-03-31T23:00"),
        List.of("2024-03-04T10:00", "2024-02-25T10:00", "2024-04-06T10:00"));
  }

  @Test
  void morningsLastMonth() {
    TemporalExpression expression =
        WEDNESDAY.assertRange("mornings last month", "2024-02-01T00:00", "2024-03-01T00:00");
    assertMatches(expression,
        List.of("2024-02-10T05:00", "2024-02-29T11:59"),
        List.of("2024-02-10T04:59", "2024-02-10T13:00", "2024-03-01T06:00"));
  }

  @Test
  void aSingularPartOnASingleDayIsThatPartNotAFilter() {
    TemporalExpression expression =
        WEDNESDAY.assertRange("yesterday afternoon", "2024-03-05T12:00", "2024-03-05T17:00");
    assertThat(expression.description()).doesNotContain("only");
  }

  @Test
  void aWeekdayInAPeriodHoldingOneSuchDayIsThatDay() {
    WEDNESDAY.assertRange("monday last week", "2024-02-26T00:00", "2024-02-27T00:00");
    WEDNESDAY.assertRange("last week monday", "2024-02-26T00:00", "2024-02-27T00:00");
    WEDNESDAY.assertRange("friday next week evening", "2024-03-15T17:00", "2024-03-15T22:00");
  }

  @Test
  void aWeekdayInAPeriodHoldingSeveralSuchDaysFilters() {
    TemporalExpression expression =
        WEDNESDAY.assertRange("monday in february", "2024-02-01T00:00", "2024-03-01T00:00");
    assertMatches(expression, List.of("2024-02-05T09:00", "2024-02-26T09:00"),
        List.of("2024-02-27T09:00"));
    // a rolling window holds only part of its first and last day
    assertMatches(WEDNESDAY.assertRange("wednesday past week", "2024-02-28T14:30",
        "2024-03-06T14:30"), List.of("2024-02-28T15:00", "2024-03-06T10:00"),
        List.of("2024-02-28T14:00", "2024-03-05T10:00"));
  }

  @Test
  void pluralsAloneAreRecurringEverywhere() {
    TemporalExpression expression = WEDNESDAY.assertRange("weekend evenings", null, null);
    assertMatches(expression,
        List.of("2020-01-04T18:00", "2031-06-01T21:00"),
        List.of("2020-01-06T18:00", "2020-01-04T10:00"));
    assertMatches(WEDNESDAY.assertRange("monday mornings", null, null),
        List.of("2024-03-04T06:00"), List.of("2024-03-04T13:00", "2024-03-05T06:00"));
  }

  @Test
  void aSingularWeekendAndPartIsTheMostRecentWeekendFiltered() {
    TemporalExpression expression =
        WEDNESDAY.assertRange("weekend evening", "2024-03-02T00:00", "2024-03-04T00:00");
    assertMatches(expression, List.of("2024-03-03T18:00"), List.of("2024-03-03T12:00"));
  }

  @Test
  void filtersCombineWithAnyPeriod() {
    TemporalExpression expression = WEDNESDAY.assertRange(
        "weekday mornings in february 2024", "2024-02-01T00:00", "2024-03-01T00:00");
    assertMatches(expression, List.of("2024-02-05T08:00"),
        List.of("2024-02-03T08:00", "2024-02-05T15:00"));
    assertMatches(WEDNESDAY.assertRange("evenings since march", "2024-03-01T00:00", null),
        List.of("2030-01-01T20:00"), List.of("2024-03-05T12:00", "2024-02-28T20:00"));
    assertMatches(WEDNESDAY.assertRange("mondays past 2 weeks", "2024-02-21T14:30", "2024-03-06T14:30"),
        List.of("2024-03-04T12:00"), List.of("2024-03-05T12:00"));
  }

  @Test
  void rangeEndpointsCarryTheirFiltersToTheWholeRange() {
    TemporalExpression expression = WEDNESDAY.assertRange(
        "between march 3 and march 5 evenings", "2024-03-03T00:00", "2024-03-06T00:00");
    assertMatches(expression, List.of("2024-03-03T18:00"), List.of("2024-03-04T12:00"));
    assertMatches(WEDNESDAY.assertRange("weekends from january to february", "2024-01-01T00:00",
        "2024-03-01T00:00"), List.of("2024-01-06T12:00"), List.of("2024-01-08T12:00"));
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource({
      "last week evenings, evenings last week",
      "weekends in march, march weekends",
      "yesterday evening, evening yesterday",
      "q3 2023 mornings, mornings in q3 2023",
  })
  void orderDoesNotMatter(String one, String other) {
    TemporalExpression first = WEDNESDAY.parse(one);
    TemporalExpression second = WEDNESDAY.parse(other);
    assertThat(second.bounds()).isEqualTo(first.bounds());
    assertThat(second.description()).endsWith(first.description().substring(one.length()));
  }
}
