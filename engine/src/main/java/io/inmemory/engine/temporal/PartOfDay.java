package io.inmemory.engine.temporal;

import java.time.LocalTime;

/**
 * The four parts of the day. Their local-time ranges tile the 24 hours: every instant of a day
 * belongs to exactly one part. {@link #NIGHT} crosses midnight.
 */
enum PartOfDay {
  MORNING(5, 12),
  AFTERNOON(12, 17),
  EVENING(17, 22),
  NIGHT(22, 5);

  private final LocalTime start;
  private final LocalTime end;

  PartOfDay(int startHour, int endHour) {
    this.start = LocalTime.of(startHour, 0);
    this.end = LocalTime.of(endHour, 0);
  }

  /** Inclusive local start time. */
  LocalTime start() {
    return start;
  }

  /**
   * Exclusive local end time, on the next day if the part
   * {@linkplain #crossesMidnight() crosses midnight}.
   */
  LocalTime end() {
    return end;
  }

  boolean crossesMidnight() {
    return end.isBefore(start);
  }

  boolean contains(LocalTime time) {
    boolean afterStart = !time.isBefore(start);
    boolean beforeEnd = time.isBefore(end);
    return crossesMidnight() ? afterStart || beforeEnd : afterStart && beforeEnd;
  }

  String word() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** For descriptions, e.g. "evenings 17:00-22:00". */
  String label() {
    return word() + "s " + start + "-" + end;
  }
}
