/**
 * InMemory inside Spring AI 2.0: {@link io.inmemory.springai.MemoryClientChatMemoryRepository}, a
 * {@code ChatMemoryRepository} keeping chat transcripts in InMemory;
 * {@link io.inmemory.springai.LongTermMemoryAdvisor}, an advisor recalling the user's memories
 * into the prompt and ingesting each exchange, whose scope a
 * {@link io.inmemory.springai.ScopeResolver} takes from the advisor context; and
 * {@link io.inmemory.springai.SpringAiFilters}, Spring AI filter expressions as InMemory filters.
 * All work over any InMemory runtime (local engine or server).
 */
@NullMarked
package io.inmemory.springai;

import org.jspecify.annotations.NullMarked;
