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

/**
 * A phrase the grammar cannot read names the word that failed, says why and suggests the closest
 * forms in a few lines; an impossible one says precisely why.
 */
class ErrorsTest {

  private static AbstractThrowableAssert<?, ?> assertRejected(String phrase) {
    return assertThatThrownBy(() -> WEDNESDAY.parse(phrase))
        .isInstanceOf(InvalidRequestException.class)
        .satisfies(e -> assertThat(((InvalidRequestException) e).violations())
            .extracting(Violation::field).containsExactly("temporal"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"someday", "since", "last", "past", "past 3", "3 days", "in 3 days",
      "between march", "between march and", "from march to", "this weekday", "last weeks",
      "q5", "march 32", "tomorrow and yesterday", "since evenings", "since since monday",
      "between monday and since friday", "2024-03-05T25:00", "2024-03-05T10:00[Mars/Olympus]",
      "yesterday last week", "monday friday", "morning evening", "0 days ago", "the", "day",
      "a while ago", "earlier", "early today", "the day before", "last eon"})
  void unknownPhrasesQuoteThePhraseAndSuggestAFewFormsNotTheWholeGrammar(String phrase) {
    assertRejected(phrase)
        .hasMessageContaining("unsupported time phrase \"" + phrase + "\": ")
        .hasMessageContaining(". Closest forms: \"")
        .hasMessageEndingWith("All forms: README.md, section \"Time phrases\".")
        .satisfies(e -> assertThat(e.getMessage().length() - phrase.length()).isLessThan(320));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "someday                 | \"someday\" is not a word of the time grammar",
      "Soon_ish                | \"Soon\" is not a word of the time grammar",
      "3 days                  | \"3 days\" must be followed by \"ago\". Closest forms: \"3 days ago\", \"past 3 days\"",
      "between march           | \"between march\" must be followed by \"and\"",
      "since                   | \"since\" must be followed by a period",
      "since evenings          | needs a period, not a recurring time",
      "since since monday      | a range cannot contain another range",
      "yesterday last week     | \"yesterday\" and \"last week\" are two periods; name one. Closest forms: \"between yesterday and last week\"",
      "monday friday           | \"monday\" and \"friday\" are two day selections",
      "march 3 days ago        | \"march\" and \"3 days ago\" are two periods",
      "this weekday            | \"weekday\" cannot follow \"this\"",
      "last weeks              | \"last weeks\" names no single period. Closest forms: \"last week\", \"last 3 weeks\"",
      "past 0 days             | the count \"0\" is out of range: counts go from 1 to 9999",
      "past -1 days            | the count \"-1\" is out of range: counts go from 1 to 9999",
      "past 1000000000 days    | the count \"1000000000\" is out of range: counts go from 1 to 9999",
      "0 days ago              | the count \"0\" is out of range",
      "zero weeks ago          | the count \"zero\" is out of range",
      "past 3                  | \"past 3\" must be followed by a unit. Closest forms: \"past 3 days\"",
      "last                    | \"last\" must be followed by a unit, a weekday",
      "day                     | \"day\" is a unit; say which one. Closest forms: \"last day\", \"3 days ago\"",
      "a while ago             | \"while\" is not a word of the time grammar",
      "a march                 | \"a\" must be followed by a unit and \"ago\"",
      "earlier last week       | \"earlier\" takes a period that contains now",
      "later yesterday         | \"later\" takes a period that contains now",
      "early today             | \"early\" takes a period of at least three whole days",
      "the day before          | \"day before\" must be followed by a period",
      "last eon                | \"eon\" is not a word of the time grammar",
      "yesterday and today     | \"and\" is out of place here",
      "last week to            | \"to\" must be followed by a period. Closest forms: \"from last week to yesterday\"",
      "next 2023               | \"next 2023\" must be followed by a unit",
  })
  void unknownPhrasesNameTheWordAndSayWhy(String phrase, String detail) {
    assertRejected(phrase).hasMessageContaining(detail);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "yesterdy          | \"yesterday\"",
      "the day befor yesterday | \"the day before yesterday\"",
      "las week          | \"last week\"",
      "mondy             | \"last monday\"",
      "evenning          | \"yesterday evening\"",
      "febuary           | \"february 3\"",
      "recentyl          | \"recently\"",
  })
  void misspelledWordsSuggestTheFormsOfTheClosestWords(String phrase, String suggestion) {
    assertRejected(phrase).hasMessageContaining("Closest forms: ")
        .hasMessageContaining(suggestion);
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
    for (String phrase : new String[] {null, "", "   ", "___", "?!"}) {
      assertThatThrownBy(() -> parser.parse(phrase, now, ZoneOffset.UTC))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("\"yesterday\"");
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
