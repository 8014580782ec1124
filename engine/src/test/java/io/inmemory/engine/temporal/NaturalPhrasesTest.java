package io.inmemory.engine.temporal;

import static io.inmemory.engine.temporal.At.SUNDAY;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Phrases as people type them, beyond the README's examples, against Sunday 2024-03-10 15:30 in
 * New York: relative days and weeks, vague and spelled-out counts, parts of a period, case,
 * punctuation and spacing.
 */
class NaturalPhrasesTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "the day before yesterday          | 2024-03-08T00:00 | 2024-03-09T00:00",
      "Day Before Yesterday.             | 2024-03-08T00:00 | 2024-03-09T00:00",
      "the day after tomorrow            | 2024-03-12T00:00 | 2024-03-13T00:00",
      "the week before last              | 2024-02-19T00:00 | 2024-02-26T00:00",
      "the weekend before last           | 2024-02-24T00:00 | 2024-02-26T00:00",
      "the month before last             | 2024-01-01T00:00 | 2024-02-01T00:00",
      "the year before last              | 2022-01-01T00:00 | 2023-01-01T00:00",
      "the week after next               | 2024-03-18T00:00 | 2024-03-25T00:00",
      "the day before march 3            | 2024-03-02T00:00 | 2024-03-03T00:00",
      "the week before last week         | 2024-02-19T00:00 | 2024-02-26T00:00",
      "the night before last             | 2024-03-08T22:00 | 2024-03-09T05:00",
      "the day before yesterday to today | 2024-03-08T00:00 | 2024-03-11T00:00",
  })
  void relativeDaysAndWeeks(String phrase, String start, String end) {
    SUNDAY.assertRange(phrase, start, end);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "two days ago                      | 2024-03-08T00:00 | 2024-03-09T00:00",
      "twenty two days ago               | 2024-02-17T00:00 | 2024-02-18T00:00",
      "Twenty-Two Days Ago               | 2024-02-17T00:00 | 2024-02-18T00:00",
      "twelve hours ago                  | 2024-03-10T03:00 | 2024-03-10T04:00",
      "a couple of days ago              | 2024-03-08T00:00 | 2024-03-09T00:00",
      "a couple days ago                 | 2024-03-08T00:00 | 2024-03-09T00:00",
      "couple of weeks ago               | 2024-02-19T00:00 | 2024-02-26T00:00",
      "a few days ago                    | 2024-03-06T00:00 | 2024-03-09T00:00",
      "few days ago                      | 2024-03-06T00:00 | 2024-03-09T00:00",
      "several weeks ago                 | 2024-01-15T00:00 | 2024-02-19T00:00",
      "3 weeks back                      | 2024-02-12T00:00 | 2024-02-19T00:00",
      "a dozen days ago                  | 2024-02-27T00:00 | 2024-02-28T00:00",
      "past couple of weeks              | 2024-02-25T15:30 | 2024-03-10T15:30",
      "the past couple of weeks          | 2024-02-25T15:30 | 2024-03-10T15:30",
      "in the past few days              | 2024-03-06T15:30 | 2024-03-10T15:30",
      "over the last few weeks           | 2024-02-11T15:30 | 2024-03-10T15:30",
      "the last 30 minutes               | 2024-03-10T15:00 | 2024-03-10T15:30",
      "past 48 hours                     | 2024-03-08T14:30 | 2024-03-10T15:30",
      "within the last two hours         | 2024-03-10T13:30 | 2024-03-10T15:30",
      "past 3d                           | 2024-03-07T15:30 | 2024-03-10T15:30",
      "last 2wks                         | 2024-02-25T15:30 | 2024-03-10T15:30",
      "past 90min                        | 2024-03-10T14:00 | 2024-03-10T15:30",
      "the past fortnight                | 2024-02-25T15:30 | 2024-03-10T15:30",
      "the other day                     | 2024-03-06T00:00 | 2024-03-09T00:00",
      "the 31st                          | 2024-01-31T00:00 | 2024-02-01T00:00",
      "on the 10th                       | 2024-03-10T00:00 | 2024-03-11T00:00",
  })
  void spelledOutAndVagueCounts(String phrase, String start, String end) {
    SUNDAY.assertRange(phrase, start, end);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "earlier this month                | 2024-03-01T00:00 | 2024-03-10T15:30",
      "earlier this week                 | 2024-03-04T00:00 | 2024-03-10T15:30",
      "earlier today                     | 2024-03-10T00:00 | 2024-03-10T15:30",
      "later this week                   | 2024-03-10T15:30 | 2024-03-11T00:00",
      "earlier this afternoon            | 2024-03-10T12:00 | 2024-03-10T15:30",
      "recently                          | 2024-03-03T15:30 | 2024-03-10T15:30",
      "lately                            | 2024-03-03T15:30 | 2024-03-10T15:30",
      "since the beginning of the year   | 2024-01-01T00:00 |",
      "the end of last month             | 2024-02-20T00:00 | 2024-03-01T00:00",
      "early last week                   | 2024-02-26T00:00 | 2024-02-28T00:00",
      "mid-march                         | 2024-03-11T00:00 | 2024-03-21T00:00",
      "the middle of march               | 2024-03-11T00:00 | 2024-03-21T00:00",
      "late 2023                         | 2023-09-01T00:00 | 2024-01-01T00:00",
      "from march to the end of april    | 2024-03-01T00:00 | 2024-05-01T00:00",
      "from november to february         | 2023-11-01T00:00 | 2024-03-01T00:00",
      "between q4 and q1                 | 2023-10-01T00:00 | 2024-04-01T00:00",
      "until now                         |                  | 2024-03-10T15:30",
      "this week so far                  | 2024-03-04T00:00 | 2024-03-10T15:30",
      "so far this year                  | 2024-01-01T00:00 | 2024-03-10T15:30",
      "so far                            |                  | 2024-03-10T15:30",
      "the last week of february         | 2024-02-23T00:00 | 2024-03-01T00:00",
      "the first day of last month       | 2024-02-01T00:00 | 2024-02-02T00:00",
      "the last day of the month         | 2024-03-31T00:00 | 2024-04-01T00:00",
      "the last month of 2023            | 2023-12-01T00:00 | 2024-01-01T00:00",
      "the first hour of today           | 2024-03-10T00:00 | 2024-03-10T01:00",
  })
  void partsOfAPeriod(String phrase, String start, String end) {
    SUNDAY.assertRange(phrase, start, end);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "last march                        | 2023-03-01T00:00 | 2023-04-01T00:00",
      "Last March                        | 2023-03-01T00:00 | 2023-04-01T00:00",
      "this march                        | 2024-03-01T00:00 | 2024-04-01T00:00",
      "next march                        | 2025-03-01T00:00 | 2025-04-01T00:00",
      "last december                     | 2023-12-01T00:00 | 2024-01-01T00:00",
      "last q1                           | 2023-01-01T00:00 | 2023-04-01T00:00",
      "this past weekend                 | 2024-03-02T00:00 | 2024-03-04T00:00",
      "past weekend                      | 2024-03-02T00:00 | 2024-03-04T00:00",
      "this past friday                  | 2024-03-08T00:00 | 2024-03-09T00:00",
      "over the weekend                  | 2024-03-09T00:00 | 2024-03-11T00:00",
      "last night                        | 2024-03-09T22:00 | 2024-03-10T05:00",
      "friday night                      | 2024-03-08T22:00 | 2024-03-09T05:00",
      "mon-fri                           | 2024-03-04T00:00 | 2024-03-09T00:00",
      "monday - wednesday                | 2024-03-04T00:00 | 2024-03-07T00:00",
      "march-april                       | 2024-03-01T00:00 | 2024-05-01T00:00",
  })
  void namedDaysMonthsAndWeekends(String phrase, String start, String end) {
    SUNDAY.assertRange(phrase, start, end);
  }

  @ParameterizedTest(name = "\"{0}\"")
  @CsvSource(delimiter = '|', value = {
      "yesterday?                        | 2024-03-09T00:00 | 2024-03-10T00:00",
      "yesterday.                        | 2024-03-09T00:00 | 2024-03-10T00:00",
      "Yesterday!                        | 2024-03-09T00:00 | 2024-03-10T00:00",
      "(yesterday)                       | 2024-03-09T00:00 | 2024-03-10T00:00",
      "'\"yesterday\"'                   | 2024-03-09T00:00 | 2024-03-10T00:00",
      "yesterday's                       | 2024-03-09T00:00 | 2024-03-10T00:00",
      "'  LAST   WEEK  '                 | 2024-02-26T00:00 | 2024-03-04T00:00",
      "last week's                       | 2024-02-26T00:00 | 2024-03-04T00:00",
      "Last_Friday_Evening               | 2024-03-08T17:00 | 2024-03-08T22:00",
      "'last friday, evening...'         | 2024-03-08T17:00 | 2024-03-08T22:00",
      "LaSt MoNdAy?                      | 2024-03-04T00:00 | 2024-03-05T00:00",
  })
  void caseSpacingAndPunctuation(String phrase, String start, String end) {
    SUNDAY.assertRange(phrase, start, end);
  }
}
