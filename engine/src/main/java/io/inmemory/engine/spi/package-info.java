/**
 * The service-provider interfaces of the engine: memory stores and their providers, embedders
 * and theirs, extractors (language models turning conversations into facts) and theirs, the
 * stored form of a memory, partition keys, change sets, index snapshots, store directories, and
 * the change feed through which processes sharing a store follow each other's writes.
 */
@NullMarked
package io.inmemory.engine.spi;

import org.jspecify.annotations.NullMarked;
