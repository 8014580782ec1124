package io.inmemory.store.file;

import io.inmemory.MemoryRecord;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoredMemory;
import io.inmemory.engine.tenant.ApiKeyRecord;
import io.inmemory.engine.tenant.KeyScope;
import io.inmemory.engine.tenant.Project;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

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

  static Project project(String id) {
    return new Project(id, "project " + id, T0);
  }

  /** A new key of {@code projectId}; its hash is the SHA-256 of its id. */
  static ApiKeyRecord key(String id, String projectId) {
    try {
      String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(id.getBytes(StandardCharsets.UTF_8)));
      return ApiKeyRecord.create(id, projectId, "the key " + id + " used by the tests", hash,
          "im_" + id.substring(0, Math.min(4, id.length())), Set.of(KeyScope.READ), T0, null);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
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

  /**
   * Rewrites the format version in a file's header (a u32 at offset 8) and the header's CRC32C
   * of bytes 0..19 (at offset 20), as a writer of that version would have.
   */
  static void setFormatVersion(Path file, int version) throws IOException {
    writeInt(file, 8, version);
    byte[] header = new byte[20];
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      raf.readFully(header);
    }
    CRC32C crc = new CRC32C();
    crc.update(header);
    writeInt(file, 20, (int) crc.getValue());
  }

  /** Runs {@code action} and returns what it wrote to standard error (where warnings go). */
  /**
   * Copies the store files of {@code dir} (not the lock) into {@code target}: taken while the store
   * is open, what a {@code kill -9} at that moment leaves behind.
   */
  static Path copyStoreFiles(Path dir, Path target) {
    try {
      Files.createDirectories(target);
      try (Stream<Path> files = Files.list(dir)) {
        for (Path file : files.toList()) {
          if (!file.getFileName().toString().equals(StoreDirectory.LOCK_FILE)) {
            Files.copy(file, target.resolve(file.getFileName()));
          }
        }
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

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
