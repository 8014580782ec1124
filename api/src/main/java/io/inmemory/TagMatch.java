package io.inmemory;

/** How a tag filter combines several tags. */
public enum TagMatch {
  /** A memory must carry every tag. */
  ALL,
  /** A memory must carry at least one of the tags. */
  ANY
}
