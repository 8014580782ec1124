/**
 * The pipeline that turns a conversation into facts through an
 * {@link io.inmemory.engine.spi.Extractor} and reconciles them with the memories a scope holds:
 * what to add, what is known, what to update and what to supersede. Engine-internal, not API.
 */
@NullMarked
package io.inmemory.engine.extraction;

import org.jspecify.annotations.NullMarked;
