package io.inmemory.store.file;

import io.inmemory.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files of a store directory: {@code memories-<generation>.log} (changes made after the
 * snapshot of the same generation, or after nothing for generation 0),
 * {@code memories-<generation>.snapshot} and the lock file {@code memories.lock}. Files are
 * created atomically: written to {@code <name>.tmp}, fsynced, renamed, and the directory fsynced.
 */
final class StoreDirectory {
  /**
   * The store's logger. Its parts log under the facade's name, so that the one logger
   * {@code io.inmemory.store.file.FileMemoryStore} governs every message of the store.
   */
  static final Logger LOG = LoggerFactory.getLogger("io.inmemory.store.file.FileMemoryStore");
  static final String LOCK_FILE = "memories.lock";
  private static final String TEMP_SUFFIX = ".tmp";
  private static final Pattern NAME = Pattern.compile("memories-(\\d{1,18})\\.(log|snapshot)");
  private static final boolean WINDOWS =
      System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");

  private final Path dir;

  StoreDirectory(Path dir) {
    this.dir = dir;
  }

  Path path() {
    return dir;
  }

  Path log(long generation) {
    return dir.resolve("memories-" + generation + ".log");
  }

  Path snapshot(long generation) {
    return dir.resolve("memories-" + generation + ".snapshot");
  }

  /** The generations present, by kind, from a listing of the directory. */
  record Listing(TreeSet<Long> logs, TreeSet<Long> snapshots) {}

  Listing list() throws IOException {
    TreeSet<Long> logs = new TreeSet<>();
    TreeSet<Long> snapshots = new TreeSet<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        Matcher matcher = NAME.matcher(file.getFileName().toString());
        if (matcher.matches()) {
          long generation = Long.parseLong(matcher.group(1));
          (matcher.group(2).equals("log") ? logs : snapshots).add(generation);
        }
      }
    }
    return new Listing(logs, snapshots);
  }

  /** Deletes temporary files left by an interrupted write. */
  void deleteTemporaryFiles() throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "memories-*" + TEMP_SUFFIX)) {
      for (Path file : files) {
        Files.deleteIfExists(file);
      }
    }
  }

  /** Deletes every log and snapshot of a generation below {@code generation}. */
  void deleteGenerationsBelow(long generation) throws IOException {
    Listing listing = list();
    boolean deleted = false;
    for (long old : listing.logs().headSet(generation)) {
      deleted |= Files.deleteIfExists(log(old));
    }
    for (long old : listing.snapshots().headSet(generation)) {
      deleted |= Files.deleteIfExists(snapshot(old));
    }
    if (deleted) {
      sync();
    }
  }

  /** Writes the content of one new file. */
  interface Content {
    void write(FileChannel channel) throws IOException;
  }

  /**
   * Creates {@code target} atomically with the given content: once this returns, the file
   * exists whole and durably, and a crash before that leaves at most a temporary file.
   *
   * @return the size of the file
   */
  long createAtomically(Path target, Content content) throws IOException {
    Path temp = target.resolveSibling(target.getFileName() + TEMP_SUFFIX);
    long size;
    try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      content.write(channel);
      channel.force(true);
      size = channel.size();
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    sync();
    return size;
  }

  /**
   * Fsyncs the directory, so created, renamed and deleted names are durable. Windows cannot open
   * a directory for this; there NTFS journals metadata changes itself.
   */
  void sync() throws IOException {
    if (WINDOWS) {
      return;
    }
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  /** Writes all of {@code buffer} at {@code position}. */
  static void writeFully(FileChannel channel, ByteBuffer buffer, long position)
      throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      at += channel.write(buffer, at);
    }
  }

  /** A storage failure naming this directory. */
  StorageException failure(String what, IOException cause) {
    return new StorageException(what + " in the file store " + dir + ": " + cause, cause);
  }
}
