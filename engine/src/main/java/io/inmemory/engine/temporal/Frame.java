package io.inmemory.engine.temporal;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.time.temporal.TemporalUnit;

/**
 * Calendar arithmetic around one reference instant in one zone. Periods are computed on local
 * dates and times and converted to instants in the zone, so a day across a DST change lasts 23
 * or 25 hours. Immutable.
 */
final class Frame {
  private final Instant reference;
  private final ZoneId zone;
  private final DayOfWeek weekStart;
  private final LocalDate today;

  Frame(Instant reference, ZoneId zone, DayOfWeek weekStart) {
    this.reference = reference;
    this.zone = zone;
    this.weekStart = weekStart;
    this.today = reference.atZone(zone).toLocalDate();
  }

  ZoneId zone() {
    return zone;
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
    ZonedDateTime shifted = reference.atZone(zone).plus(offset, unit);
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

  /** The given weekday in this week (offset 0), last week (-1) or next week (+1). */
  LocalDate weekdayOfWeek(long weekOffset, DayOfWeek day) {
    return today.with(TemporalAdjusters.previousOrSame(weekStart))
        .plusWeeks(weekOffset)
        .with(TemporalAdjusters.nextOrSame(day));
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
   * The most recent occurrence begun on or before today: the weekend containing today or the
   * last one; otherwise the most recent matching day on or before today.
   */
  Span latest(DaySelector selector) {
    if (selector.isWeekend()) {
      LocalDate saturday = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.SATURDAY));
      return days(saturday, saturday.plusDays(2));
    }
    LocalDate date = today;
    while (!selector.contains(date.getDayOfWeek())) {
      date = date.minusDays(1);
    }
    return day(date);
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
