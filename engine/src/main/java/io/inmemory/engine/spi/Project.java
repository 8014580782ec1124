package io.inmemory.engine.spi;

import java.time.Instant;

/**
 * A tenant of the server. All of a project's memories live in the namespace named by its id
 * (see {@link PartitionKey}); its API keys reach nothing else.
 *
 * @param id the project id, also its namespace: 1 to 64 of {@code [A-Za-z0-9_.-]}, starting with
 *     a letter or digit
 * @param name a display name, at most 200 characters, may be empty
 * @param createdAt when it was created, millisecond precision
 */
public record Project(String id, String name, Instant createdAt) {

  public Project {
    AccessValues.id(id, "id");
    AccessValues.name(name, "name");
    createdAt = AccessValues.millis(createdAt, "createdAt");
  }
}
