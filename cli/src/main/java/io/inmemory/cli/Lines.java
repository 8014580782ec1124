package io.inmemory.cli;

import io.inmemory.HistoryEntry;
import io.inmemory.MemoryRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The lines people read (without {@code --json}): one per memory or entry. Stateless. */
final class Lines {
  private Lines() {}

  /** {@code <id>  <created_at>  <content>  [labels]}. */
  static String memory(MemoryRecord memory) {
    List<String> labels = new ArrayList<>();
    memory.tags().forEach(tag -> labels.add("#" + tag));
    memory.people().forEach(person -> labels.add("@" + person));
    if (memory.topic() != null) {
      labels.add("topic:" + memory.topic());
    }
    memory.metadata().forEach((key, value) -> labels.add(key + "=" + value));
    if (memory.supersededBy() != null) {
      labels.add("superseded by " + memory.supersededBy());
    }
    return memory.id() + "  " + memory.createdAt() + "  " + memory.content()
        + (labels.isEmpty() ? "" : "  [" + String.join(", ", labels) + "]");
  }

  /** {@code <at>  <event>  <previous> -> <new>}. */
  static String history(HistoryEntry entry) {
    StringBuilder line = new StringBuilder()
        .append(entry.at()).append("  ").append(entry.event().name().toLowerCase(Locale.ROOT));
    if (entry.previousContent() != null) {
      line.append("  ").append(entry.previousContent()).append(" ->");
    }
    if (entry.newContent() != null) {
      line.append("  ").append(entry.newContent());
    }
    if (entry.relatedId() != null) {
      line.append("  (related ").append(entry.relatedId()).append(')');
    }
    return line.toString();
  }
}
