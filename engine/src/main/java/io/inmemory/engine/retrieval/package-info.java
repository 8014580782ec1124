/**
 * How searches with a query rank: the retrieval settings and mode, the fusion of dense and
 * lexical evidence, and the ranker that applies them to a partition's indexes. Engine-internal, not
 * API.
 */
@NullMarked
package io.inmemory.engine.retrieval;

import org.jspecify.annotations.NullMarked;
