/**
 * InMemory inside Spring AI 2.0: {@link io.inmemory.springai.MemoryClientChatMemoryRepository}, a
 * {@code ChatMemoryRepository} keeping chat transcripts in InMemory, and
 * {@link io.inmemory.springai.SpringAiFilters}, Spring AI filter expressions as InMemory filters.
 * Both work over any InMemory runtime (local engine or server).
 */
@NullMarked
package io.inmemory.springai;

import org.jspecify.annotations.NullMarked;
