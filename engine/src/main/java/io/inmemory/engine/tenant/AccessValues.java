package io.inmemory.engine.tenant;

import io.inmemory.Validation;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.regex.Pattern;

/** Validation shared by the access records: ids, names and millisecond instants. */
final class AccessValues {
  static final int MAX_NAME_LENGTH = 200;

  /** See {@link Project#ID_RULE}, which publishes it. */
  static final String ID_RULE =
      "1 to 64 of letters, digits, '_', '.' or '-', starting with a letter or digit";

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  private AccessValues() {}

  /** See {@link Project#isValidId}, which publishes it. */
  static boolean isValidId(String id) {
    return id != null && ID.matcher(id).matches();
  }

  static String id(String value, String field) {
    Objects.requireNonNull(value, field);
    if (!isValidId(value)) {
      throw new IllegalArgumentException(field + " must be " + ID_RULE + "; got '" + value + "'");
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
