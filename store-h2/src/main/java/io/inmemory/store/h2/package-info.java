/**
 * The H2 store {@link H2MemoryStore}: memories, their history and the server's projects and keys
 * in an embedded or server-mode H2 database.
 */
@NullMarked
package io.inmemory.store.h2;

import org.jspecify.annotations.NullMarked;
