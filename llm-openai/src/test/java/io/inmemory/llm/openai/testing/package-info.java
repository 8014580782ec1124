/**
 * Test support shipped in {@code inmemory-llm-openai}'s test-jar: {@link
 * io.inmemory.llm.openai.testing.ScriptedOpenAi}, an OpenAI-compatible endpoint on a loopback port
 * whose answers a test scripts, so that extraction and remote embeddings are tested without a
 * model. A module's tests depend on the jar with type {@code test-jar}, scope {@code test}.
 */
@NullMarked
package io.inmemory.llm.openai.testing;

import org.jspecify.annotations.NullMarked;
