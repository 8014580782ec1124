package io.inmemory.engine.spi;

import io.inmemory.Validation;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/** Validation shared by the access records: ids, names and millisecond instants. */
final class AccessValues {
  static final int MAX_NAME_LENGTH = 200;

  private AccessValues() {}

  static String id(String value, String field) {
    Objects.requireNonNull(value, field);
    if (!Project.isValidId(value)) {
      throw new IllegalArgumentException(
          field + " must be " + Project.ID_RULE + "; got '" + value + "'");
    }
    return value;
  }

  static String name(String value, String field) {
    Objects.requireNonNull(value, field);
    if (value.length() > MAX_NAME_LENGTH || value.chars().anyMatch(Character::isISOControl)
        || !Validation.isWellFormedText(value)) {
      throw new IllegalArgumentException(field + " must be at most " + MAX_NAME_LENGTH
          + " characters without control characters or lone UTF-16 surrogates");
    }
    return value;
  }

  static Instant millis(Instant value, String field) {
    return Objects.requireNonNull(value, field).truncatedTo(ChronoUnit.MILLIS);
  }

  static Instant millisOrNull(Instant value) {
    return value == null ? null : value.truncatedTo(ChronoUnit.MILLIS);
  }
}
