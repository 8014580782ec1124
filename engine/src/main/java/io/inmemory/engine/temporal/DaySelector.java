package io.inmemory.engine.temporal;

import java.time.DayOfWeek;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Days of the week a phrase selects: one weekday name, the weekend (Saturday and Sunday) or the
 * weekdays (Monday to Friday).
 *
 * @param word the singular word, e.g. "monday", "weekend"
 * @param days the selected days, never empty
 */
record DaySelector(String word, Set<DayOfWeek> days) {
  static final DaySelector WEEKEND =
      new DaySelector("weekend", EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY));
  static final DaySelector WEEKDAYS =
      new DaySelector("weekday", EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY));

  DaySelector {
    days = Set.copyOf(days);
  }

  static DaySelector of(DayOfWeek day) {
    return new DaySelector(day.name().toLowerCase(Locale.ROOT), Set.of(day));
  }

  boolean contains(DayOfWeek day) {
    return days.contains(day);
  }

  boolean isWeekend() {
    return equals(WEEKEND);
  }
}
