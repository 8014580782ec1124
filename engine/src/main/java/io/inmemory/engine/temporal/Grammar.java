package io.inmemory.engine.temporal;

import io.inmemory.InvalidRequestException;
import io.inmemory.TimeRange;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.YearMonth;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.TextStyle;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A recursive-descent parser over the words of one phrase, resolving as it reads. One instance
 * per phrase; not thread-safe.
 *
 * <pre>
 * phrase   := item+                       combined by {@link #combine}
 * item     := range | term
 * range    := (since | after | before | until | till) endpoint
 *           | between endpoint and endpoint
 *           | from endpoint (to | until | till | through) endpoint
 * endpoint := term+                       up to a separator; must resolve to a period
 * term     := period | days | part
 * </pre>
 */
final class Grammar {
  static final String FIELD = "temporal";
  static final int MAX_LENGTH = 200;

  private static final Set<String> FILLERS =
      Set.of("the", "during", "in", "on", "at", "of", "for", "over", "within");
  private static final Set<String> RANGES = Set.of("since", "after", "before", "until", "till");
  private static final Set<String> TO = Set.of("to", "until", "till", "through", "thru");
  private static final Set<String> AND = Set.of("and");
  private static final String FORMS = String.join("; ", List.of(
      "today, yesterday, tomorrow, tonight",
      "this|last|next day|week|month|quarter|year, the calendar unit (\"last week\", "
          + "\"this month\")",
      "past N units, last|next N units: a rolling window from now (\"past 3 days\", "
          + "\"last 24 hours\", \"past week\"; units: minutes, hours, days, weeks, months, "
          + "quarters, years)",
      "N units ago, the whole unit (\"3 days ago\", \"a week ago\", \"two months ago\")",
      "weekday names (\"monday\", \"last friday\", \"mondays\")",
      "weekend, weekends, weekdays (\"the weekend\", \"last weekend\", \"weekends in march\")",
      "morning, afternoon, evening, night (\"this morning\", \"yesterday evening\", "
          + "\"last night\", \"evenings last week\")",
      "months (\"march\", \"mar 2024\", \"march 3\", \"3rd march 2024\", \"march last year\")",
      "quarters (\"q3\", \"q3 2024\", \"2024 q3\", \"q1 last year\")",
      "years (\"2023\")",
      "ISO dates and times (\"2024-03\", \"2024-03-05\", \"2024-03-05T10:00\", "
          + "\"2024-03-05T10:00+01:00\")",
      "ranges of any of these (\"since monday\", \"after march\", \"before 2024\", "
          + "\"until yesterday\", \"between march 3 and march 10\", "
          + "\"from last monday to friday\")"));

  private final String phrase;
  private final Frame frame;
  private final List<String> words = new ArrayList<>();
  private final List<String> written = new ArrayList<>();
  private int pos;

  private Grammar(String phrase, Frame frame) {
    this.phrase = phrase;
    this.frame = frame;
    for (String token : spaced(phrase).trim().split("[\\s,]+")) {
      String word = Vocabulary.isIsoShaped(token) ? isoCase(token) : token.toLowerCase(Locale.ROOT);
      if (!word.isEmpty() && !FILLERS.contains(word)) {
        words.add(word);
        written.add(token);
      }
    }
  }

  /** Underscores separate words, except inside a bracketed zone id ("[America/New_York]"). */
  private static String spaced(String phrase) {
    StringBuilder spaced = new StringBuilder(phrase.length());
    boolean inZone = false;
    for (char c : phrase.toCharArray()) {
      inZone = c == '[' || (inZone && c != ']');
      spaced.append(c == '_' && !inZone ? ' ' : c);
    }
    return spaced.toString();
  }

  /** ISO date-times in upper case ("2024-03-05T10:00Z"), except a bracketed zone id. */
  private static String isoCase(String token) {
    int bracket = token.indexOf('[');
    return bracket < 0 ? token.toUpperCase(Locale.ROOT)
        : token.substring(0, bracket).toUpperCase(Locale.ROOT) + token.substring(bracket);
  }

  static TemporalExpression parse(String phrase, Frame frame) {
    if (phrase == null || phrase.isBlank()) {
      throw new InvalidRequestException(FIELD,
          "a time phrase is required. Supported forms: " + FORMS);
    }
    if (phrase.length() > MAX_LENGTH) {
      throw new InvalidRequestException(FIELD, "unsupported time phrase \""
          + phrase.substring(0, MAX_LENGTH) + "...\": it is longer than " + MAX_LENGTH
          + " characters");
    }
    return new Grammar(phrase, frame).phrase();
  }

  private TemporalExpression phrase() {
    List<Term> terms = terms(false);
    if (terms.isEmpty()) {
      throw unsupported("it names no time");
    }
    Resolved resolved = combine(terms, String.join(" ", words));
    Span span = resolved.span();
    TimeRange bounds =
        span == null ? new TimeRange(null, null) : new TimeRange(span.start(), span.end());
    Set<DayOfWeek> days = resolved.days() == null ? Set.of() : resolved.days().days();
    return new TemporalExpression(bounds, days, resolved.part(), frame.zone(), describe(resolved));
  }

  private List<Term> terms(boolean endpoint) {
    List<Term> terms = new ArrayList<>();
    while (pos < words.size()) {
      String word = words.get(pos);
      boolean range = RANGES.contains(word) || word.equals("between")
          || (word.equals("from") && separatorAhead());
      if (endpoint && (TO.contains(word) || AND.contains(word))) {
        break;
      } else if (range && endpoint) {
        throw unsupported("a range cannot contain another range (\"" + word + "\")");
      } else if (range) {
        terms.addAll(range());
      } else if (word.equals("from")) {
        pos++; // "memories from last week": a filler unless a "to" follows
      } else {
        terms.add(term());
      }
    }
    return terms;
  }

  private boolean separatorAhead() {
    return words.subList(pos + 1, words.size()).stream().anyMatch(TO::contains);
  }

  private List<Term> range() {
    int from = pos;
    String keyword = words.get(pos++);
    Resolved first = endpoint(keyword);
    Span span;
    List<Term> filters = new ArrayList<>(first.filters());
    switch (keyword) {
      case "since" -> span = Span.of(first.span().first(), null);
      case "after" -> span = Span.of(first.span().last(), null);
      case "before" -> span = Span.of(null, first.span().first());
      case "until", "till" -> span = Span.of(null, first.span().last());
      default -> {
        Set<String> separators = keyword.equals("between") ? AND : TO;
        if (pos == words.size() || !separators.contains(words.get(pos))) {
          throw unsupported("\"" + keyword + " " + first.text() + "\" must be followed by \""
              + (keyword.equals("between") ? "and" : "to") + "\" and a second period");
        }
        Resolved second = endpoint(words.get(pos++));
        Instant start = first.span().first();
        Instant end = second.span().last();
        if (!start.isBefore(end)) {
          throw impossible("the range is empty: \"" + first.text() + "\" starts at " + local(start)
              + ", which is not before the end of \"" + second.text() + "\" at " + local(end));
        }
        span = Span.of(start, end);
        filters.addAll(second.filters());
      }
    }
    List<Term> terms = new ArrayList<>();
    terms.add(new Term.Period(span, text(from)));
    terms.addAll(filters);
    return terms;
  }

  private Resolved endpoint(String keyword) {
    int from = pos;
    List<Term> terms = terms(true);
    if (terms.isEmpty()) {
      throw unsupported("\"" + keyword + "\" must be followed by a period, e.g. \"" + keyword
          + " last week\"");
    }
    Resolved resolved = combine(terms, text(from));
    if (resolved.span() == null) {
      throw unsupported("\"" + keyword + " " + resolved.text() + "\" needs a period, not a "
          + "recurring time, e.g. \"" + keyword + " last week\"");
    }
    return resolved;
  }

  /**
   * Combines the terms of a phrase: at most one period, one day selection and one part of the
   * day. Alone and singular, a day selection or part means its most recent occurrence; a singular
   * part on a single day means that part of that day; anything else filters within the period.
   */
  private Resolved combine(List<Term> terms, String text) {
    Term.Period period = null;
    Term.Days days = null;
    Term.Part part = null;
    for (Term term : terms) {
      if (term instanceof Term.Period p) {
        period = single(period, p, "periods");
      } else if (term instanceof Term.Days d) {
        days = single(days, d, "day selections");
      } else {
        part = single(part, (Term.Part) term, "parts of the day");
      }
    }
    boolean recurring = (days != null && days.plural()) || (part != null && part.plural());
    Span span = period == null ? null : period.span();
    DaySelector dayFilter = days == null ? null : days.selector();
    PartOfDay partFilter = part == null ? null : part.part();
    if (span == null && !recurring && dayFilter != null) {
      span = frame.latest(dayFilter);
      dayFilter = null;
    }
    if (span == null && !recurring && partFilter != null) {
      span = frame.latest(partFilter);
      partFilter = null;
    }
    if (span != null && span.day() != null && partFilter != null && !part.plural()) {
      span = frame.part(span.day(), partFilter);
      partFilter = null;
    }
    if (span != null && span.bounded() && dayFilter != null) {
      requireSomeDay(span, dayFilter, text);
    }
    return new Resolved(span, dayFilter, partFilter, text);
  }

  private <T extends Term> T single(T existing, T next, String what) {
    if (existing != null) {
      String both = "\"" + existing.text() + "\" and \"" + next.text() + "\"";
      String range = next instanceof Term.Period
          ? ", or a range such as \"between " + existing.text() + " and " + next.text() + "\"" : "";
      throw unsupported(both + " are two " + what + "; name one" + range);
    }
    return next;
  }

  private void requireSomeDay(Span span, DaySelector selector, String text) {
    LocalDate last = span.end().minusNanos(1).atZone(frame.zone()).toLocalDate();
    LocalDate day = span.start().atZone(frame.zone()).toLocalDate();
    for (int i = 0; i < 7 && !day.isAfter(last); i++, day = day.plusDays(1)) {
      if (selector.contains(day.getDayOfWeek())) {
        return;
      }
    }
    throw impossible("\"" + text + "\" never matches: it selects " + selector.word() + "s, but "
        + local(span.start()) + " to " + local(span.end()) + " has none");
  }

  private Term term() {
    int from = pos;
    String word = words.get(pos++);
    Span span = period(word);
    if (span != null) {
      return new Term.Period(span, text(from));
    }
    Optional<Vocabulary.Match<DaySelector>> days = Vocabulary.lookup(Vocabulary.DAYS, word);
    if (days.isPresent()) {
      return new Term.Days(days.get().value(), days.get().plural(), word);
    }
    Optional<Vocabulary.Match<PartOfDay>> part = Vocabulary.lookup(Vocabulary.PARTS, word);
    if (part.isPresent()) {
      return new Term.Part(part.get().value(), part.get().plural(), word);
    }
    throw unsupported("\"" + written.get(from) + "\" is not understood");
  }

  /** A period starting with {@code word} (already consumed), or {@code null} if none does. */
  private Span period(String word) {
    LocalDate today = frame.today();
    switch (word) {
      case "today":
        return frame.day(today);
      case "yesterday":
        return frame.day(today.minusDays(1));
      case "tomorrow":
        return frame.day(today.plusDays(1));
      case "tonight":
        return frame.part(today, PartOfDay.NIGHT);
      case "this", "last", "next":
        return relative(word);
      case "past":
        return rolling(-1, optionalCount().orElse(1), word);
      default:
        break;
    }
    Month month = Vocabulary.MONTHS.get(word);
    if (month != null) {
      return month(month, OptionalInt.empty(), OptionalInt.empty());
    }
    OptionalInt quarter = Vocabulary.quarter(word);
    if (quarter.isPresent()) {
      return quarter(quarter.getAsInt(), yearQualifier());
    }
    if (Vocabulary.isIsoShaped(word)) {
      return iso(word);
    }
    OptionalInt count = Vocabulary.count(word);
    if (count.isPresent() && unitAt(pos).isPresent()) {
      return ago(count.getAsInt());
    }
    OptionalInt year = Vocabulary.year(word);
    if (year.isPresent()) {
      return yearFirst(year.getAsInt());
    }
    OptionalInt day = Vocabulary.dayOfMonth(word);
    if (day.isPresent() && pos < words.size() && Vocabulary.MONTHS.containsKey(words.get(pos))) {
      return month(Vocabulary.MONTHS.get(words.get(pos++)), day, OptionalInt.empty());
    }
    return null;
  }

  /** After "this", "last" or "next". */
  private Span relative(String word) {
    int offset = Vocabulary.RELATIVE.get(word);
    if (pos == words.size()) {
      throw unsupported("\"" + word + "\" must be followed by a unit, a weekday, \"weekend\" or "
          + "a part of the day");
    }
    String next = words.get(pos);
    if (offset != 0 && Vocabulary.count(next).isPresent() && unitAt(pos + 1).isPresent()) {
      return rolling(offset, optionalCount().getAsInt(), word);
    }
    TemporalUnit unit = Vocabulary.UNITS.get(next);
    DaySelector days = Vocabulary.DAYS.get(next);
    PartOfDay part = Vocabulary.PARTS.get(next);
    pos++;
    if (unit != null) {
      return frame.calendarUnit(offset, unit);
    } else if (days != null && days.isWeekend()) {
      return frame.weekend(offset);
    } else if (days != null && days.days().size() == 1) {
      return frame.day(frame.weekdayOfWeek(offset, days.days().iterator().next()));
    } else if (part != null) {
      return frame.part(frame.today().plusDays(offset), part);
    }
    throw unsupported("\"" + word + " " + written.get(pos - 1) + "\" is not understood");
  }

  private OptionalInt optionalCount() {
    OptionalInt count = pos < words.size() ? Vocabulary.count(words.get(pos)) : OptionalInt.empty();
    if (count.isPresent()) {
      pos++;
    }
    return count;
  }

  private Optional<TemporalUnit> unitAt(int index) {
    return index < words.size()
        ? Vocabulary.lookup(Vocabulary.UNITS, words.get(index)).map(Vocabulary.Match::value)
        : Optional.empty();
  }

  private Span rolling(int direction, int count, String keyword) {
    TemporalUnit unit = unitAt(pos).orElseThrow(() -> unsupported("\"" + keyword
        + "\" must be followed by a unit, e.g. \"" + keyword + " 3 days\""));
    pos++;
    return frame.rolling(direction, count, unit);
  }

  private Span ago(int count) {
    TemporalUnit unit = unitAt(pos++).orElseThrow();
    if (pos == words.size() || !words.get(pos).equals("ago")) {
      throw unsupported(
          "\"" + text(pos - 2) + "\" must be followed by \"ago\", e.g. \"3 days ago\"");
    }
    pos++;
    return frame.calendarUnit(-count, unit);
  }

  /** A month, optionally with a day after it and a year qualifier. */
  private Span month(Month month, OptionalInt day, OptionalInt year) {
    if (day.isEmpty() && pos < words.size() && unitAt(pos + 1).isEmpty()) {
      day = Vocabulary.dayOfMonth(words.get(pos));
      pos += day.isPresent() ? 1 : 0;
    }
    if (year.isEmpty()) {
      year = yearQualifier();
    }
    LocalDate today = frame.today();
    YearMonth yearMonth = YearMonth.of(year.orElse(month.getValue() <= today.getMonthValue()
        ? today.getYear() : today.getYear() - 1), month);
    if (day.isEmpty()) {
      return frame.month(yearMonth);
    }
    int dayOfMonth = day.getAsInt();
    if (!yearMonth.isValidDay(dayOfMonth)) {
      String date = month.getDisplayName(TextStyle.FULL, Locale.ENGLISH) + " " + dayOfMonth;
      throw impossible(date + " does not exist"
          + (dayOfMonth <= month.maxLength() ? " in " + yearMonth.getYear() : ""));
    }
    return frame.day(yearMonth.atDay(dayOfMonth));
  }

  private Span quarter(int quarter, OptionalInt year) {
    LocalDate today = frame.today();
    int current = today.get(IsoFields.QUARTER_OF_YEAR);
    return frame.quarter(year.orElse(quarter <= current ? today.getYear() : today.getYear() - 1),
        quarter);
  }

  /** An optional year after a month or quarter: "2024" or "this|last|next year". */
  private OptionalInt yearQualifier() {
    if (pos < words.size()) {
      OptionalInt year = Vocabulary.year(words.get(pos));
      if (year.isPresent()) {
        pos++;
        return year;
      }
      Integer offset = Vocabulary.RELATIVE.get(words.get(pos));
      if (offset != null && pos + 1 < words.size() && words.get(pos + 1).equals("year")) {
        pos += 2;
        return OptionalInt.of(frame.today().getYear() + offset);
      }
    }
    return OptionalInt.empty();
  }

  /** A year, or a year before a month ("2024 march") or quarter ("2024 q3"). */
  private Span yearFirst(int year) {
    String next = pos < words.size() ? words.get(pos) : "";
    Month month = Vocabulary.MONTHS.get(next);
    OptionalInt quarter = Vocabulary.quarter(next);
    if (month != null) {
      pos++;
      return month(month, OptionalInt.empty(), OptionalInt.of(year));
    } else if (quarter.isPresent()) {
      pos++;
      return quarter(quarter.getAsInt(), OptionalInt.of(year));
    }
    return frame.year(year);
  }

  private Span iso(String token) {
    if (token.length() > 10) {
      return isoDateTime(token);
    }
    try {
      return token.length() == 7
          ? frame.month(YearMonth.parse(token)) : frame.day(LocalDate.parse(token));
    } catch (DateTimeParseException e) {
      throw impossible("\"" + token + "\" is not a valid date");
    }
  }

  /** A single instant, local to the zone unless it names an offset or zone. */
  private Span isoDateTime(String token) {
    TemporalAccessor parsed;
    try {
      parsed = DateTimeFormatter.ISO_DATE_TIME
          .parseBest(token, ZonedDateTime::from, LocalDateTime::from);
    } catch (DateTimeParseException e) {
      throw unsupported("\"" + token + "\" is not a valid ISO date-time such as 2024-03-05T10:00 "
          + "or 2024-03-05T10:00+01:00");
    }
    Instant start = parsed instanceof ZonedDateTime zoned
        ? zoned.toInstant() : frame.at((LocalDateTime) parsed);
    boolean seconds = token.length() > 16 && token.charAt(16) == ':';
    Instant end = start.plus(1, seconds ? ChronoUnit.SECONDS : ChronoUnit.MINUTES);
    return new Span(start, end, null, true);
  }

  private String text(int from) {
    return String.join(" ", words.subList(from, pos));
  }

  private String local(Instant instant) {
    return LocalDateTime.ofInstant(instant, frame.zone()).toString();
  }

  private String describe(Resolved resolved) {
    StringBuilder description = new StringBuilder(resolved.text()).append(": ");
    Span span = resolved.span();
    if (span == null) {
      description.append("any time");
    } else if (span.start() == null) {
      description.append("before ").append(local(span.end()));
    } else if (span.end() == null) {
      description.append("from ").append(local(span.start())).append(" on");
    } else {
      description.append(local(span.start())).append(" to ").append(local(span.end()));
    }
    description.append(" (").append(frame.zone()).append(')');
    if (resolved.days() != null) {
      description.append(", ").append(resolved.days().word()).append("s only");
    }
    if (resolved.part() != null) {
      description.append(", ").append(resolved.part().label()).append(" only");
    }
    return description.toString();
  }

  private InvalidRequestException unsupported(String detail) {
    return new InvalidRequestException(FIELD, "unsupported time phrase \"" + phrase + "\": "
        + detail + ". Supported forms: " + FORMS);
  }

  private InvalidRequestException impossible(String detail) {
    return new InvalidRequestException(FIELD,
        "impossible time phrase \"" + phrase + "\": " + detail);
  }

  /** Terms combined: a period (or {@code null} for all time) and the filters left over. */
  private record Resolved(Span span, DaySelector days, PartOfDay part, String text) {
    /** The filters as plural terms, carried from a range endpoint to the whole phrase. */
    List<Term> filters() {
      List<Term> filters = new ArrayList<>();
      if (days != null) {
        filters.add(new Term.Days(days, true, days.word() + "s"));
      }
      if (part != null) {
        filters.add(new Term.Part(part, true, part.word() + "s"));
      }
      return filters;
    }
  }
}
