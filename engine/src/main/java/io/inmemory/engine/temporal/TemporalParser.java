package io.inmemory.engine.temporal;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;

/**
 * Resolves time phrases such as "yesterday", "last week evenings" or "between march 3 and march
 * 10" to a {@link TemporalExpression}. Immutable and thread-safe; arguments are non-null.
 *
 * <p><b>Resolution.</b> Phrases are resolved against a reference instant in a zone: periods are
 * computed on local dates and times and converted to instants in that zone, so a day across a
 * DST change lasts 23 or 25 hours. Periods are half-open {@code [start, end)}.
 *
 * <p><b>Tolerance.</b> Case-insensitive; underscores, commas and extra whitespace separate words;
 * the filler words "the", "during", "in", "on", "at", "of", "for", "over", "within" are ignored,
 * and so is "from" unless a "to" follows it.
 *
 * <p><b>Forms.</b>
 * <ul>
 *   <li>{@code today}, {@code yesterday}, {@code tomorrow}; {@code tonight} = tonight's night
 *       (today 22:00 to tomorrow 05:00).
 *   <li>{@code this|last|next day|week|month|quarter|year|hour|minute}: the whole calendar unit
 *       containing the reference, or the one before or after it. Weeks begin on the configured
 *       week start.
 *   <li>{@code N units ago} (digits, "one" to "twelve", "a"/"an"): the whole calendar unit that
 *       contains the reference moved back N units ("3 days ago" is that whole day, "a week ago"
 *       the whole week).
 *   <li>{@code past [N] units}, {@code last N units}, {@code next N units}: a rolling window
 *       ending (or, for "next", starting) at the reference instant; days and longer units step on
 *       local dates, hours and minutes on the time-line. "past week" is the last 7 days, whereas
 *       "last week" is the calendar week.
 *   <li>Weekday names ("monday", "mon", "mondays"). Alone, a singular name is the most recent such
 *       day on or before the reference day (today if it is that day).
 *       {@code this|last|next monday} is the Monday of this, last or next week (by week start).
 *   <li>{@code weekend}: Saturday 00:00 to Monday 00:00, independent of the week start. Alone,
 *       "weekend" is the most recent weekend that has begun (the current one on a Saturday or
 *       Sunday, otherwise the last one); "this weekend" is the current one or, on a weekday, the
 *       coming one; "last"/"next weekend" the one before/after "this weekend". {@code weekday}:
 *       Monday to Friday; alone and singular, the most recent weekday on or before the reference
 *       day.
 *   <li>Parts of the day, which tile the 24 hours (every instant belongs to exactly one):
 *       <b>morning 05:00-12:00, afternoon 12:00-17:00, evening 17:00-22:00, night 22:00-05:00</b>
 *       (a night belongs to the day it starts on). Alone, a singular part is its most recent
 *       occurrence that has begun at or before the reference ("evening" at 10:00 is yesterday's
 *       evening; "night" at 02:00 is the night in progress). {@code this|last|next <part>} is
 *       that part of today, yesterday or tomorrow, so "last night" is yesterday 22:00 to today
 *       05:00.
 *   <li>Months ("march", "mar", "sept") with an optional day ("march 3", "3rd march") and year
 *       ("march 2024", "2024 march", "march last year"). Without a year, the month is the most
 *       recent such month not after the reference month, and "march 3" is a day of that month.
 *   <li>Quarters "q1" to "q4", with an optional year ("q3 2024", "2024 q3", "q3 last year");
 *       without one, the most recent such quarter not after the reference quarter.
 *   <li>A year ("2023"); ISO year-months ("2024-03"), dates ("2024-03-05") and date-times
 *       ("2024-03-05T10:00", with seconds, an offset such as "Z" or "+01:00", or a zone in
 *       brackets; without one, local to the zone). A date-time alone covers the minute (or second)
 *       written; as a range endpoint it is that exact instant.
 *   <li>Ranges over any of the above: {@code since X} = [start of X, open); {@code after X} =
 *       [end of X, open); {@code before X} = [open, start of X); {@code until X} = [open, end of
 *       X); {@code between X and Y} and {@code from X to Y} = [start of X, end of Y).
 * </ul>
 *
 * <p><b>Combinations.</b> A phrase names at most one period, one day selection and one part of
 * the day, in any order. Plural or combined with a period, day selections and parts filter
 * within the period ("last week evenings", "weekends in march", "mornings last month"; alone,
 * "weekends" is every weekend). A singular part of the day attached to a single day is that part
 * of that day ("yesterday afternoon", "monday morning", "march 3 evening").
 *
 * <p><b>Errors.</b> An unknown phrase throws {@link io.inmemory.InvalidRequestException} on field
 * {@code temporal}, quoting the phrase and listing the supported forms with examples; a phrase
 * that parses but is impossible ("february 30", "between may 5 and may 1", "saturday
 * yesterday" on a Tuesday) throws it with a message saying why.
 */
public final class TemporalParser {
  private final DayOfWeek weekStart;

  /** A parser whose weeks begin on Monday (ISO). */
  public TemporalParser() {
    this(DayOfWeek.MONDAY);
  }

  /** A parser whose weeks begin on {@code weekStart}. */
  public TemporalParser(DayOfWeek weekStart) {
    this.weekStart = Objects.requireNonNull(weekStart, "weekStart");
  }

  /** The day weeks begin on. */
  public DayOfWeek weekStart() {
    return weekStart;
  }

  /**
   * Resolves a phrase.
   *
   * @param phrase the time phrase; a {@code null} or blank phrase is an invalid request
   * @param reference the instant "now" means
   * @param zone the zone local dates and times are read in
   * @throws io.inmemory.InvalidRequestException if the phrase is unknown or impossible
   */
  public TemporalExpression parse(String phrase, Instant reference, ZoneId zone) {
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(zone, "zone");
    return Grammar.parse(phrase, new Frame(reference, zone, weekStart));
  }
}
