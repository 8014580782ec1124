package io.inmemory.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which units of an import are done, in a file beside the input, one per target
 * ({@code FILE.<target>.inmemory-checkpoint} unless named): its first line says what is imported where (the input's SHA-256 and size, its
 * format, the target), then one line per unit stored, each forced to disk before the next unit
 * starts. A rerun skips the units listed without asking the store; a checkpoint of another input
 * or target is refused rather than trusted ({@code --restart} starts over). A unit stored just
 * before a crash, before its line, is found again by the import's own marker: the checkpoint is an
 * optimisation, never the only guard. Not thread-safe; one process at a time.
 */
final class Checkpoint implements AutoCloseable {
  private final FileChannel channel;
  private final Set<String> done;

  private Checkpoint(FileChannel channel, Set<String> done) {
    this.channel = channel;
    this.done = done;
  }

  /**
   * Opens (or starts) the checkpoint {@code file} of the import {@code header} describes.
   *
   * @param restart forget what {@code file} holds
   * @throws IllegalStateException when {@code file} is the checkpoint of another import
   * @throws UncheckedIOException when it cannot be read or written
   */
  static Checkpoint open(Path file, String header, boolean restart) {
    try {
      List<String> lines = restart || !Files.exists(file) ? List.of() : completeLines(file);
      if (!lines.isEmpty() && !lines.get(0).equals(header)) {
        throw new IllegalStateException("the checkpoint " + file + " is of another import ("
            + lines.get(0) + "); give --restart to import from the start");
      }
      FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE,
          StandardOpenOption.WRITE);
      Checkpoint checkpoint = new Checkpoint(channel, new HashSet<>(lines.subList(
          Math.min(1, lines.size()), lines.size())));
      long kept = lines.stream().mapToLong(line -> line.getBytes(StandardCharsets.UTF_8).length + 1)
          .sum();
      // a line cut by a crash is not a unit done: it is dropped, and so is any other import's
      channel.truncate(kept);
      channel.position(kept);
      if (lines.isEmpty()) {
        checkpoint.append(header);
      }
      return checkpoint;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot use the checkpoint " + file + ": " + e.getMessage(),
          e);
    }
  }

  /** The lines of {@code file} that end with a line break. */
  private static List<String> completeLines(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    int end = text.lastIndexOf('\n');
    return end < 0 ? List.of() : List.of(text.substring(0, end).split("\n", -1));
  }

  /** Whether {@code unit} was recorded as done. */
  boolean done(String unit) {
    return done.contains(unit);
  }

  /** Records {@code unit} as done, on disk before returning. */
  void record(String unit) {
    try {
      append(unit);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the checkpoint: " + e.getMessage(), e);
    }
    done.add(unit);
  }

  private void append(String line) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
    while (bytes.hasRemaining()) {
      channel.write(bytes);
    }
    channel.force(false);
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
