package io.inmemory.engine.tenant;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The server's projects and API keys, kept by the same storage as the memories (see
 * {@link io.inmemory.engine.spi.MemoryStore#access()}). The store holds records only;
 * generating keys, hashing them, comparing hashes in constant time and deciding what a key may do
 * is the server's job.
 *
 * <p>Same guarantees as {@link io.inmemory.engine.spi.MemoryStore MemoryStore}: thread-safe, each
 * method all or nothing, and each write as durable as the store's memory writes once it returns.
 * Lookups return what was last written, so a revocation is seen by the very next
 * {@link #keyByHash} call.
 *
 * <p><b>Errors.</b> Storage failures are {@link io.inmemory.StorageException}; calls after the
 * store is closed throw {@link IllegalStateException}.
 * */
public interface AccessStore {

  /**
   * Creates a project.
   *
   * @throws io.inmemory.ConflictException when a project with its id exists; nothing changes
   */
  void createProject(Project project);

  /** The project with this id. */
  Optional<Project> project(String id);

  /** Every project, oldest first (ties by id). */
  List<Project> projects();

  /**
   * Stores a new key.
   *
   * @throws io.inmemory.NotFoundException when its project does not exist
   * @throws io.inmemory.ConflictException when a key with its id or its hash exists
   */
  void createKey(ApiKeyRecord key);

  /** The key whose SHA-256 is {@code hash} (64 lowercase hex digits), revoked or not. */
  Optional<ApiKeyRecord> keyByHash(String hash);

  /** The key with this id, revoked or not. */
  Optional<ApiKeyRecord> key(String id);

  /** Every key of a project, revoked ones included, oldest first (ties by id). */
  List<ApiKeyRecord> keys(String projectId);

  /**
   * Revokes a key from {@code at} on; revoking a revoked key keeps its first revocation time.
   *
   * @return the key as now stored, or empty when no key has this id
   */
  Optional<ApiKeyRecord> revokeKey(String id, Instant at);

  /**
   * Adds usage reports to their keys (counts summed, latest last-used time kept, see
   * {@link ApiKeyRecord#plus}); reports for unknown keys are skipped.
   */
  void recordUsage(List<KeyUsage> usages);

  /**
   * Where answers to requests with an {@code Idempotency-Key} are kept so that every process
   * sharing this store sees them; empty (the default) when the store is used by one process only,
   * and the server then keeps them in an {@link IdempotencyTable}. The same instance on every
   * call.
   */
  default Optional<IdempotencyStore> idempotency() {
    return Optional.empty();
  }

  /**
   * A counter that grows with every {@link #revokeKey} that revoked a key (not with one of a key
   * already revoked), seen by every process sharing this store, so that a process caching keys
   * can tell when to drop them; empty (the default) when the store is used by one process only.
   * Read from the store on every call; a storage failure is a
   * {@link io.inmemory.StorageException}.
   */
  default OptionalLong accessVersion() {
    return OptionalLong.empty();
  }

  /**
   * The server's webhooks, their outbox and deliveries, kept in the same storage as the memories
   * so that a memory change and its event are written together; empty (the default) for a store
   * that keeps none, and the server then answers webhook requests as unsupported. The same
   * instance on every call.
   */
  default Optional<WebhookStore> webhooks() {
    return Optional.empty();
  }
}
