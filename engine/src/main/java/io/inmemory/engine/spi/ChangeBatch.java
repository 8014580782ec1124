package io.inmemory.engine.spi;

import java.util.List;

/**
 * What one {@link ChangeReader#next} returns. Immutable.
 *
 * @param changes settled changes not delivered before, in feed order (possibly empty)
 * @param trimmed whether changes were lost since the previous call (the log was trimmed, or the
 *     change stream's history rolled over, past this reader's position): the reader can no longer
 *     tell what changed, and must re-read every partition it keeps
 */
public record ChangeBatch(List<Change> changes, boolean trimmed) {
  /** Nothing new, nothing lost. */
  public static final ChangeBatch EMPTY = new ChangeBatch(List.of(), false);

  public ChangeBatch {
    changes = List.copyOf(changes);
  }
}
