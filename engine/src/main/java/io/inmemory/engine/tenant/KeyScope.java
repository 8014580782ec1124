package io.inmemory.engine.tenant;

/**
 * What an API key may do. Scopes do not imply one another, except that the server treats
 * {@link #ADMIN} as every scope across every project. Thread-safe (an enum).
 *
 * <p>Never null where a scope is expected.
 */
public enum KeyScope {
  /** Search, list, get and history of memories; the project's stats. */
  READ,
  /** Add, update and delete memories. */
  WRITE,
  /** Create, list and revoke the keys of the key's own project. */
  KEYS,
  /** Everything, in every project, including creating projects. */
  ADMIN,
  /**
   * Create, change and delete the webhooks of the key's own project and read their deliveries: a
   * webhook receives the project's memories, so neither {@link #READ} nor {@link #WRITE} allows it.
   */
  WEBHOOKS
}
