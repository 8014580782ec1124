package io.inmemory.engine.spi;

import java.util.List;

/**
 * A language model that turns a conversation into facts and reconciles new facts with the
 * memories a scope already holds. Created by an {@link ExtractorProvider}, selected only when
 * {@code inmemory.extractor} names it (or given to the engine's builder). Implementations are
 * thread-safe; the engine calls them outside any partition lock and stores nothing of a call when
 * one throws.
 */
public interface Extractor extends AutoCloseable {

  /**
   * Names the model and prompt version, such as {@code openai:gpt-4o-mini:prompts-v1}, so that
   * results can be traced to what produced them.
   */
  String id();

  /**
   * The facts worth remembering in the messages, in message order; empty when there are none.
   *
   * @throws io.inmemory.ExtractionException when the model cannot be reached or answers out of form
   */
  List<Fact> extract(ExtractionInput input);

  /**
   * One decision per fact of {@code input} saying what to do with it given the candidates.
   *
   * @throws io.inmemory.ExtractionException when the model cannot be reached or answers out of form
   */
  List<Decision> reconcile(ReconciliationInput input);

  /**
   * How many of the scope's memories most like a new fact the engine shows {@link #reconcile}
   * per fact; at least 1. The default is 5.
   */
  default int candidatesPerFact() {
    return 5;
  }

  /** Releases the model client's resources; idempotent. The default holds none. */
  @Override
  default void close() {
  }
}
