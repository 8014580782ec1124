package io.inmemory.store.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes {@link FormatFixture} in the format this code writes: into a temporary directory by
 * default, or into the directory named by the system property {@value #DIR_PROPERTY} to make a
 * fixture of today's format for the migration tests of a later one (see the module README).
 */
class FormatFixtureTest {
  /** Where to write the fixture instead of a temporary directory. */
  static final String DIR_PROPERTY = "inmemory.store-file.fixture-dir";

  @TempDir
  Path temp;

  @Test
  void writesASmallSnapshotAndLogOfTheCurrentFormat() throws IOException {
    String target = System.getProperty(DIR_PROPERTY);
    Path dir = target == null ? temp.resolve("fixture") : Path.of(target);
    try (FileMemoryStore store = FileMemoryStore.open(dir)) {
      FormatFixture.write(store);
    }
    Files.deleteIfExists(dir.resolve(StoreDirectory.LOCK_FILE));

    List<Path> files;
    try (Stream<Path> listing = Files.list(dir)) {
      files = listing.sorted().toList();
    }
    assertThat(files).extracting(file -> file.getFileName().toString())
        .containsExactly("memories-1.log", "memories-1.snapshot");
    long bytes = 0;
    for (Path file : files) {
      assertThat(formatVersion(file)).as(file.toString()).isEqualTo(Frames.FORMAT_VERSION);
      bytes += Files.size(file);
    }
    assertThat(bytes).isLessThan(16 * 1024);
  }

  private static int formatVersion(Path file) throws IOException {
    byte[] header = new byte[12];
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      raf.readFully(header);
    }
    return ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getInt(8);
  }
}
