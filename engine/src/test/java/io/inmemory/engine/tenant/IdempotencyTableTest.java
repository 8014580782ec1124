package io.inmemory.engine.tenant;

import io.inmemory.engine.tck.IdempotencyStoreContract;

/** The idempotency contract for the heap table used by single-process stores. */
class IdempotencyTableTest extends IdempotencyStoreContract {
  @Override
  protected IdempotencyStore openStore() {
    return new IdempotencyTable();
  }

  @Override
  protected void closeStore() {}
}
