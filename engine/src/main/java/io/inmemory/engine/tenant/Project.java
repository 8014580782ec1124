package io.inmemory.engine.tenant;

import java.time.Instant;

/**
 * A tenant of the server. All of a project's memories live in the namespace named by its id
 * (see {@link io.inmemory.engine.spi.PartitionKey}); its API keys reach nothing else. Immutable.
 *
 * @param id the project id, also its namespace: 1 to 64 of {@code [A-Za-z0-9_.-]}, starting with
 *     a letter or digit
 * @param name a display name, at most 200 characters, may be empty
 * @param createdAt when it was created, millisecond precision
 */
public record Project(String id, String name, Instant createdAt) {

  /** The form of a project id (and so of a namespace), worded for error messages. */
  public static final String ID_RULE = AccessValues.ID_RULE;

  /**
   * Whether {@code id} has the form of {@link #ID_RULE}; false for null. The same form serves
   * key ids and namespaces.
   */
  public static boolean isValidId(String id) {
    return AccessValues.isValidId(id);
  }

  public Project {
    AccessValues.id(id, "id");
    AccessValues.name(name, "name");
    createdAt = AccessValues.millis(createdAt, "createdAt");
  }
}
