package io.inmemory.store.file;

import io.inmemory.Validation;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * A growable little-endian buffer that frames are encoded into: {@link #beginFrame(int)}, the
 * record's fields, then {@link #endFrame()}, which fills in the length and payload checksum, and
 * {@link #seal}, which fills in the durability horizon and header checksum (for a log frame, at
 * the moment it is appended). Not thread-safe.
 */
final class Encoder {
  private ByteBuffer buffer;
  private int frameStart = -1;

  Encoder(int initialCapacity) {
    buffer = ByteBuffer.allocate(Math.max(64, initialCapacity)).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Starts a frame of the given record type. */
  void beginFrame(int type) {
    if (frameStart >= 0) {
      throw new IllegalStateException("a frame is already open");
    }
    ensure(Frames.HEADER_BYTES + 1);
    frameStart = buffer.position();
    buffer.position(frameStart + Frames.HEADER_BYTES);
    buffer.put((byte) type);
  }

  /** Closes the open frame: writes its length and payload checksum; returns where it starts. */
  int endFrame() {
    if (frameStart < 0) {
      throw new IllegalStateException("no frame is open");
    }
    int start = frameStart;
    int payloadStart = start + Frames.HEADER_BYTES;
    int length = buffer.position() - payloadStart;
    CRC32C crc = new CRC32C();
    crc.update(buffer.array(), buffer.arrayOffset() + payloadStart, length);
    buffer.putInt(start + Frames.LENGTH_AT, length);
    buffer.putInt(start + Frames.PAYLOAD_CRC_AT, (int) crc.getValue());
    frameStart = -1;
    return start;
  }

  /** Fills in the horizon and header checksum of the frame at {@code frameStart}. */
  void seal(int frameStart, long horizon) {
    Frames.seal(buffer, frameStart, horizon);
  }

  /** Bytes encoded so far. */
  int size() {
    return buffer.position();
  }

  /** The encoded bytes, from the start, as a buffer positioned at 0 (shares this content). */
  ByteBuffer bytes() {
    if (frameStart >= 0) {
      throw new IllegalStateException("a frame is still open");
    }
    return buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN).flip();
  }

  /** Forgets everything encoded, keeping the capacity. */
  void clear() {
    buffer.clear();
    frameStart = -1;
  }

  void u8(int value) {
    ensure(1);
    buffer.put((byte) value);
  }

  void i32(int value) {
    ensure(4);
    buffer.putInt(value);
  }

  void i64(long value) {
    ensure(8);
    buffer.putLong(value);
  }

  void f64(double value) {
    ensure(8);
    buffer.putDouble(value);
  }

  /**
   * A string as UTF-8 after its length.
   *
   * @throws IllegalArgumentException when it holds a lone surrogate: UTF-8 cannot encode it, and
   *     {@link String#getBytes} would silently write {@code ?} instead (requests are checked
   *     before they reach a store, so this guards against a path that skipped the check)
   */
  void string(String value) {
    if (!Validation.isWellFormedText(value)) {
      throw new IllegalArgumentException("text with a lone UTF-16 surrogate cannot be stored"
          + " exactly in UTF-8; requests with such text must be refused before the store");
    }
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    ensure(4 + bytes.length);
    buffer.putInt(bytes.length);
    buffer.put(bytes);
  }

  /** A string or null (length -1). */
  void nullableString(@Nullable String value) {
    if (value == null) {
      i32(-1);
    } else {
      string(value);
    }
  }

  void strings(List<String> values) {
    i32(values.size());
    for (String value : values) {
      string(value);
    }
  }

  /** An instant as epoch seconds and nanoseconds, so every instant fits. */
  void instant(Instant value) {
    i64(value.getEpochSecond());
    i32(value.getNano());
  }

  /** An instant or null: a presence byte, then the instant when present. */
  void nullableInstant(@Nullable Instant value) {
    u8(value == null ? 0 : 1);
    if (value != null) {
      instant(value);
    }
  }

  /** Raw IEEE 754 floats, little-endian, after their count. */
  void floats(float[] values) {
    ensure(4 + 4 * values.length);
    buffer.putInt(values.length);
    buffer.asFloatBuffer().put(values);
    buffer.position(buffer.position() + 4 * values.length);
  }

  private void ensure(int bytes) {
    if (buffer.remaining() >= bytes) {
      return;
    }
    long needed = (long) buffer.position() + bytes;
    if (needed > Frames.MAX_BUFFER) {
      throw new IllegalArgumentException("a single store call cannot encode more than "
          + Frames.MAX_BUFFER + " bytes; split the batch");
    }
    int capacity = (int) Math.min(Frames.MAX_BUFFER, Math.max(needed, 2L * buffer.capacity()));
    ByteBuffer grown = ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
    buffer.flip();
    grown.put(buffer);
    buffer = grown;
  }
}
