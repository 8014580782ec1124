package io.inmemory.server;

import java.security.SecureRandom;

/** Generated project ids, of the form {@link io.inmemory.engine.tenant.Project#ID_RULE}. */
final class ProjectIds {
  private ProjectIds() {}

  static String generate(SecureRandom random) {
    return "proj_" + ApiKeys.base62(random, 12);
  }
}
