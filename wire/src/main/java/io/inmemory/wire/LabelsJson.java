package io.inmemory.wire;

import static io.inmemory.wire.Schemas.anyObject;
import static io.inmemory.wire.Schemas.nullable;
import static io.inmemory.wire.Schemas.strings;
import static io.inmemory.wire.Schemas.stringsOrCsv;

/**
 * The members of a memory's labels (tags, people, topic, metadata), as memories, additions,
 * changes and searches carry them. The schemas here are those of a stored memory; requests
 * take the lists as arrays or comma-separated strings ({@link #TAGS_IN}, {@link #PEOPLE_IN}).
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
}
