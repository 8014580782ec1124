package io.inmemory;

import java.util.List;

/**
 * A value of the request is larger than its configured limit (see {@link Limits}): the memory
 * content ({@code inmemory.max-memory-size}, counted in UTF-8 bytes), the query, the temporal
 * phrase, the tags, people, topic or metadata, or the number of memories in a batch. A managed
 * server answers this with HTTP 413. Nothing was stored or searched.
 *
 * <p>{@link #violations()} names every value over its limit, with its size, the limit and the key
 * that sets it; {@link #size()} and {@link #maxSize()} are those of the first.
 */
public class ContentTooLargeException extends InvalidRequestException {
  private static final long serialVersionUID = 1L;

  private final long size;
  private final long maxSize;

  /** Memory content of {@code size} UTF-8 bytes over the maximum of {@code maxSize}. */
  public ContentTooLargeException(String field, long size, long maxSize) {
    this(List.of(new Violation(field, contentProblem(size, maxSize))), size, maxSize);
  }

  /**
   * Values over their limits.
   *
   * @param violations one per value over its limit; not empty
   * @param size the size of the first, in its limit's unit
   * @param maxSize the first's limit
   */
  public ContentTooLargeException(List<Violation> violations, long size, long maxSize) {
    super(violations);
    this.size = size;
    this.maxSize = maxSize;
  }

  /** The size of the (first) rejected value: UTF-8 bytes for content, else its limit's unit. */
  public long size() {
    return size;
  }

  /** The limit the (first) rejected value is over. */
  public long maxSize() {
    return maxSize;
  }

  static String contentProblem(long size, long maxSize) {
    return "is " + size + " bytes in UTF-8, over the maximum of " + maxSize
        + " bytes (set " + InMemoryConfig.MAX_MEMORY_SIZE.name() + " to change it)";
  }
}
