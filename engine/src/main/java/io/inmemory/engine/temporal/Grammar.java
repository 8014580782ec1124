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
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * A recursive-descent parser over the words of one phrase, resolving as it reads. One instance
 * per phrase; not thread-safe.
 *
 * <pre>
 * phrase   := item+                         combined by {@link #combine}
 * item     := range | term
 * range    := (since | after | before | until | till) endpoint
 *           | between endpoint and endpoint
 *           | [from] endpoint (to | until | till | through | thru | -) endpoint
 * endpoint := term+                         up to a separator; must resolve to a period
 * term     := period | days | part
 * period   := today | yesterday | tomorrow | tonight | now | recently | lately
 *           | (this | last | next | past) cycle         "last friday", "this past weekend"
 *           | (last | next | past) count unit | past unit   rolling windows
 *           | count cycle (ago | back)                "3 days ago", "a few weeks ago"
 *           | cycle (before last | after next)        "the week before last"
 *           | unit (before | after) period            "the day before yesterday"
 *           | (earlier | later) period                "earlier this month"
 *           | (early | mid | late) (period | unit)    "early march", "the end of the month"
 *           | (first | last) unit (period | unit)     "the first week of march"
 *           | the other day | ordinal day           "the 5th": the most recent 5th
 *           | month [day] [year] | day month [year] | quarter [year] | year [month | quarter]
 *           | ISO date or date-time
 * cycle    := unit | weekday | weekend | part of the day | month | quarter
 * </pre>
 *
 * <p>Before parsing, "so far" becomes "earlier" in front of the phrase ("this week so far"), or
 * "until now" alone, and "monday to friday" gets its implied "from".
 */
final class Grammar {
  static final String FIELD = "temporal";
  static final int MAX_LENGTH = 200;
  /** Where every error points to for the whole grammar. */
  static final String ALL_FORMS = "All forms: README.md, section \"Time phrases\".";

  private static final Set<String> RANGES = Set.of("since", "after", "before", "until", "till");
  private static final Set<String> TO = Set.of("to", "until", "till", "through", "thru", "-");
  /** Separators that make a range without "from" ("monday to friday"). */
  private static final Set<String> BARE_TO = Set.of("to", "through", "thru", "-");
  private static final Set<String> AND = Set.of("and");
  private static final Set<String> AGO = Set.of("ago", "back");
  private static final Set<String> DAY_WORDS = Set.of("today", "yesterday", "tomorrow");
  private static final List<String> RANGE_EXAMPLES =
      List.of("since monday", "between march 3 and march 10", "from monday to friday");

  private final String phrase;
  private final Frame frame;
  private final List<String> words;
  private final List<String> written;
  private int pos;
  /**
   * The first day of a range while its second side is read, else {@code null}: a weekday, month
   * or quarter named there without more is the first one on or after it ("from last monday to
   * friday" is that Monday to the Friday after it, "from november to february" ends in the
   * February after that November).
   */
  private @Nullable LocalDate anchor;

  private Grammar(String phrase, Frame frame) {
    this.phrase = phrase;
    this.frame = frame;
    Words split = Words.of(phrase);
    this.words = new ArrayList<>(split.words());
    this.written = new ArrayList<>(split.written());
    for (int i = 0; i + 1 < words.size(); i++) {
      if (words.get(i).equals("so") && words.get(i + 1).equals("far")) {
        // "so far this week", "this week so far": earlier this week; alone, until now
        words.subList(i, i + 2).clear();
        written.subList(i, i + 2).clear();
        boolean alone = words.isEmpty();
        words.addAll(0, alone ? List.of("until", "now") : List.of("earlier"));
        written.addAll(0, alone ? List.of("so", "far") : List.of("so far"));
        break;
      }
    }
    if (impliesRange()) {
      words.add(0, "from");
      written.add(0, "from");
    }
  }

  /** "monday to friday" is "from monday to friday" unless a range word already opens one. */
  private boolean impliesRange() {
    boolean separator = words.stream().skip(1).anyMatch(BARE_TO::contains);
    return separator && !RANGES.contains(words.get(0))
        && words.stream().noneMatch(word -> word.equals("between") || word.equals("from"));
  }

  static TemporalExpression parse(String phrase, Frame frame) {
    if (phrase == null || phrase.isBlank()) {
      throw new InvalidRequestException(FIELD, "a time phrase is required, such as "
          + quoted(Vocabulary.closest("")) + ". " + ALL_FORMS);
    }
    if (phrase.length() > MAX_LENGTH) {
      throw new InvalidRequestException(FIELD, "unsupported time phrase \""
          + phrase.substring(0, MAX_LENGTH) + "...\": it is longer than " + MAX_LENGTH
          + " characters");
    }
    return new Grammar(phrase, frame).phrase();
  }

  private TemporalExpression phrase() {
    for (int i = 0; i < words.size(); i++) {
      if (!Vocabulary.knows(words.get(i))) {
        throw unknownWord(i);
      }
    }
    List<Term> terms = terms(false);
    if (terms.isEmpty()) {
      throw unsupported("it names no time", Vocabulary.closest(""));
    }
    Resolved resolved = combine(terms, String.join(" ", words), false);
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
        throw unsupported("a range cannot contain another range (\"" + word + "\")",
            RANGE_EXAMPLES);
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
    Resolved first = endpoint(keyword, from);
    Span span;
    List<Term> filters = new ArrayList<>(first.filters());
    switch (keyword) {
      case "since" -> span = Span.of(first.span().first(), null);
      case "after" -> span = Span.of(first.span().last(), null);
      case "before" -> span = Span.of(null, first.span().first());
      case "until", "till" -> span = Span.of(null, first.span().last());
      default -> {
        boolean between = keyword.equals("between");
        if (pos == words.size() || !(between ? AND : TO).contains(words.get(pos))) {
          String separator = between ? "and" : "to";
          throw unsupported("\"" + keyword + " " + first.text() + "\" must be followed by \""
              + separator + "\" and a second period",
              List.of(keyword + " " + first.text() + " " + separator + " today"));
        }
        Instant start = first.span().first();
        String separator = words.get(pos++);
        anchor = start == null ? null : start.atZone(frame.zone()).toLocalDate();
        Resolved second = endpoint(separator, from);
        anchor = null;
        Instant end = second.span().last();
        if (start == null || end == null || !start.isBefore(end)) {
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

  /** One side of a range, after {@code keyword}; the range began at word {@code rangeFrom}. */
  private Resolved endpoint(String keyword, int rangeFrom) {
    String lead = text(rangeFrom);
    int from = pos;
    List<Term> terms = terms(true);
    if (terms.isEmpty()) {
      throw unsupported("\"" + keyword + "\" must be followed by a period",
          List.of(lead + " yesterday", lead + " today"));
    }
    Resolved resolved = combine(terms, text(from), true);
    if (resolved.span() == null) {
      throw unsupported("\"" + keyword + " " + resolved.text() + "\" needs a period, not a "
          + "recurring time", List.of(lead + " last week", resolved.text() + " last week"));
    }
    return resolved;
  }

  /**
   * Combines the terms of a phrase: at most one period, one day selection and one part of the
   * day. Alone and singular, a day selection means its most recent occurrence (or, as the second
   * side of a range, the first on or after the {@link #anchor}); a single weekday within a period
   * that holds exactly one such day is that day; a singular part of the day on a single day is that
   * part of that day, and alone it is a recurring time of day, except as a range endpoint, which
   * needs a point in time: there it is its most recent occurrence. Anything else filters within
   * the period.
   */
  private Resolved combine(List<Term> terms, String text, boolean endpoint) {
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
      span = anchor != null ? frame.nearest(dayFilter, anchor, 1)
          : frame.nearest(dayFilter, frame.today(), -1);
      dayFilter = null;
    }
    if (span == null && !recurring && partFilter != null && endpoint) {
      span = frame.latest(partFilter);
      partFilter = null;
    }
    if (span != null && span.bounded() && dayFilter != null && !days.plural()) {
      Span only = onlyDay(span, dayFilter);
      if (only != null) {
        span = only;
        dayFilter = null;
      }
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

  private <T extends Term> T single(@Nullable T existing, T next, String what) {
    if (existing != null) {
      String both = "\"" + existing.text() + "\" and \"" + next.text() + "\"";
      List<String> examples = next instanceof Term.Period
          ? List.of("between " + existing.text() + " and " + next.text())
          : List.of(existing.text(), next.text());
      throw unsupported(both + " are two " + what + "; name one", examples);
    }
    return next;
  }

  /** The whole day of the only day in {@code span} the selector selects, or {@code null}. */
  private @Nullable Span onlyDay(Span span, DaySelector selector) {
    if (selector.days().size() != 1) {
      return null;
    }
    LocalDate first = span.start().atZone(frame.zone()).toLocalDate();
    LocalDate last = span.end().minusNanos(1).atZone(frame.zone()).toLocalDate();
    if (ChronoUnit.DAYS.between(first, last) >= 7) {
      return null;
    }
    List<LocalDate> matching = first.datesUntil(last.plusDays(1))
        .filter(day -> selector.contains(day.getDayOfWeek())).toList();
    if (matching.size() != 1) {
      return null;
    }
    Span day = frame.day(matching.get(0));
    boolean inside = !day.start().isBefore(span.start()) && !day.end().isAfter(span.end());
    return inside ? day : null;
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
    Optional<Vocabulary.Match<TemporalUnit>> unit = Vocabulary.lookup(Vocabulary.UNITS, word);
    if (unit.isPresent()) {
      String singular = unit.get().plural() ? word.substring(0, word.length() - 1) : word;
      throw unsupported("\"" + written.get(from) + "\" is a unit; say which one",
          List.of("last " + singular, "3 " + singular + "s ago", "past 3 " + singular + "s"));
    }
    Optional<Vocabulary.Count> count = Vocabulary.count(words, from);
    if (count.isPresent()) {
      throw unsupported("\"" + text(from) + "\" must be followed by a unit and \"ago\"",
          List.of("3 days ago", "a few weeks ago", "past 3 days"));
    }
    if (Vocabulary.knows(word)) {
      throw unsupported("\"" + written.get(from) + "\" is out of place here",
          TO.contains(word) || AND.contains(word) ? RANGE_EXAMPLES : Vocabulary.closest(word));
    }
    throw unknownWord(from);
  }

  private InvalidRequestException unknownWord(int index) {
    return unsupported("\"" + written.get(index) + "\" is not a word of the time grammar",
        Vocabulary.closest(words.get(index)));
  }

  /** A period starting with {@code word} (already consumed), or {@code null} if none does. */
  private @Nullable Span period(String word) {
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
      case "now":
        return frame.now();
      case "recently", "lately":
        return frame.recent();
      case "earlier", "later":
        return aroundNow(word);
      case "first":
        return ordinal(word, true);
      default:
        break;
    }
    if (Vocabulary.RELATIVE.containsKey(word)) {
      return relative(word);
    }
    Integer third = Vocabulary.THIRDS.get(word);
    if (third != null && pos < words.size()) {
      return third(word, third);
    }
    Optional<Named> named = cycle(pos - 1);
    if (named.isPresent() && !named.get().plural() && pos < words.size()
        && (words.get(pos).equals("before") || words.get(pos).equals("after"))) {
      Span shifted = shifted(named.get());
      if (shifted != null) {
        return shifted;
      }
    }
    Optional<Vocabulary.Count> count = Vocabulary.count(words, pos - 1);
    if (count.isPresent()) {
      Span ago = ago(count.get());
      if (ago != null) {
        return ago;
      }
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
    OptionalInt year = Vocabulary.year(word);
    if (year.isPresent()) {
      return yearFirst(year.getAsInt());
    }
    OptionalInt day = Vocabulary.dayOfMonth(word);
    if (day.isPresent() && pos < words.size() && Vocabulary.MONTHS.containsKey(words.get(pos))) {
      return month(Vocabulary.MONTHS.get(words.get(pos++)), day, OptionalInt.empty());
    }
    if (day.isPresent() && !Character.isDigit(word.charAt(word.length() - 1))) {
      return frame.day(frame.latestDayOfMonth(day.getAsInt())); // "the 5th"
    }
    if (word.equals("other") && pos < words.size() && words.get(pos).equals("day")) {
      pos++; // "the other day": a few days ago
      return back(frame.unit(ChronoUnit.DAYS), Vocabulary.FEW);
    }
    return null;
  }

  /** A cycle named by a word, and whether the word is plural; empty if the word names none. */
  private record Named(Cycle cycle, @Nullable TemporalUnit unit, boolean plural,
      boolean countable) {}

  private Optional<Named> cycle(int index) {
    if (index >= words.size()) {
      return Optional.empty();
    }
    String word = words.get(index);
    Optional<Vocabulary.Match<TemporalUnit>> unit = Vocabulary.lookup(Vocabulary.UNITS, word);
    if (unit.isPresent()) {
      TemporalUnit value = unit.get().value();
      return Optional.of(new Named(frame.unit(value), value, unit.get().plural(), true));
    }
    Optional<Vocabulary.Match<DaySelector>> days = Vocabulary.lookup(Vocabulary.DAYS, word);
    if (days.isPresent() && days.get().value().isWeekend()) {
      return Optional.of(new Named(frame.weekend(), null, days.get().plural(), true));
    }
    if (days.isPresent() && days.get().value().days().size() == 1) {
      DayOfWeek day = days.get().value().days().iterator().next();
      return Optional.of(new Named(frame.weekday(day), null, days.get().plural(), true));
    }
    Optional<Vocabulary.Match<PartOfDay>> part = Vocabulary.lookup(Vocabulary.PARTS, word);
    if (part.isPresent()) {
      return Optional.of(
          new Named(frame.part(part.get().value()), null, part.get().plural(), true));
    }
    Month month = Vocabulary.MONTHS.get(word);
    if (month != null) {
      return Optional.of(new Named(frame.month(month), null, false, false));
    }
    OptionalInt quarter = Vocabulary.quarter(word);
    if (quarter.isPresent()) {
      return Optional.of(new Named(frame.quarter(quarter.getAsInt()), null, false, false));
    }
    return Optional.empty();
  }

  /**
   * After "this", "last", "next" or "past": a cycle's occurrence ("last friday", "next march"),
   * or a rolling window ("past 3 days", "last 24 hours", "past week").
   */
  private Span relative(String word) {
    int from = pos - 1;
    if (word.equals("this") && pos < words.size() && words.get(pos).equals("past")) {
      pos++;
      word = "past"; // "this past weekend"
    }
    if (pos == words.size()) {
      throw unsupported("\"" + word + "\" must be followed by a unit, a weekday, \"weekend\", "
          + "a part of the day, a month or a count", relativeExamples(word));
    }
    int offset = Vocabulary.RELATIVE.get(word);
    Optional<Vocabulary.Count> count = Vocabulary.count(words, pos);
    if (count.isPresent() && offset != 0) {
      int unitAt = pos + count.get().length();
      Optional<Vocabulary.Match<TemporalUnit>> unit = unitAt < words.size()
          ? Vocabulary.lookup(Vocabulary.UNITS, words.get(unitAt)) : Optional.empty();
      if (unit.isEmpty()) {
        pos = unitAt;
        throw unsupported("\"" + text(from) + "\" must be followed by a unit",
            List.of(text(from) + " days", text(from) + " weeks"));
      }
      requireCount(count.get(), pos);
      pos = unitAt + 1;
      return frame.rolling(offset, count.get().max(), unit.get().value());
    }
    Optional<Named> named = cycle(pos);
    if (named.isPresent() && !named.get().plural()) {
      if (offset < 0 && lastOf(named.get().unit(), pos + 1)) {
        return ordinal(word, false); // "the last week of february"
      }
      pos++;
      boolean rolling = word.equals("past") && named.get().unit() != null;
      return rolling ? frame.rolling(-1, 1, named.get().unit())
          : named.get().cycle().occurrence(offset);
    }
    String next = written.get(pos);
    if (named.isPresent()) {
      String plural = words.get(pos);
      String singular = plural.substring(0, plural.length() - 1);
      throw unsupported("\"" + word + " " + next + "\" names no single period",
          List.of(word + " " + singular, named.get().unit() != null
              ? (offset == 0 ? "past" : word) + " 3 " + plural : plural));
    }
    throw unsupported("\"" + next + "\" cannot follow \"" + word + "\", which takes a unit, a "
        + "weekday, \"weekend\", a part of the day, a month or a count",
        relativeExamples(word));
  }

  private static List<String> relativeExamples(String word) {
    return word.equals("this") ? List.of("this week", "this friday", "this morning")
        : List.of(word + " week", word + " friday", word + " 3 days");
  }

  /** "3 days ago", "a few weeks ago", "two nights back"; {@code null} if no cycle follows. */
  private @Nullable Span ago(Vocabulary.Count count) {
    int from = pos - 1;
    int cycleAt = from + count.length();
    Optional<Named> named = cycle(cycleAt);
    if (named.isEmpty() || !named.get().countable()) {
      return null;
    }
    pos = cycleAt + 1;
    if (pos == words.size() || !AGO.contains(words.get(pos))) {
      throw unsupported("\"" + text(from) + "\" must be followed by \"ago\"",
          List.of(text(from) + " ago", "past " + text(from)));
    }
    pos++;
    requireCount(count, from);
    return back(named.get().cycle(), count);
  }

  /** The occurrences of a cycle {@code count} back: one, or from the farthest to the nearest. */
  private static Span back(Cycle cycle, Vocabulary.Count count) {
    if (count.min() == count.max()) {
      return cycle.occurrence(-count.min());
    }
    return Span.of(cycle.occurrence(-count.max()).start(), cycle.occurrence(-count.min()).end());
  }

  /** Whether the word at {@code index} starts a period a unit can be the first or last of. */
  private boolean startsPeriod(int index) {
    if (index >= words.size()) {
      return false;
    }
    String word = words.get(index);
    String next = index + 1 < words.size() ? words.get(index + 1) : "";
    return DAY_WORDS.contains(word) || Vocabulary.MONTHS.containsKey(word)
        || Vocabulary.quarter(word).isPresent()
        || Vocabulary.year(word).isPresent() || Vocabulary.isIsoShaped(word)
        || Vocabulary.UNITS.containsKey(word)
        || (Vocabulary.RELATIVE.containsKey(word) && (Vocabulary.UNITS.containsKey(next)
            || Vocabulary.MONTHS.containsKey(next)));
  }

  /**
   * Whether "last" and {@code unit} start "the last <unit> of <period>": the unit is a day, a week
   * or (not of a month) a month, and a period follows; "last year march" is no such thing.
   */
  private boolean lastOf(TemporalUnit unit, int index) {
    boolean shortUnit = unit == ChronoUnit.DAYS || unit == ChronoUnit.WEEKS
        || (unit == ChronoUnit.MONTHS && index < words.size()
            && !Vocabulary.MONTHS.containsKey(words.get(index)));
    return shortUnit && startsPeriod(index);
  }

  /**
   * "the first week of march" (its first seven days), "the last day of the month": the first or
   * last unit of a period; {@code word} ("first" or "last") is consumed, the unit is next.
   */
  private Span ordinal(String word, boolean first) {
    int from = pos - 1;
    Optional<Vocabulary.Match<TemporalUnit>> unit = pos < words.size()
        ? Vocabulary.lookup(Vocabulary.UNITS, words.get(pos)) : Optional.empty();
    if (unit.isEmpty() || unit.get().plural() || !startsPeriod(pos + 1)) {
      throw unsupported("\"" + word + "\" must be followed by a unit and a period",
          List.of(word + " week of march", word + " day of the month"));
    }
    pos++;
    Span span = periodOrUnit();
    if (span == null || !span.bounded()) {
      throw unsupported("\"" + text(from) + "\" needs a single period after the unit",
          List.of(word + " week of march", word + " day of last month"));
    }
    return frame.ordinal(span, unit.get().value(), first);
  }

  /** A period, or a bare unit meaning the current one ("the end of the month"); else null. */
  private @Nullable Span periodOrUnit() {
    Optional<Vocabulary.Match<TemporalUnit>> unit =
        Vocabulary.lookup(Vocabulary.UNITS, words.get(pos));
    if (unit.isPresent() && !unit.get().plural()) {
      pos++;
      return frame.calendarUnit(0, unit.get().value());
    }
    return term() instanceof Term.Period period ? period.span() : null;
  }

  private void requireCount(Vocabulary.Count count, int index) {
    if (!count.valid()) {
      throw unsupported("the count \"" + written.get(index) + "\" is out of range: counts go "
          + "from 1 to " + Vocabulary.MAX_COUNT, List.of("past 3 days", "2 weeks ago"));
    }
  }

  /**
   * A cycle followed by "before" or "after" (not yet consumed): "the week before last" is two
   * occurrences back, "the day after tomorrow" the unit after a period. {@code null} if this is
   * not such a shift ("monday before march" is a filter and a range).
   */
  private @Nullable Span shifted(Named named) {
    int from = pos - 1;
    boolean before = words.get(pos).equals("before");
    String relative = before ? "last" : "next";
    boolean last = pos + 1 < words.size() && words.get(pos + 1).equals(relative);
    if (last && (pos + 2 == words.size()
        || (cycle(pos + 2).isEmpty() && Vocabulary.count(words, pos + 2).isEmpty()))) {
      pos += 2;
      return named.cycle().occurrence(before ? -2 : 2);
    }
    if (named.unit() == null) {
      return null;
    }
    pos++;
    if (pos == words.size()) {
      throw unsupported("\"" + text(from) + "\" must be followed by a period",
          List.of("the day before yesterday", "the week before last"));
    }
    Term anchor = term();
    if (!(anchor instanceof Term.Period period) || !period.span().bounded()) {
      throw unsupported("\"" + text(from) + "\" needs a single period after \""
          + words.get(from + 1) + "\"", List.of("the day before yesterday",
          "the day after tomorrow"));
    }
    Span span = period.span();
    Instant at = before || span.instant() ? span.start() : span.end().minusNanos(1);
    return frame.calendarUnit(at, before ? -1 : 1, named.unit());
  }

  /** "earlier this month" (its start to now), "later today" (now to its end). */
  private Span aroundNow(String word) {
    int from = pos - 1;
    List<String> examples = List.of(word + " today", word + " this week", word + " this month");
    if (pos == words.size()) {
      throw unsupported("\"" + word + "\" must be followed by a period that contains now",
          examples);
    }
    Term term = term();
    Instant now = frame.reference();
    if (!(term instanceof Term.Period period) || !period.span().bounded()
        || period.span().start().isAfter(now) || !period.span().end().isAfter(now)) {
      throw unsupported("\"" + text(from) + "\": \"" + word + "\" takes a period that contains "
          + "now", examples);
    }
    Span span = period.span();
    if (word.equals("later")) {
      return Span.of(now, span.end());
    }
    if (!span.start().isBefore(now)) {
      throw impossible("nothing of \"" + term.text() + "\" is earlier than now ("
          + local(now) + ")");
    }
    return Span.of(span.start(), now);
  }

  /** "early march" (March 1-10), "mid 2023", "the end of the month" (its last third). */
  private Span third(String word, int third) {
    int from = pos - 1;
    Span span = periodOrUnit();
    Span part = span == null ? null : frame.third(span, third);
    if (part == null) {
      throw unsupported("\"" + text(from) + "\": \"" + word + "\" takes a period of at least "
          + "three whole days", List.of(word + " march", word + " last year",
          word + " this month"));
    }
    return part;
  }

  /** A month, optionally with a day after it and a year qualifier. */
  private Span month(Month month, OptionalInt day, OptionalInt year) {
    if (day.isEmpty() && pos < words.size() && (pos + 1 == words.size()
        || Vocabulary.lookup(Vocabulary.UNITS, words.get(pos + 1)).isEmpty())) {
      day = Vocabulary.dayOfMonth(words.get(pos));
      pos += day.isPresent() ? 1 : 0;
    }
    if (year.isEmpty()) {
      year = yearQualifier();
    }
    YearMonth yearMonth = YearMonth.of(
        year.orElseGet(() -> yearOf(month.getValue(), LocalDate::getMonthValue)), month);
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
    return frame.quarter(year.orElseGet(
        () -> yearOf(quarter, date -> date.get(IsoFields.QUARTER_OF_YEAR))), quarter);
  }

  /**
   * The year of a month or quarter named without one: the most recent not after the reference's,
   * or on a range's second side the first on or after the {@link #anchor}'s.
   */
  private int yearOf(int value, ToIntFunction<LocalDate> valueOf) {
    if (anchor != null) {
      return value >= valueOf.applyAsInt(anchor) ? anchor.getYear() : anchor.getYear() + 1;
    }
    LocalDate today = frame.today();
    return value <= valueOf.applyAsInt(today) ? today.getYear() : today.getYear() - 1;
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
      throw unsupported("\"" + token + "\" is not a valid ISO date-time",
          List.of("2024-03-05T10:00", "2024-03-05T10:00+01:00", "2024-03-05"));
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

  private String local(@Nullable Instant instant) {
    return instant == null ? "an open end"
        : LocalDateTime.ofInstant(instant, frame.zone()).toString();
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

  /**
   * A phrase the grammar cannot read: the detail names the word and why, then up to three
   * supported phrases close to what was written; the whole grammar is in the README.
   */
  private InvalidRequestException unsupported(String detail, List<String> examples) {
    return new InvalidRequestException(FIELD, "unsupported time phrase \"" + phrase + "\": "
        + detail + ". Closest forms: " + quoted(examples) + ". " + ALL_FORMS);
  }

  private static String quoted(List<String> examples) {
    return examples.stream().map(example -> "\"" + example + "\"")
        .collect(Collectors.joining(", "));
  }

  private InvalidRequestException impossible(String detail) {
    return new InvalidRequestException(FIELD,
        "impossible time phrase \"" + phrase + "\": " + detail);
  }

  /** Terms combined: a period (or {@code null} for all time) and the filters left over. */
  private record Resolved(@Nullable Span span, @Nullable DaySelector days,
      @Nullable PartOfDay part, String text) {
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
