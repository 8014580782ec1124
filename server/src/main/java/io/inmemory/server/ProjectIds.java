package io.inmemory.server;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/** The form of project and key ids (as {@link io.inmemory.engine.spi.Project} requires). */
final class ProjectIds {
  static final String RULE = "must be 1 to 64 of letters, digits, '_', '.' or '-', starting with"
      + " a letter or digit";
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  private ProjectIds() {}

  static boolean valid(String id) {
    return id != null && ID.matcher(id).matches();
  }

  static String generate(SecureRandom random) {
    return "proj_" + ApiKeys.base62(random, 12);
  }
}
