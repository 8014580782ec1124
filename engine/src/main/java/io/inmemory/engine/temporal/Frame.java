package io.inmemory.engine.temporal;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Month;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.time.temporal.TemporalUnit;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * Calendar arithmetic around one reference instant in one zone. Periods are computed on local
 * dates and times and converted to instants in the zone, so a day across a DST change lasts 23
 * or 25 hours. Immutable. Any method may throw {@link java.time.DateTimeException} or {@link
 * ArithmeticException} when a period lies beyond the dates Java can represent, which happens only
 * for references near the ends of the time-line.
 */
final class Frame {
  private final Instant reference;
  private final ZoneId zone;
  private final DayOfWeek weekStart;
  private final int recentDays;
  private final LocalDate today;

  /**
   * @throws java.time.DateTimeException if the reference has no local date in the zone (beyond
   *     the years -999999999 to 999999999)
   */
  Frame(Instant reference, ZoneId zone, DayOfWeek weekStart, int recentDays) {
    this.reference = reference;
    this.zone = zone;
    this.weekStart = weekStart;
    this.recentDays = recentDays;
    this.today = reference.atZone(zone).toLocalDate();
  }

  ZoneId zone() {
    return zone;
  }

  Instant reference() {
    return reference;
  }

  /** The reference as a single instant: "now". */
  Span now() {
    return new Span(reference, reference.plusMillis(1), null, true);
  }

  /** What "recently" means: the configured number of days back from the reference. */
  Span recent() {
    return rolling(-1, recentDays, ChronoUnit.DAYS);
  }

  LocalDate today() {
    return today;
  }

  Instant at(LocalDateTime localTime) {
    return localTime.atZone(zone).toInstant();
  }

  Span day(LocalDate date) {
    return new Span(startOf(date), startOf(date.plusDays(1)), date, false);
  }

  /** The days {@code [first, end)}. */
  Span days(LocalDate first, LocalDate end) {
    return first.plusDays(1).equals(end) ? day(first) : Span.of(startOf(first), startOf(end));
  }

  Span month(YearMonth month) {
    return days(month.atDay(1), month.plusMonths(1).atDay(1));
  }

  Span quarter(int year, int quarter) {
    LocalDate first = LocalDate.of(year, 3 * quarter - 2, 1);
    return days(first, first.plusMonths(3));
  }

  Span year(int year) {
    return days(LocalDate.of(year, 1, 1), LocalDate.of(year + 1, 1, 1));
  }

  /**
   * The whole calendar unit (clock minute or hour, day, week, month, quarter, year) that contains
   * the reference shifted by {@code offset} units: 0 is this one, -1 the previous one.
   */
  Span calendarUnit(long offset, TemporalUnit unit) {
    return calendarUnit(reference, offset, unit);
  }

  /** The whole calendar unit that contains {@code at} shifted by {@code offset} units. */
  Span calendarUnit(Instant at, long offset, TemporalUnit unit) {
    ZonedDateTime shifted = at.atZone(zone).plus(offset, unit);
    if (unit.isTimeBased()) {
      ZonedDateTime start = shifted.truncatedTo(unit);
      return Span.of(start.toInstant(), start.plus(1, unit).toInstant());
    }
    LocalDate date = shifted.toLocalDate();
    LocalDate first;
    if (unit == ChronoUnit.DAYS) {
      first = date;
    } else if (unit == ChronoUnit.WEEKS) {
      first = date.with(TemporalAdjusters.previousOrSame(weekStart));
    } else if (unit == ChronoUnit.MONTHS) {
      first = date.withDayOfMonth(1);
    } else if (unit == IsoFields.QUARTER_YEARS) {
      first = date.with(IsoFields.DAY_OF_QUARTER, 1);
    } else {
      first = date.withDayOfYear(1);
    }
    return days(first, first.plus(1, unit));
  }

  /** {@code count} units back from the reference (direction -1) or forward from it (+1). */
  Span rolling(int direction, long count, TemporalUnit unit) {
    Instant other = reference.atZone(zone).plus(direction * count, unit).toInstant();
    return direction < 0 ? Span.of(other, reference) : Span.of(reference, other);
  }

  Cycle unit(TemporalUnit unit) {
    return offset -> calendarUnit(offset, unit);
  }

  /**
   * A weekday: "this friday" (0) is the Friday of the current week by the week start; "last
   * friday" (-1) the most recent Friday before today, however early in the week today is; "next
   * friday" (+1) the Friday of next week. Further offsets step by weeks from these.
   */
  Cycle weekday(DayOfWeek day) {
    return offset -> {
      LocalDate date;
      if (offset < 0) {
        date = today.with(TemporalAdjusters.previous(day)).plusWeeks(offset + 1);
      } else {
        date = today.with(TemporalAdjusters.previousOrSame(weekStart)).plusWeeks(offset)
            .with(TemporalAdjusters.nextOrSame(day));
      }
      return day(date);
    };
  }

  Cycle weekend() {
    return this::weekend;
  }

  /** A part of the day: this, last and next are that part of today, yesterday and tomorrow. */
  Cycle part(PartOfDay part) {
    return offset -> part(today.plusDays(offset), part);
  }

  /**
   * A month of the year: "this march" (0) is March of the current year, "last march" (-1) the
   * most recent March before the current month, "next march" (+1) the first March after it.
   */
  Cycle month(Month month) {
    return yearly(month.getValue(), today.getMonthValue(),
        year -> month(YearMonth.of(year, month)));
  }

  /** A quarter of the year, counted like {@link #month(Month)}. */
  Cycle quarter(int quarter) {
    return yearly(quarter, today.get(IsoFields.QUARTER_OF_YEAR), year -> quarter(year, quarter));
  }

  private Cycle yearly(int value, int current, IntFunction<Span> inYear) {
    return offset -> {
      long year = today.getYear();
      if (offset < 0) {
        year += (value < current ? 0 : -1) + offset + 1;
      } else if (offset > 0) {
        year += (value > current ? 0 : 1) + offset - 1;
      }
      return inYear.apply(Math.toIntExact(year));
    };
  }

  /**
   * A Saturday-Sunday weekend: offset 0 is the weekend containing today, or the coming one on a
   * weekday; -1 the one before it, +1 the one after.
   */
  Span weekend(long offset) {
    boolean inWeekend = DaySelector.WEEKEND.contains(today.getDayOfWeek());
    LocalDate saturday = inWeekend
        ? today.with(TemporalAdjusters.previousOrSame(DayOfWeek.SATURDAY))
        : today.with(TemporalAdjusters.next(DayOfWeek.SATURDAY));
    saturday = saturday.plusWeeks(offset);
    return days(saturday, saturday.plusDays(2));
  }

  /**
   * The day the selector selects nearest to {@code date} going back ({@code step} -1) or forward
   * (+1), {@code date} included; for the weekend, the one containing {@code date}, else the
   * nearest in that direction.
   */
  Span nearest(DaySelector selector, LocalDate date, int step) {
    if (selector.isWeekend()) {
      LocalDate saturday = date.getDayOfWeek() == DayOfWeek.SUNDAY ? date.minusDays(1)
          : date.with(step < 0 ? TemporalAdjusters.previousOrSame(DayOfWeek.SATURDAY)
              : TemporalAdjusters.nextOrSame(DayOfWeek.SATURDAY));
      return days(saturday, saturday.plusDays(2));
    }
    LocalDate day = date;
    while (!selector.contains(day.getDayOfWeek())) {
      day = day.plusDays(step);
    }
    return day(day);
  }

  /**
   * The first or last {@code unit} of a span, on local date-times ("the first week of march" is
   * March 1-7, "the last day of february" its 29th in 2024), or the whole span if shorter.
   */
  Span ordinal(Span span, TemporalUnit unit, boolean first) {
    LocalDateTime start = span.start().atZone(zone).toLocalDateTime();
    LocalDateTime end = span.end().atZone(zone).toLocalDateTime();
    LocalDateTime from = first ? start : later(start, end.minus(1, unit));
    LocalDateTime to = first ? earlier(end, start.plus(1, unit)) : end;
    if (from.toLocalTime().equals(LocalTime.MIDNIGHT)
        && to.toLocalTime().equals(LocalTime.MIDNIGHT)) {
      return days(from.toLocalDate(), to.toLocalDate());
    }
    return Span.of(at(from), at(to));
  }

  private static LocalDateTime later(LocalDateTime a, LocalDateTime b) {
    return a.isAfter(b) ? a : b;
  }

  private static LocalDateTime earlier(LocalDateTime a, LocalDateTime b) {
    return a.isBefore(b) ? a : b;
  }

  /** The most recent day on or before today that is the {@code day}th of its month. */
  LocalDate latestDayOfMonth(int day) {
    YearMonth month = YearMonth.from(today);
    if (day > today.getDayOfMonth()) {
      month = month.minusMonths(1);
    }
    while (!month.isValidDay(day)) {
      month = month.minusMonths(1);
    }
    return month.atDay(day);
  }

  /**
   * The first, middle or last third ({@code third} 0, 1 or 2) of a span of at least three whole
   * days, each third whole days too ("early march" is March 1-10, "mid" 11-20, "late" 21-31);
   * {@code null} if the span is not that.
   */
  @Nullable Span third(Span span, int third) {
    if (!span.bounded()) {
      return null;
    }
    LocalDate first = span.start().atZone(zone).toLocalDate();
    LocalDate end = span.end().atZone(zone).toLocalDate();
    long length = ChronoUnit.DAYS.between(first, end);
    if (length < 3 || !span.start().equals(startOf(first)) || !span.end().equals(startOf(end))) {
      return null;
    }
    return days(first.plusDays(length * third / 3), first.plusDays(length * (third + 1) / 3));
  }

  /** The part of the day that starts on {@code date}; night ends on the next day. */
  Span part(LocalDate date, PartOfDay part) {
    LocalDate endDate = part.crossesMidnight() ? date.plusDays(1) : date;
    return Span.of(at(date.atTime(part.start())), at(endDate.atTime(part.end())));
  }

  /** The most recent occurrence of the part that has begun at or before the reference. */
  Span latest(PartOfDay part) {
    Span todays = part(today, part);
    return todays.start().isAfter(reference) ? part(today.minusDays(1), part) : todays;
  }

  private Instant startOf(LocalDate date) {
    return date.atStartOfDay(zone).toInstant();
  }
}
