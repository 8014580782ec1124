/**
 * InMemory for LangChain4j 1.19: {@link io.inmemory.langchain4j.InMemoryChatMemoryStore} keeps the
 * windows of {@code MessageWindowChatMemory} and {@code TokenWindowChatMemory} in any InMemory
 * runtime, {@link io.inmemory.langchain4j.InMemoryContentRetriever} recalls a user's memories into
 * prompts (whose, by a {@link io.inmemory.langchain4j.ScopeResolver}),
 * {@link io.inmemory.langchain4j.InMemoryConversationRecorder} hands each {@code AiServices} turn to
 * conversation ingestion, {@link io.inmemory.langchain4j.InMemoryTools} gives agents remember,
 * recall and forget tools, and {@link io.inmemory.langchain4j.LangChain4jFilters} translates
 * LangChain4j metadata filters into {@link io.inmemory.MemoryFilter}s. Nothing here is null unless
 * marked.
 */
@NullMarked
package io.inmemory.langchain4j;

import org.jspecify.annotations.NullMarked;
