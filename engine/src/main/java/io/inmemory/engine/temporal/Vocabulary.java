package io.inmemory.engine.temporal;

import java.time.DayOfWeek;
import java.time.Month;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The words of the temporal grammar. Stateless. */
final class Vocabulary {
  /** A word found in a dictionary, and whether it was written in the plural ("mondays"). */
  record Match<T>(T value, boolean plural) {}

  static final Map<String, Month> MONTHS = months();
  static final Map<String, DaySelector> DAYS = days();
  static final Map<String, PartOfDay> PARTS = parts();
  static final Map<String, TemporalUnit> UNITS = Map.of(
      "minute", ChronoUnit.MINUTES, "min", ChronoUnit.MINUTES,
      "hour", ChronoUnit.HOURS, "hr", ChronoUnit.HOURS,
      "day", ChronoUnit.DAYS,
      "week", ChronoUnit.WEEKS,
      "month", ChronoUnit.MONTHS,
      "quarter", IsoFields.QUARTER_YEARS,
      "year", ChronoUnit.YEARS);
  /** The offset each relative word applies. */
  static final Map<String, Integer> RELATIVE = Map.of("this", 0, "last", -1, "next", 1);

  private static final List<String> NUMBER_WORDS = List.of("one", "two", "three", "four", "five",
      "six", "seven", "eight", "nine", "ten", "eleven", "twelve");
  private static final int MAX_COUNT = 9999;
  private static final Pattern DIGITS = Pattern.compile("\\d{1,4}");
  private static final Pattern YEAR = Pattern.compile("\\d{4}");
  private static final Pattern DAY_OF_MONTH = Pattern.compile("(\\d{1,2})(st|nd|rd|th)?");
  private static final Pattern QUARTER = Pattern.compile("q([1-4])");
  private static final Pattern ISO =
      Pattern.compile("\\d{4}-\\d{2}(-\\d{2}(t.+)?)?", Pattern.CASE_INSENSITIVE);

  private Vocabulary() {}

  /** Looks a word up as written, then as the plural of a dictionary word. */
  static <T> Optional<Match<T>> lookup(Map<String, T> dictionary, String word) {
    T value = dictionary.get(word);
    if (value != null) {
      return Optional.of(new Match<>(value, false));
    }
    if (word.endsWith("s")) {
      T singular = dictionary.get(word.substring(0, word.length() - 1));
      if (singular != null) {
        return Optional.of(new Match<>(singular, true));
      }
    }
    return Optional.empty();
  }

  /** A count of units: 1 to 9999 in digits, "one" to "twelve", or "a"/"an". */
  static OptionalInt count(String word) {
    if (word.equals("a") || word.equals("an")) {
      return OptionalInt.of(1);
    }
    int index = NUMBER_WORDS.indexOf(word);
    if (index >= 0) {
      return OptionalInt.of(index + 1);
    }
    if (DIGITS.matcher(word).matches()) {
      int value = Integer.parseInt(word);
      return value >= 1 && value <= MAX_COUNT ? OptionalInt.of(value) : OptionalInt.empty();
    }
    return OptionalInt.empty();
  }

  static OptionalInt year(String word) {
    return YEAR.matcher(word).matches()
        ? OptionalInt.of(Integer.parseInt(word)) : OptionalInt.empty();
  }

  /** A day of the month, 1 to 31, optionally written as an ordinal ("3rd"). */
  static OptionalInt dayOfMonth(String word) {
    Matcher matcher = DAY_OF_MONTH.matcher(word);
    if (!matcher.matches()) {
      return OptionalInt.empty();
    }
    int day = Integer.parseInt(matcher.group(1));
    return day >= 1 && day <= 31 ? OptionalInt.of(day) : OptionalInt.empty();
  }

  /** "q1" to "q4". */
  static OptionalInt quarter(String word) {
    Matcher matcher = QUARTER.matcher(word);
    return matcher.matches()
        ? OptionalInt.of(Integer.parseInt(matcher.group(1))) : OptionalInt.empty();
  }

  /** Whether a word has the shape of an ISO year-month, date or date-time. */
  static boolean isIsoShaped(String word) {
    return ISO.matcher(word).matches();
  }

  private static Map<String, Month> months() {
    Map<String, Month> months = new HashMap<>();
    for (Month month : Month.values()) {
      String name = month.name().toLowerCase(Locale.ROOT);
      months.put(name, month);
      months.put(name.substring(0, 3), month);
    }
    months.put("sept", Month.SEPTEMBER);
    return Map.copyOf(months);
  }

  private static Map<String, DaySelector> days() {
    Map<String, DaySelector> days = new HashMap<>();
    for (DayOfWeek day : DayOfWeek.values()) {
      DaySelector selector = DaySelector.of(day);
      days.put(selector.word(), selector);
      days.put(selector.word().substring(0, 3), selector);
    }
    days.put("tues", DaySelector.of(DayOfWeek.TUESDAY));
    days.put("thur", DaySelector.of(DayOfWeek.THURSDAY));
    days.put("thurs", DaySelector.of(DayOfWeek.THURSDAY));
    days.put(DaySelector.WEEKEND.word(), DaySelector.WEEKEND);
    days.put(DaySelector.WEEKDAYS.word(), DaySelector.WEEKDAYS);
    return Map.copyOf(days);
  }

  private static Map<String, PartOfDay> parts() {
    Map<String, PartOfDay> parts = new HashMap<>();
    for (PartOfDay part : PartOfDay.values()) {
      parts.put(part.word(), part);
    }
    return Map.copyOf(parts);
  }
}
