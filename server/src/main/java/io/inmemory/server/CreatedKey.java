package io.inmemory.server;

import io.inmemory.engine.tenant.ApiKeyRecord;
import java.util.Objects;

/**
 * A key just created: its secret, shown this once (only its hash is stored), and its record.
 * Immutable.
 *
 * @param secret the key itself, to give to its holder
 * @param record the stored key: id, project, scopes, hash and times
 */
public record CreatedKey(String secret, ApiKeyRecord record) {
  /** Checks both are present. */
  public CreatedKey {
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(record, "record");
  }

  /** Never the secret: a record printed or logged must not leak it. */
  @Override
  public String toString() {
    return "CreatedKey[" + record + "]";
  }
}
