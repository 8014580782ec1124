package io.inmemory.engine.temporal;

/** One parsed element of a phrase, before the elements are combined. */
sealed interface Term {
  /** The words the term was read from, for messages. */
  String text();

  /** A definite period: "yesterday", "last week", "march 2024", "since monday". */
  record Period(Span span, String text) implements Term {}

  /** Days of the week: "monday", "weekends"; a filter, or an occurrence when alone and singular. */
  record Days(DaySelector selector, boolean plural, String text) implements Term {}

  /** A part of the day: "evening", "mornings"; a filter, or an occurrence when alone, singular. */
  record Part(PartOfDay part, boolean plural, String text) implements Term {}
}
