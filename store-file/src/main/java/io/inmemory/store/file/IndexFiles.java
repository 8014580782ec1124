package io.inmemory.store.file;

import io.inmemory.engine.spi.IndexSnapshots;
import io.inmemory.engine.spi.PartitionKey;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The engine's index snapshots of a file store, in its subdirectory {@value #DIR}: one file per
 * partition, {@code <SHA-256 of namespace NUL user id, hex>.hnsw} (user ids may hold characters
 * that file systems reject, and any length). Written atomically like the store's own files
 * (temporary file, fsync, rename, fsync of the directory); temporary files left by a crash are
 * deleted on open. The store's directory lock covers them, and compaction never touches them: it
 * deletes only its own {@code memories-*} files. Thread-safe.
 */
final class IndexFiles implements IndexSnapshots {
  static final String DIR = "index";
  private static final String SUFFIX = ".hnsw";
  private static final int BUFFER = 1 << 16;

  private final Path storeDir;
  private final StoreDirectory dir;
  private final Runnable ensureOpen;

  /** Snapshots under {@code storeDir}; {@code ensureOpen} throws once the store is closed. */
  IndexFiles(Path storeDir, Runnable ensureOpen) throws IOException {
    this.storeDir = storeDir;
    this.dir = new StoreDirectory(storeDir.resolve(DIR));
    this.ensureOpen = ensureOpen;
    if (Files.isDirectory(dir.path())) {
      try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir.path(), "*.tmp")) {
        for (Path temp : temps) {
          Files.deleteIfExists(temp);
        }
      }
    }
  }

  /** The file of {@code partition}'s snapshot, which may not exist. */
  Path file(PartitionKey partition) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] key = (partition.namespace() + '\0' + partition.owner())
          .getBytes(StandardCharsets.UTF_8);
      return dir.path().resolve(HexFormat.of().formatHex(sha.digest(key)) + SUFFIX);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  @Override
  public Optional<InputStream> read(PartitionKey partition) throws IOException {
    ensureOpen.run();
    try {
      return Optional.of(Files.newInputStream(file(partition)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public void write(PartitionKey partition, Content content) throws IOException {
    ensureOpen.run();
    if (!Files.isDirectory(dir.path())) {
      Files.createDirectories(dir.path());
      new StoreDirectory(storeDir).sync();
    }
    dir.createAtomically(file(partition), channel -> {
      // Not closed: that would close the channel, which createAtomically still forces.
      OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER);
      content.writeTo(out);
      out.flush();
    });
  }

  @Override
  public void delete(PartitionKey partition) throws IOException {
    ensureOpen.run();
    if (Files.deleteIfExists(file(partition))) {
      dir.sync();
    }
  }
}
