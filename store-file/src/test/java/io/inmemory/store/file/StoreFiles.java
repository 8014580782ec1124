package io.inmemory.store.file;

import io.inmemory.MemoryRecord;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoredMemory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Test helpers that look at and damage store files, independently of the code under test. */
final class StoreFiles {
  static final PartitionKey ALICE = new PartitionKey(PartitionKey.DEFAULT_NAMESPACE, "alice");
  private static final Instant T0 = Instant.parse("2024-03-01T12:00:00Z");

  private StoreFiles() {}

  static StoredMemory memory(String id) {
    MemoryRecord record = new MemoryRecord(id, ALICE.userId(), "content of " + id,
        List.of("tag"), List.of(), null, Map.of(), T0, T0);
    return new StoredMemory(ALICE.namespace(), record, new float[] {0.5f, -0.25f, 1f},
        "test:1");
  }

  /**
   * The start offsets of the frames of a log or snapshot: after the 24-byte file header, each
   * frame is a 20-byte header whose first field is the little-endian payload length.
   */
  static List<Long> frameOffsets(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    List<Long> offsets = new ArrayList<>();
    for (int at = 24; at + 20 <= bytes.length; at += 20 + buffer.getInt(at)) {
      offsets.add((long) at);
    }
    return offsets;
  }

  /** Inverts the bits of the byte at {@code offset}. */
  static void flipByte(Path file, long offset) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(offset);
      int value = raf.read();
      raf.seek(offset);
      raf.write(~value & 0xFF);
    }
  }

  static void truncate(Path file, long size) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(size);
    }
  }

  /** Overwrites the u32 at {@code offset} (little-endian). */
  static void writeInt(Path file, long offset, int value) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(offset);
      raf.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array());
    }
  }

  /** Runs {@code action} and returns what it wrote to standard error (where warnings go). */
  static String stderrOf(Runnable action) {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(original);
    }
    String text = captured.toString(StandardCharsets.UTF_8);
    original.print(text);
    return text;
  }
}
