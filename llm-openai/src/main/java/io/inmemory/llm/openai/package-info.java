/**
 * OpenAI-compatible models for the engine: {@link io.inmemory.llm.openai.OpenAiExtractorProvider}
 * (extraction and reconciliation of facts, configured by {@link
 * io.inmemory.llm.openai.LlmSettings}) and {@link io.inmemory.llm.openai.OpenAiEmbedderProvider}
 * (remote embeddings, configured by {@link io.inmemory.llm.openai.EmbeddingSettings}). Every
 * answer of a model is checked for form before use; its judgement is the model's.
 */
@NullMarked
package io.inmemory.llm.openai;

import org.jspecify.annotations.NullMarked;
