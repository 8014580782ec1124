package io.inmemory.engine.spi;

/**
 * The ordered record of a shared store's writes, through which every process sharing the store
 * learns what the others changed ({@link MemoryStore#changeFeed()}). Only stores that several
 * processes may open at once have one (MongoDB; H2 in server mode). Thread-safe; one per store
 * instance.
 *
 * <p>Every write of a store with a feed records one {@link Change} per partition it touched, stamped
 * with {@link #processId()}, as part of the write: a write that returned normally is in the feed,
 * and one that threw before storing anything is not delivered. A write whose failure may have left
 * part of it visible for a while (a store without transactions undoing what it wrote) is
 * delivered: re-reading shows what stayed, and another process may have loaded what did not. Records older than {@link ChangeFeedSettings#RETENTION} are
 * trimmed; a reader behind a trim is told so ({@link ChangeBatch#trimmed()}).
 */
public interface ChangeFeed {

  /**
   * The id this store instance stamps on the changes it writes (random, made when the store was
   * opened), so that a process can skip its own changes.
   */
  String processId();

  /**
   * A reader positioned at the feed's current head: it delivers changes recorded after this call
   * returned (and possibly some settling around it; applying a change twice is harmless).
   *
   * @throws io.inmemory.StorageException when the store cannot be read
   */
  ChangeReader openReader();

  /**
   * Deletes the changes older than {@link ChangeFeedSettings#RETENTION} (always keeping what the
   * feed needs to go on, such as the newest record). The engine calls it about once a minute in
   * every process; idempotent, safe from any thread, a no-op where the database trims by itself.
   *
   * @throws io.inmemory.StorageException when the store cannot be written
   */
  void trim();

  /** How this feed travels, for logs and health: "polling inmemory_changes every read", etc. */
  String describe();
}
