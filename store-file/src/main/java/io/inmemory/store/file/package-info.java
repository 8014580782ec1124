/**
 * The durable file store {@link FileMemoryStore}: a checksummed append-only log with atomic
 * snapshots in one locked directory, with everything also held in memory.
 */
@NullMarked
package io.inmemory.store.file;

import org.jspecify.annotations.NullMarked;
