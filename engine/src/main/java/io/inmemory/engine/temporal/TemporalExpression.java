package io.inmemory.engine.temporal;

import io.inmemory.TimeRange;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A resolved time phrase: {@link #bounds() bounds} plus any recurring constraint (days of the
 * week, a part of the day) that {@link #matches(Instant)} also applies. Created by
 * {@link TemporalParser}; immutable and thread-safe.
 */
public final class TemporalExpression {
  private final TimeRange bounds;
  private final Set<DayOfWeek> days;
  private final @Nullable PartOfDay part;
  private final ZoneId zone;
  private final String description;

  TemporalExpression(
      TimeRange bounds, Set<DayOfWeek> days, @Nullable PartOfDay part, ZoneId zone,
      String description) {
    this.bounds = Objects.requireNonNull(bounds, "bounds");
    this.days = Set.copyOf(days);
    this.part = part;
    this.zone = Objects.requireNonNull(zone, "zone");
    this.description = Objects.requireNonNull(description, "description");
  }

  /**
   * The half-open range {@code [start, end)} every match lies in; either side is {@code null}
   * when open ("since X", "before X", or a purely recurring phrase such as "weekends"). A store
   * can pre-filter by it; {@link #matches(Instant)} is the exact test.
   */
  public TimeRange bounds() {
    return bounds;
  }

  /**
   * Whether an instant lies within the bounds and satisfies the recurring constraints, judged by
   * its local date and time in the zone the phrase was resolved in.
   */
  public boolean matches(Instant createdAt) {
    Objects.requireNonNull(createdAt, "createdAt");
    if (!bounds.contains(createdAt)) {
      return false;
    }
    if (days.isEmpty() && part == null) {
      return true;
    }
    ZonedDateTime local = createdAt.atZone(zone);
    return (days.isEmpty() || days.contains(local.getDayOfWeek()))
        && (part == null || part.contains(local.toLocalTime()));
  }

  /**
   * A short human description: the phrase as understood, the bounds as local date-times, the
   * zone and the recurring constraints, e.g. {@code "last week evenings: 2024-02-26T00:00 to
   * 2024-03-04T00:00 (Europe/Berlin), evenings 17:00-22:00 only"}.
   */
  public String description() {
    return description;
  }

  @Override
  public String toString() {
    return description;
  }
}
