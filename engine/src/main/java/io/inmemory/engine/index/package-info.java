/**
 * The vector index of a partition: exact scan while small, an HNSW graph once large, and the
 * graph's snapshot format, whose class names it writes. Engine-internal, not API.
 */
@NullMarked
package io.inmemory.engine.index;

import org.jspecify.annotations.NullMarked;
