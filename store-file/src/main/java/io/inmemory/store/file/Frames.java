package io.inmemory.store.file;

import io.inmemory.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The on-disk layout shared by logs and snapshots (all integers little-endian).
 *
 * <p>A file starts with a {@value #FILE_HEADER_BYTES}-byte header: an 8-byte magic
 * ({@code INMEMLOG} or {@code INMEMSNP}), the format version (u32), the generation (i64) and a
 * CRC32C of those 20 bytes. Then frames follow, each a {@value #HEADER_BYTES}-byte frame header
 * and a payload:
 *
 * <pre>
 *   0  u32  payload length (bytes, at least 1)
 *   4  i64  durability horizon: the log offset below which every byte had been fsynced when
 *           this frame was appended (0 in snapshots)
 *  12  u32  CRC32C of the payload
 *  16  u32  CRC32C of bytes 0..15 of this header
 *  20  ...  payload: a record type byte, then the record's fields
 * </pre>
 *
 * <p>The header checksum lets a reader trust a frame's length before reading its payload, and
 * recognise frames when scanning past damage; the horizon tells damage to acknowledged data apart
 * from a torn write (see {@link FrameReader}).
 */
final class Frames {
  /**
   * The format version this code writes. Version 4 (issue 16) ends the memory-writing log records
   * with an events byte (1: their history entries are pending webhook events) and adds the
   * {@code WEBHOOKS} log record and the webhook records of snapshots. Version 3 (issue 13) added agents, sessions, roles,
   * validity and supersede to memories and history entries, and the {@code COMMIT} log record;
   * version 2 added the access records (projects and API keys) to logs and snapshots; version 1,
   * which lacked them, was never released.
   */
  static final int FORMAT_VERSION = 4;
  /**
   * The oldest format version this code reads: a store of an older version than
   * {@link #FORMAT_VERSION} is migrated on open (see {@link FileMemoryStore}) and never appended
   * to.
   */
  static final int OLDEST_READABLE_VERSION = 2;
  static final int FILE_HEADER_BYTES = 24;
  static final int HEADER_BYTES = 20;
  static final int LENGTH_AT = 0;
  static final int HORIZON_AT = 4;
  static final int PAYLOAD_CRC_AT = 12;
  static final int HEADER_CRC_AT = 16;
  /** The largest buffer Java can allocate, with margin: bounds frames and encoded calls. */
  static final int MAX_BUFFER = Integer.MAX_VALUE - 1024;
  static final int MAX_PAYLOAD = MAX_BUFFER - HEADER_BYTES;

  private Frames() {}

  /** What a file holds; its magic and how it is named in messages. */
  enum Kind {
    LOG("INMEMLOG", "log"),
    SNAPSHOT("INMEMSNP", "snapshot");

    private final byte[] magic;
    private final String noun;

    Kind(String magic, String noun) {
      this.magic = magic.getBytes(StandardCharsets.US_ASCII);
      this.noun = noun;
    }

    String noun() {
      return noun;
    }
  }

  /** Fills in the horizon and header checksum of a frame whose payload is sealed. */
  static void seal(ByteBuffer buffer, int frameStart, long horizon) {
    buffer.putLong(frameStart + HORIZON_AT, horizon);
    CRC32C crc = new CRC32C();
    crc.update(buffer.array(), buffer.arrayOffset() + frameStart, HEADER_CRC_AT);
    buffer.putInt(frameStart + HEADER_CRC_AT, (int) crc.getValue());
  }

  /** The header of a new file. */
  static ByteBuffer fileHeader(Kind kind, long generation) {
    ByteBuffer header = ByteBuffer.allocate(FILE_HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    header.put(kind.magic).putInt(FORMAT_VERSION).putLong(generation);
    CRC32C crc = new CRC32C();
    crc.update(header.array(), 0, 20);
    header.putInt((int) crc.getValue());
    return header.flip();
  }

  /**
   * Checks a file's header: right kind, intact, in a version this code reads, of the expected
   * generation.
   *
   * @return the file's format version
   * @throws StorageException saying what is wrong and what to do
   */
  static int checkFileHeader(Kind kind, Path file, FileChannel channel, long generation)
      throws IOException {
    ByteBuffer header = ByteBuffer.allocate(FILE_HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    while (header.hasRemaining() && channel.read(header, header.position()) >= 0) {
      // read until full or end of file
    }
    if (header.position() < 8 || !Arrays.equals(Arrays.copyOf(header.array(), 8), kind.magic)) {
      throw new StorageException(file + " is not an InMemory " + kind.noun + " file (its first"
          + " bytes are not " + new String(kind.magic, StandardCharsets.US_ASCII) + "). Move it"
          + " out of the store directory.");
    }
    if (header.hasRemaining()) {
      throw new StorageException(file + " is damaged: its " + FILE_HEADER_BYTES + "-byte header"
          + " is cut short at " + header.position() + " bytes. Restore the store directory from"
          + " a backup.");
    }
    int version = header.getInt(8);
    if (version > FORMAT_VERSION) {
      throw new StorageException(file + " is in store format version " + version + ", written"
          + " by a newer inmemory-store-file; this version reads format " + FORMAT_VERSION
          + ". Upgrade inmemory-store-file to open this store. Nothing was changed.");
    }
    CRC32C crc = new CRC32C();
    crc.update(header.array(), 0, 20);
    if (version < 1 || header.getInt(20) != (int) crc.getValue()) {
      throw new StorageException(file + " is damaged: its header fails its checksum. Restore the"
          + " store directory from a backup.");
    }
    if (version < OLDEST_READABLE_VERSION) {
      throw new StorageException(file + " is in store format version " + version + ", written"
          + " by a development build of inmemory-store-file before its first release; this"
          + " version reads formats " + OLDEST_READABLE_VERSION + " to " + FORMAT_VERSION
          + " only. Move the directory "
          + file.getParent() + " away and let the store create a new one. Nothing was changed.");
    }
    long actual = header.getLong(12);
    if (actual != generation) {
      throw new StorageException(file + " claims generation " + actual + " but is named as"
          + " generation " + generation + ": it was renamed or copied in by hand. Restore the"
          + " store directory from a backup.");
    }
    return version;
  }
}
