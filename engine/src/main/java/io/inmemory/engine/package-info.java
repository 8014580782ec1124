/**
 * The embedded engine {@link io.inmemory.engine.Memory}, its local runtime provider and the
 * built-in volatile store; the partitions, filters and settings behind them are package-private.
 */
@NullMarked
package io.inmemory.engine;

import org.jspecify.annotations.NullMarked;
