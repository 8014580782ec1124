package io.inmemory.store.file;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads what {@link Encoder} wrote from a little-endian buffer, of a file of a given format
 * version. Any inconsistency (a negative or oversized count, a read past the end) is a
 * {@link MalformedRecordException}. Not thread-safe.
 */
final class Decoder {
  private final ByteBuffer in;
  private final int version;

  Decoder(ByteBuffer in, int version) {
    this.in = in;
    this.version = version;
  }

  /** The format version of the file the record comes from: it fixes the records' layout. */
  int version() {
    return version;
  }

  int u8() {
    return get(() -> in.get() & 0xFF);
  }

  int i32() {
    return get(in::getInt);
  }

  long i64() {
    return get(in::getLong);
  }

  double f64() {
    return get(in::getDouble);
  }

  /** A count of items each at least {@code minBytes} long. */
  int count(int minBytes) {
    int count = i32();
    if (count < 0 || (long) count * minBytes > in.remaining()) {
      throw new MalformedRecordException("count " + count + " does not fit the record");
    }
    return count;
  }

  String string() {
    String value = nullableString();
    if (value == null) {
      throw new MalformedRecordException("missing required text");
    }
    return value;
  }

  @Nullable String nullableString() {
    int length = i32();
    if (length == -1) {
      return null;
    }
    if (length < 0 || length > in.remaining()) {
      throw new MalformedRecordException("text length " + length + " does not fit the record");
    }
    String value = new String(in.array(), in.arrayOffset() + in.position(), length,
        StandardCharsets.UTF_8);
    in.position(in.position() + length);
    return value;
  }

  List<String> strings() {
    int count = count(4);
    List<String> values = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      values.add(string());
    }
    return values;
  }

  Instant instant() {
    long seconds = i64();
    int nanos = i32();
    try {
      return Instant.ofEpochSecond(seconds, nanos);
    } catch (DateTimeException e) {
      throw new MalformedRecordException("instant out of range");
    }
  }

  @Nullable Instant nullableInstant() {
    return switch (u8()) {
      case 0 -> null;
      case 1 -> instant();
      default -> throw new MalformedRecordException("invalid presence flag of an instant");
    };
  }

  float[] floats() {
    int count = count(4);
    float[] values = new float[count];
    in.asFloatBuffer().get(values);
    in.position(in.position() + 4 * count);
    return values;
  }

  /** Fails unless every byte was read: a record never has trailing bytes. */
  void requireEnd() {
    if (in.hasRemaining()) {
      throw new MalformedRecordException(in.remaining() + " unexpected trailing bytes");
    }
  }

  private interface Read<T> {
    T get();
  }

  private static <T> T get(Read<T> read) {
    try {
      return read.get();
    } catch (BufferUnderflowException e) {
      throw new MalformedRecordException("record ends early");
    }
  }
}
