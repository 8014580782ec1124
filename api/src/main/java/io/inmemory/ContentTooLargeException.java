package io.inmemory;

/**
 * The memory content is larger than the configured maximum ({@code inmemory.max-memory-size},
 * counted in UTF-8 bytes). A managed server answers this with HTTP 413. Nothing was stored.
 */
public class ContentTooLargeException extends InvalidRequestException {
  private static final long serialVersionUID = 1L;

  private final long size;
  private final long maxSize;

  public ContentTooLargeException(String field, long size, long maxSize) {
    super(field, "is " + size + " bytes in UTF-8, over the maximum of " + maxSize
        + " bytes (set inmemory.max-memory-size to change it)");
    this.size = size;
    this.maxSize = maxSize;
  }

  /** The size of the rejected content in UTF-8 bytes. */
  public long size() {
    return size;
  }

  /** The configured maximum in UTF-8 bytes. */
  public long maxSize() {
    return maxSize;
  }
}
