package io.inmemory.engine.temporal;

import static io.inmemory.engine.temporal.At.WEDNESDAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inmemory.InvalidRequestException;
import io.inmemory.InvalidRequestException.Violation;
import java.time.Instant;
import java.time.ZoneOffset;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Unknown phrases list the supported forms; impossible ones say precisely why. */
class ErrorsTest {

  private static AbstractThrowableAssert<?, ?> assertRejected(String phrase) {
    return assertThatThrownBy(() -> WEDNESDAY.parse(phrase))
        .isInstanceOf(InvalidRequestException.class)
        .satisfies(e -> assertThat(((InvalidRequestException) e).violations())
            .extracting(Violation::field).containsExactly("temporal"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"someday", "the day after tomorrow", "recently", "since", "last",
      "past", "past 3", "3 days", "in 3 days", "between march", "between march and",
      "from march to", "this weekday", "last weeks", "q5", "march 32", "tomorrow and yesterday",
      "since evenings", "since since monday", "between monday and since friday",
      "2024-03-05T25:00", "2024-03-05T10:00[Mars/Olympus]", "yesterday last week",
      "monday friday", "morning evening", "0 days ago", "the"})
  void unknownPhrasesQuoteThePhraseAndListTheSupportedForms(String phrase) {
    assertRejected(phrase)
        .hasMessageContaining("unsupported time phrase \"" + phrase + "\"")
        .hasMessageContaining("Supported forms:")
        .hasMessageContaining("\"yesterday evening\"")
        .hasMessageContaining("\"last week\"")
        .hasMessageContaining("\"3 days ago\"")
        .hasMessageContaining("\"past 3 days\"")
        .hasMessageContaining("\"weekends in march\"")
        .hasMessageContaining("\"q3 2024\"")
        .hasMessageContaining("\"mar 2024\"")
        .hasMessageContaining("\"2024-03-05\"")
        .hasMessageContaining("\"between march 3 and march 10\"");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "someday                 | \"someday\" is not understood",
      "Soon_ish                | \"Soon\" is not understood",
      "3 days                  | \"3 days\" must be followed by \"ago\"",
      "between march           | \"between march\" must be followed by \"and\"",
      "since                   | \"since\" must be followed by a period",
      "since evenings          | needs a period, not a recurring time",
      "since since monday      | a range cannot contain another range",
      "yesterday last week     | \"yesterday\" and \"last week\" are two periods; name one, or a range such as \"between yesterday and last week\"",
      "monday friday           | \"monday\" and \"friday\" are two day selections",
      "march 3 days ago        | \"march\" and \"3 days ago\" are two periods",
      "this weekday            | \"this weekday\" is not understood",
  })
  void unknownPhrasesSayWhatWasNotUnderstood(String phrase, String detail) {
    assertRejected(phrase).hasMessageContaining(detail);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "february 30                 | February 30 does not exist",
      "feb 29 2023                 | February 29 does not exist in 2023",
      "april 31 2024               | April 31 does not exist",
      "2024-02-30                  | \"2024-02-30\" is not a valid date",
      "2024-13                     | \"2024-13\" is not a valid date",
      "between may 5 and may 1     | the range is empty: \"may 5\" starts at 2023-05-05T00:00, which is not before the end of \"may 1\" at 2023-05-02T00:00",
      "from next week to last week | the range is empty",
      "between 2024-03-05T10:00 and 2024-03-05T10:00 | the range is empty",
      "saturday yesterday          | \"saturday yesterday\" never matches: it selects saturdays, but 2024-03-05T00:00 to 2024-03-06T00:00 has none",
      "weekends tomorrow           | never matches",
  })
  void impossiblePhrasesSayWhy(String phrase, String detail) {
    assertRejected(phrase)
        .hasMessageContaining("impossible time phrase \"" + phrase + "\"")
        .hasMessageContaining(detail)
        .hasMessageNotContaining("Supported forms");
  }

  @Test
  void february29WithoutAYearFollowsTheMostRecentFebruary() {
    At march2025 = At.at("2025-03-01T12:00", "UTC");
    assertThatThrownBy(() -> march2025.parse("feb 29"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("February 29 does not exist in 2025");
  }

  @Test
  void missingOrOverlongPhrasesAreInvalid() {
    Instant now = Instant.parse("2024-03-06T12:00:00Z");
    TemporalParser parser = new TemporalParser();
    for (String phrase : new String[] {null, "", "   ", "___"}) {
      assertThatThrownBy(() -> parser.parse(phrase, now, ZoneOffset.UTC))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("Supported forms:");
    }
    assertThatThrownBy(() -> parser.parse("last week ".repeat(30), now, ZoneOffset.UTC))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("longer than 200 characters");
  }

  @Test
  void referenceAndZoneAreRequired() {
    TemporalParser parser = new TemporalParser();
    assertThatThrownBy(() -> parser.parse("today", null, ZoneOffset.UTC))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> parser.parse("today", Instant.EPOCH, null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new TemporalParser(null)).isInstanceOf(NullPointerException.class);
  }
}
