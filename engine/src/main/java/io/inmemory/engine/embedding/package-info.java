/**
 * The engine's access to its embedder: query embeddings through a cache, every vector checked
 * against the embedder's dimension. Engine-internal, not API.
 */
@NullMarked
package io.inmemory.engine.embedding;

import org.jspecify.annotations.NullMarked;
