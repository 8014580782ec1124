package io.inmemory.engine.spi;

/** Which {@link MemoryStore} write a {@link Change} records. */
public enum ChangeKind {
  /** {@link MemoryStore#insert}. */
  INSERT,
  /** {@link MemoryStore#replace}. */
  REPLACE,
  /** {@link MemoryStore#commit} (a supersede: inserted and replaced memories together). */
  COMMIT,
  /** {@link MemoryStore#delete} (one memory, or every memory of a scope). */
  DELETE,
  /** {@link MemoryStore#replaceEmbeddings} (the embedder changed). */
  EMBEDDINGS
}
