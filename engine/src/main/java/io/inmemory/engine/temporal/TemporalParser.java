package io.inmemory.engine.temporal;

import io.inmemory.ConfigKey;
import io.inmemory.InMemoryConfig;
import io.inmemory.InvalidRequestException;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;

/**
 * Resolves time phrases such as "yesterday", "last friday evening", "a few days ago" or "between
 * march 3 and march 10" to a {@link TemporalExpression}. Immutable and thread-safe.
 *
 * <p><b>Resolution.</b> Phrases are resolved against a reference instant in a zone: periods are
 * computed on local dates and times and converted to instants in that zone, so a day across a
 * DST change lasts 23 or 25 hours. Periods are half-open {@code [start, end)}.
 *
 * <p><b>Grammar.</b> The README's "Time phrases" section is the reference: every form, with an
 * example and its meaning at a fixed reference instant. In short: days ("today", "the day before
 * yesterday"), calendar units with this/last/next ("last week"), counts ago ("3 days ago", "a few
 * weeks ago"), rolling windows ("past 3 days", "recently"), weekdays ("last friday": the most
 * recent Friday before today), the weekend, parts of the day (morning 05-12, afternoon 12-17,
 * evening 17-22, night 22-05; alone, a recurring time of day), months, quarters, years, ISO dates
 * and times, parts of periods ("earlier this month", "early march") and ranges ("since monday",
 * "from last monday to friday"), combined with day and time-of-day filters ("weekends in march",
 * "last week evenings"). Case, punctuation, filler words and extra spaces do not matter.
 *
 * <p><b>Errors.</b> A phrase the grammar cannot read throws {@link
 * io.inmemory.InvalidRequestException} on field {@code temporal}, naming the word that failed,
 * why, and the closest supported forms; a phrase that parses but is impossible ("february 30",
 * "between may 5 and may 1") says why. A phrase that names a period beyond the dates Java can
 * represent (years -999999999 to 999999999), which only a reference near the ends of the
 * time-line can cause, throws it on field {@code referenceTime}.
 */
public final class TemporalParser {
  /** The request field a reference instant comes from, named by errors it causes. */
  static final String REFERENCE_FIELD = "referenceTime";

  /** How many days back "recently" reaches unless configured otherwise. */
  public static final int DEFAULT_RECENT_DAYS = 7;

  /** The first day of the week for phrases such as "last week". */
  public static final ConfigKey<DayOfWeek> WEEK_START = ConfigKey.enumeration(
      "inmemory.week-start", DayOfWeek.class, DayOfWeek.MONDAY,
      "The first day of the week for phrases such as 'this week' (default MONDAY, as ISO).");

  /** How many days back the time phrases "recently" and "lately" reach. */
  public static final ConfigKey<Integer> RECENT_DAYS = ConfigKey.integer(
      "inmemory.recent-days", DEFAULT_RECENT_DAYS, 1, 3650,
      "How many days back the time phrase 'recently' reaches, 1 to 3650 (default 7).");

  private final DayOfWeek weekStart;
  private final int recentDays;

  /** A parser whose weeks begin on Monday (ISO). */
  public TemporalParser() {
    this(DayOfWeek.MONDAY);
  }

  /** A parser whose weeks begin on {@code weekStart}. */
  public TemporalParser(DayOfWeek weekStart) {
    this(weekStart, DEFAULT_RECENT_DAYS);
  }

  /**
   * A parser whose weeks begin on {@code weekStart} and for which "recently" is the past
   * {@code recentDays} days.
   *
   * @throws IllegalArgumentException if {@code recentDays} is below 1
   */
  public TemporalParser(DayOfWeek weekStart, int recentDays) {
    this.weekStart = Objects.requireNonNull(weekStart, "weekStart");
    if (recentDays < 1) {
      throw new IllegalArgumentException("recentDays must be at least 1, was " + recentDays);
    }
    this.recentDays = recentDays;
  }

  /** The parser {@code config} describes ({@link #WEEK_START}, {@link #RECENT_DAYS}). */
  public static TemporalParser from(InMemoryConfig config) {
    return new TemporalParser(config.get(WEEK_START), config.get(RECENT_DAYS));
  }

  /** The keys {@link #from} reads, in the order configuration errors list them. */
  public static List<ConfigKey<?>> keys() {
    return List.of(WEEK_START, RECENT_DAYS);
  }

  /** The day weeks begin on. */
  public DayOfWeek weekStart() {
    return weekStart;
  }

  /** How many days back "recently" reaches. */
  public int recentDays() {
    return recentDays;
  }

  /**
   * Resolves a phrase.
   *
   * @param phrase the time phrase; a {@code null} or blank phrase is an invalid request
   * @param reference the instant "now" means (a request's {@code referenceTime})
   * @param zone the zone local dates and times are read in
   * @throws io.inmemory.InvalidRequestException on field {@code temporal} if the phrase is
   *     unknown or impossible, on field {@code referenceTime} if what it names at this reference
   *     lies beyond the dates Java can represent
   */
  public TemporalExpression parse(String phrase, Instant reference, ZoneId zone) {
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(zone, "zone");
    try {
      return Grammar.parse(phrase, new Frame(reference, zone, weekStart, recentDays));
    } catch (DateTimeException | ArithmeticException e) {
      throw new InvalidRequestException(REFERENCE_FIELD, "the time phrase \"" + phrase
          + "\" cannot be resolved at " + reference + " in " + zone + ": the period it names"
          + " lies beyond the dates that can be represented (years -999999999 to 999999999);"
          + " use a reference time nearer the present");
    }
  }
}
