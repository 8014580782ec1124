/**
 * The MongoDB store {@link MongoMemoryStore}: memories, their history and the server's projects
 * and API keys as documents in a MongoDB database.
 */
@NullMarked
package io.inmemory.store.mongo;

import org.jspecify.annotations.NullMarked;
