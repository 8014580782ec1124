package io.inmemory.engine.temporal;

import java.time.DayOfWeek;
import java.time.Month;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The words of the temporal grammar. Stateless. */
final class Vocabulary {
  /** A word found in a dictionary, and whether it was written in the plural ("mondays"). */
  record Match<T>(T value, boolean plural) {}

  /**
   * A count of units read from {@code length} words: exact ({@code min == max}) or vague ("a few"
   * is 2 to 4). Digits outside the accepted range are read too, so that the error can name them.
   */
  record Count(long min, long max, int length) {
    boolean valid() {
      return min >= 1 && max <= MAX_COUNT;
    }
  }

  static final int MAX_COUNT = 9999;
  static final Map<String, Month> MONTHS = months();
  static final Map<String, DaySelector> DAYS = days();
  static final Map<String, PartOfDay> PARTS = parts();
  static final Map<String, TemporalUnit> UNITS = Map.ofEntries(
      Map.entry("minute", ChronoUnit.MINUTES), Map.entry("min", ChronoUnit.MINUTES),
      Map.entry("m", ChronoUnit.MINUTES),
      Map.entry("hour", ChronoUnit.HOURS), Map.entry("hr", ChronoUnit.HOURS),
      Map.entry("h", ChronoUnit.HOURS),
      Map.entry("day", ChronoUnit.DAYS), Map.entry("d", ChronoUnit.DAYS),
      Map.entry("week", ChronoUnit.WEEKS), Map.entry("wk", ChronoUnit.WEEKS),
      Map.entry("w", ChronoUnit.WEEKS),
      Map.entry("month", ChronoUnit.MONTHS), Map.entry("mo", ChronoUnit.MONTHS),
      Map.entry("quarter", IsoFields.QUARTER_YEARS),
      Map.entry("year", ChronoUnit.YEARS), Map.entry("yr", ChronoUnit.YEARS),
      Map.entry("y", ChronoUnit.YEARS));
  /** The offset each relative word applies; "past" is "last" except before a unit. */
  static final Map<String, Integer> RELATIVE = Map.of("this", 0, "last", -1, "past", -1, "next", 1);
  /** Which third of a period each word names: "early march", "the end of the month". */
  static final Map<String, Integer> THIRDS = Map.of("early", 0, "beginning", 0, "start", 0,
      "mid", 1, "middle", 1, "late", 2, "end", 2);

  private static final List<String> ONES = List.of("zero", "one", "two", "three", "four", "five",
      "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen",
      "fifteen", "sixteen", "seventeen", "eighteen", "nineteen");
  private static final List<String> TENS = List.of("", "", "twenty", "thirty", "forty", "fifty",
      "sixty", "seventy", "eighty", "ninety");
  /** "a few", "few": 2 to 4. */
  static final Count FEW = new Count(2, 4, 1);
  /** Collective and vague counts, each one word. */
  private static final Map<String, Count> VAGUE = Map.of(
      "couple", new Count(2, 2, 1), "few", FEW, "several", new Count(3, 7, 1),
      "dozen", new Count(12, 12, 1), "hundred", new Count(100, 100, 1));
  private static final Pattern INTEGER = Pattern.compile("[-+]?\\d+");
  private static final Pattern YEAR = Pattern.compile("\\d{4}");
  private static final Pattern DAY_OF_MONTH = Pattern.compile("(\\d{1,2})(st|nd|rd|th)?");
  private static final Pattern QUARTER = Pattern.compile("q([1-4])");
  private static final Pattern ISO =
      Pattern.compile("\\d{4}-\\d{2}(-\\d{2}(t.+)?)?", Pattern.CASE_INSENSITIVE);
  /** A known word and a phrase showing it in use, for suggestions. */
  private static final Map<String, String> EXAMPLES = examples();
  /** Words that only join others: range separators and "ago"'s synonym. */
  private static final Set<String> CONNECTORS =
      Set.of("and", "to", "till", "through", "thru", "-", "back");
  private static final List<String> GENERAL_EXAMPLES =
      List.of("yesterday", "last week", "3 days ago", "since monday");

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

  /**
   * A count starting at {@code words[index]}: digits (any integer, checked by the caller), number
   * words up to "ninety-nine", "a"/"an" (one), "a couple" (two), "a dozen", "a hundred", and the
   * vague "a few" (2 to 4) and "several" (3 to 7).
   */
  static Optional<Count> count(List<String> words, int index) {
    if (index >= words.size()) {
      return Optional.empty();
    }
    String word = words.get(index);
    String next = index + 1 < words.size() ? words.get(index + 1) : "";
    if (word.equals("a") || word.equals("an")) {
      Count vague = VAGUE.get(next);
      return Optional.of(vague == null ? new Count(1, 1, 1)
          : new Count(vague.min(), vague.max(), 2));
    }
    if (VAGUE.containsKey(word)) {
      return Optional.of(VAGUE.get(word));
    }
    int ones = ONES.indexOf(word);
    if (ones >= 0) {
      return Optional.of(new Count(ones, ones, 1));
    }
    int tens = TENS.indexOf(word);
    if (tens >= 2) {
      int unit = ONES.indexOf(next);
      boolean compound = unit >= 1 && unit <= 9;
      long value = tens * 10L + (compound ? unit : 0);
      return Optional.of(new Count(value, value, compound ? 2 : 1));
    }
    if (INTEGER.matcher(word).matches()) {
      long value = word.replaceFirst("^[-+]?0*", "").length() > 12
          ? Long.MAX_VALUE * (word.startsWith("-") ? -1 : 1) : Long.parseLong(word);
      return Optional.of(new Count(value, value, 1));
    }
    return Optional.empty();
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

  /** Whether the grammar has any use for {@code word}, wherever it stands. */
  static boolean knows(String word) {
    String singular = word.endsWith("s") ? word.substring(0, word.length() - 1) : word;
    return EXAMPLES.containsKey(word) || EXAMPLES.containsKey(singular)
        || lookup(UNITS, word).isPresent()
        || CONNECTORS.contains(word) || count(List.of(word), 0).isPresent()
        || dayOfMonth(word).isPresent() || isIsoShaped(word);
  }

  /**
   * Up to three phrases showing the known words closest in spelling to {@code word} (at most two
   * edits away, one for short words), or general examples when none is that close.
   */
  static List<String> closest(String word) {
    String singular = word.length() > 3 && word.endsWith("s")
        ? word.substring(0, word.length() - 1) : word;
    int allowed = singular.length() <= 4 ? 1 : 2;
    List<Map.Entry<String, Integer>> near = new ArrayList<>();
    for (String known : EXAMPLES.keySet()) {
      int distance = distance(singular, known);
      if (distance <= allowed) {
        near.add(Map.entry(known, distance));
      }
    }
    if (near.isEmpty()) {
      return GENERAL_EXAMPLES;
    }
    near.sort(Comparator.comparingInt(Map.Entry<String, Integer>::getValue)
        .thenComparing(Map.Entry::getKey));
    return near.stream().map(e -> EXAMPLES.get(e.getKey())).distinct().limit(3).toList();
  }

  /** Optimal string alignment distance: insertions, deletions, substitutions, transpositions. */
  private static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      for (int j = 0; j <= b.length(); j++) {
        if (i == 0 || j == 0) {
          d[i][j] = i + j;
          continue;
        }
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }

  private static Map<String, String> examples() {
    Map<String, String> examples = new LinkedHashMap<>();
    for (String word : List.of("today", "yesterday", "tomorrow", "tonight", "recently",
        "lately")) {
      examples.put(word, word);
    }
    examples.put("now", "until now");
    examples.put("this", "this week");
    examples.put("last", "last week");
    examples.put("next", "next month");
    examples.put("past", "past 3 days");
    examples.put("ago", "3 days ago");
    examples.put("before", "the day before yesterday");
    examples.put("after", "after march");
    examples.put("since", "since monday");
    examples.put("until", "until yesterday");
    examples.put("between", "between march 3 and march 10");
    examples.put("from", "from monday to friday");
    examples.put("earlier", "earlier this month");
    examples.put("later", "later today");
    THIRDS.keySet().stream().sorted()
        .forEach(word -> examples.put(word, word + (word.length() > 5 ? " of march" : " march")));
    UNITS.keySet().stream().filter(word -> word.length() > 2)
        .forEach(word -> examples.put(word, "last " + word));
    examples.put("day", "the day before yesterday");
    examples.put("hour", "past 3 hours");
    examples.put("minute", "past 30 minutes");
    DAYS.forEach((word, days) -> examples.put(word, "last " + word));
    examples.put(DaySelector.WEEKDAYS.word(), "weekdays");
    PARTS.forEach((word, part) -> examples.put(word, "yesterday " + word));
    examples.put("night", "last night");
    MONTHS.forEach((word, month) -> examples.put(word, word + " 3"));
    for (int quarter = 1; quarter <= 4; quarter++) {
      examples.put("q" + quarter, "q" + quarter + " 2024");
    }
    examples.put("first", "the first week of march");
    examples.put("other", "the other day");
    examples.put("so", "so far this week");
    examples.put("far", "so far this week");
    examples.put("couple", "a couple of days ago");
    examples.put("few", "a few days ago");
    examples.put("several", "several weeks ago");
    return Map.copyOf(examples);
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
