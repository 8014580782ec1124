package io.inmemory.engine.retrieval;

import java.util.Collection;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Where the memories being ranked sit in the conversations they were said in: for a memory made
 * of a message, the memory of the message said just before it and those said just after it.
 * Implementations are views their owner reads under its own lock; not thread-safe by themselves.
 */
public interface Threads {
  /** No memory follows another: ranking ignores conversations. */
  Threads NONE = new Threads() {
    @Override
    public @Nullable String previous(String id) {
      return null;
    }

    @Override
    public Collection<String> next(String id) {
      return List.of();
    }
  };

  /** The id of the memory said just before {@code id} when it is held, else null. */
  @Nullable String previous(String id);

  /** The ids of the memories said just after {@code id}; usually one, empty when none. */
  Collection<String> next(String id);
}
