package io.inmemory.server;

import io.inmemory.engine.tenant.AccessStore;
import io.inmemory.engine.tenant.IdempotencyStore;
import io.inmemory.engine.tenant.IdempotencyTable;

/**
 * Where the state server processes must agree on lives: idempotency records and key revocations
 * in the store when several processes may share it (its {@link AccessStore#idempotency()} is
 * present), else in this process. Usage counts are always added up in the store, and rate limits
 * always count per process. Immutable.
 *
 * @param idempotency where the answers to keyed requests are kept
 * @param description what the start-up line says about it
 */
record SharedState(IdempotencyStore idempotency, String description) {

  /** The state of a server on {@code access}. */
  static SharedState of(AccessStore access, ServerSettings settings) {
    return access.idempotency()
        .map(store -> new SharedState(store, "idempotency records in the store, shared with every"
            + " server process on it; key revocations "
            + (access.accessVersion().isPresent() ? "polled every "
                + settings.keyRevocationPoll().toMillis() + " ms" : "seen after the key cache's "
                + settings.keyCacheTtl().toSeconds() + " s")
            + "; rate limits per process"))
        .orElseGet(() -> new SharedState(new IdempotencyTable(settings.idempotencyCacheSize()),
            "in this process (the store is not shared between processes); rate limits per"
                + " process"));
  }
}
