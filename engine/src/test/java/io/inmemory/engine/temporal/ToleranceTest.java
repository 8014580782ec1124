package io.inmemory.engine.temporal;

import static io.inmemory.engine.temporal.At.WEDNESDAY;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Case, underscores, extra whitespace, commas and filler words do not change the meaning. */
class ToleranceTest {

  @ParameterizedTest(name = "\"{0}\" = \"{1}\"")
  @CsvSource(delimiter = '|', value = {
      "LAST_WEEK                          | last week",
      "'  Last    Week  '                 | last week",
      "during the last week               | last week",
      "from last week                     | last week",
      "Last_Week_Evenings                 | last week evenings",
      "in the evenings during last week   | last week evenings",
      "On Monday                          | monday",
      "in the morning                     | morning",
      "at night                           | night",
      "In March                           | march",
      "the 3rd of March, 2022             | march 3 2022",
      "Q3_2024                            | q3 2024",
      "over the past 3 days               | past 3 days",
      "within the last 24 hours           | last 24 hours",
      "SINCE   Monday                     | since monday",
      "Between_March_3_And_March_10       | between march 3 and march 10",
      "from  the 1st of march  to  today  | between march 1 and today",
      "on the weekend                     | weekend",
      "2024-03-05t10:00z                  | 2024-03-05T10:00Z",
  })
  void sameMeaning(String variant, String canonical) {
    TemporalExpression expected = WEDNESDAY.parse(canonical);
    TemporalExpression actual = WEDNESDAY.parse(variant);
    assertThat(actual.bounds()).isEqualTo(expected.bounds());
    for (String probe : List.of("2024-02-27T09:00", "2024-02-27T18:00", "2024-03-02T12:00",
        "2024-03-05T09:00")) {
      assertThat(actual.matches(WEDNESDAY.local(probe))).as(probe)
          .isEqualTo(expected.matches(WEDNESDAY.local(probe)));
    }
  }
}
