/**
 * The BM25 index over the words of a partition's memories, its analyzer and scored ids.
 * Engine-internal, not API.
 */
@NullMarked
package io.inmemory.engine.lexical;

import org.jspecify.annotations.NullMarked;
