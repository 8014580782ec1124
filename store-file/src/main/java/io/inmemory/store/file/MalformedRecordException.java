package io.inmemory.store.file;

/**
 * A record whose checksum matched but whose content does not decode: a bug or a file edited by
 * hand. Internal: readers turn it into a {@link io.inmemory.StorageException} naming file and
 * offset.
 */
final class MalformedRecordException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  MalformedRecordException(String message) {
    super(message);
  }
}
