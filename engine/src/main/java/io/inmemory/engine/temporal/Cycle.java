package io.inmemory.engine.temporal;

/**
 * Something that recurs and can be counted back and forth from the reference: a calendar unit,
 * the weekend, a weekday, a part of the day, a month of the year or a quarter. Occurrence 0 is
 * "this", -1 "last", +1 "next"; "the week before last" is -2 and "3 weeks ago" is -3.
 */
@FunctionalInterface
interface Cycle {
  Span occurrence(long offset);
}
