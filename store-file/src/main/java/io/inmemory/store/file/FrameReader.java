package io.inmemory.store.file;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * Reads the frames of one log or snapshot file in order, and describes where and how the intact
 * part ends.
 *
 * <p>When a frame is damaged, the rest of the file is scanned byte by byte for intact frames.
 * Such a later frame whose durability horizon lies beyond the damaged offset proves that the
 * damaged bytes had been fsynced (and so acknowledged) before it was written: that is corruption
 * of stored data, never a torn write. Without such proof the damage lies in the part written
 * after the last completed fsync — a torn tail that no caller was told had been stored. Callers
 * decide what each outcome means (a log's tail may be truncated; a snapshot must be whole). Not
 * thread-safe.
 */
final class FrameReader implements Closeable {
  private static final int WINDOW_BYTES = 1 << 20;

  private static final int INCOMPLETE_HEADER = -1;
  private static final int HEADER_DAMAGED = -2;
  private static final int PAST_END = -3;
  private static final int PAYLOAD_DAMAGED = -4;

  /** Receives each intact frame; {@code payload} is only valid during the call. */
  interface Handler {
    void frame(int type, Decoder payload, long offset);
  }

  /**
   * Damage found while reading.
   *
   * @param offset where the first damaged frame starts
   * @param reason what is wrong with it
   * @param proofOffset the offset of a later intact frame showing the damaged bytes had been
   *     fsynced, or -1 when there is none (a torn tail)
   * @param laterFrames how many intact frames follow the damage
   */
  record Damage(long offset, String reason, long proofOffset, int laterFrames) {
    boolean acknowledged() {
      return proofOffset >= 0;
    }
  }

  private final Path file;
  private final FileChannel channel;
  private final int version;
  private final long size;
  private final CRC32C crc = new CRC32C();
  private ByteBuffer window = ByteBuffer.allocate(WINDOW_BYTES).order(ByteOrder.LITTLE_ENDIAN);
  private long windowStart;
  private long horizon;

  private FrameReader(Path file, FileChannel channel, int version) throws IOException {
    this.file = file;
    this.channel = channel;
    this.version = version;
    this.size = channel.size();
    window.limit(0);
  }

  /** Opens a file after checking its header (see {@link Frames#checkFileHeader}). */
  static FrameReader open(Path file, Frames.Kind kind, long generation) throws IOException {
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
    try {
      int version = Frames.checkFileHeader(kind, file, channel, generation);
      return new FrameReader(file, channel, version);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  long size() {
    return size;
  }

  /** The file's format version, which its records are decoded in. */
  int version() {
    return version;
  }

  /**
   * Passes every intact frame from the first to {@code handler}, in order, up to the end of the
   * file or the first damaged frame.
   *
   * @return the damage that stopped reading, or null when the whole file is intact
   */
  @Nullable Damage readAll(Handler handler) throws IOException {
    long position = Frames.FILE_HEADER_BYTES;
    while (position < size) {
      int length = check(position);
      if (length < 0) {
        return damageAt(position, length);
      }
      ByteBuffer payload = bytes(position + Frames.HEADER_BYTES, length);
      int type = payload.get() & 0xFF;
      handler.frame(type, new Decoder(payload, version), position);
      position += Frames.HEADER_BYTES + length;
    }
    return null;
  }

  private Damage damageAt(long offset, int code) throws IOException {
    String reason = switch (code) {
      case INCOMPLETE_HEADER -> "the file ends inside a record header";
      case HEADER_DAMAGED -> "the record header fails its checksum";
      case PAST_END -> "the record is longer than the rest of the file";
      default -> "the record fails its checksum";
    };
    int later = 0;
    long position = offset + 1;
    while (position + Frames.HEADER_BYTES <= size) {
      int length = check(position);
      if (length < 0) {
        position++;
        continue;
      }
      if (horizon > offset) {
        return new Damage(offset, reason, position, later + 1);
      }
      later++;
      position += Frames.HEADER_BYTES + length;
    }
    return new Damage(offset, reason, -1, later);
  }

  /** The payload length of the intact frame at {@code position}, or a negative damage code. */
  private int check(long position) throws IOException {
    if (position + Frames.HEADER_BYTES > size) {
      return INCOMPLETE_HEADER;
    }
    ByteBuffer header = bytes(position, Frames.HEADER_BYTES);
    int start = header.position();
    int length = header.getInt(start + Frames.LENGTH_AT);
    if (length < 1 || length > Frames.MAX_PAYLOAD) {
      return HEADER_DAMAGED;
    }
    crc.reset();
    crc.update(header.array(), header.arrayOffset() + start, Frames.HEADER_CRC_AT);
    if (header.getInt(start + Frames.HEADER_CRC_AT) != (int) crc.getValue()) {
      return HEADER_DAMAGED;
    }
    if (position + Frames.HEADER_BYTES + length > size) {
      return PAST_END;
    }
    horizon = header.getLong(start + Frames.HORIZON_AT);
    int payloadCrc = header.getInt(start + Frames.PAYLOAD_CRC_AT);
    ByteBuffer payload = bytes(position + Frames.HEADER_BYTES, length);
    crc.reset();
    crc.update(payload.array(), payload.arrayOffset() + payload.position(), length);
    return payloadCrc == (int) crc.getValue() ? length : PAYLOAD_DAMAGED;
  }

  /**
   * A buffer positioned at {@code position}'s byte with exactly {@code length} bytes remaining;
   * valid until the next call. The range must lie inside the file.
   */
  private ByteBuffer bytes(long position, int length) throws IOException {
    long windowEnd = windowStart + window.limit();
    if (position < windowStart || position + length > windowEnd) {
      if (length > window.capacity()) {
        window = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
      }
      window.clear();
      windowStart = position;
      while (window.hasRemaining()) {
        if (channel.read(window, windowStart + window.position()) < 0) {
          break;
        }
      }
      window.flip();
      if (window.limit() < length) {
        throw new IOException(file + " shrank while being read");
      }
    }
    int offset = (int) (position - windowStart);
    return window.duplicate().order(ByteOrder.LITTLE_ENDIAN)
        .limit(offset + length).position(offset);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
