package io.inmemory.wire;

import static io.inmemory.wire.Schemas.anyObject;
import static io.inmemory.wire.Schemas.nullable;
import static io.inmemory.wire.Schemas.strings;
import static io.inmemory.wire.Schemas.stringsOrCsv;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The members of a memory's labels (tags, people, topic, metadata), as memories, additions,
 * changes and searches carry them. The schemas here are those of a stored memory; requests
 * take the lists as arrays or comma-separated strings ({@link #TAGS_IN}, {@link #PEOPLE_IN}).
 * Constants and stateless codecs only: thread-safe.
 */
public final class LabelsJson {
  public static final Member TAGS = new Member("tags", strings());
  public static final Member PEOPLE = new Member("people_mentioned", "people", strings());
  public static final Member TOPIC = new Member("topic_category", "topic", nullable("string"));
  public static final Member METADATA = new Member("metadata", anyObject());

  /** Tags as a request gives them. */
  public static final Member TAGS_IN =
      TAGS.withSchema(stringsOrCsv("Lower-cased, trimmed, de-duplicated."));
  /** People as a request gives them. */
  public static final Member PEOPLE_IN =
      PEOPLE.withSchema(stringsOrCsv("Matched case-insensitively."));

  private LabelsJson() {}

  /** Puts the labels' members into {@code json}, in their order; {@code null} for unset ones. */
  static void write(Map<String, Object> json, @Nullable List<String> tags,
      @Nullable List<String> people, @Nullable String topic,
      @Nullable Map<String, Object> metadata) {
    json.put(TAGS.name(), tags);
    json.put(PEOPLE.name(), people);
    json.put(TOPIC.name(), topic);
    json.put(METADATA.name(), metadata);
  }
}
