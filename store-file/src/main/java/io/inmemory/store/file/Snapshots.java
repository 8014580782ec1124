package io.inmemory.store.file;

import io.inmemory.HistoryEntry;
import io.inmemory.StorageException;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoredMemory;
import io.inmemory.engine.tenant.ApiKeyRecord;
import io.inmemory.engine.tenant.Project;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;

/**
 * Snapshot files: the whole state at the start of a generation, as frames of up to {@value #CHUNK}
 * projects, of up to {@value #CHUNK} API keys, of up to {@value #CHUNK} memories and of up to
 * {@value #CHUNK} histories of one partition, closed by an end frame holding the four counts; a
 * frame of memories or histories also closes once its texts and vectors reach
 * {@value #CHUNK_BYTES} bytes, so that large memories do not make frames (encoded whole in the
 * heap, when written and when read) hundreds of times their size. The
 * access records may include changes also logged in the snapshot's own log (see
 * {@link FileMemoryStore#compact()}); replaying those upserts again changes nothing. A snapshot
 * is created atomically,
 * so unlike a log it is never legitimately torn: any damage, or a missing end frame, fails the
 * open.
 */
final class Snapshots {
  static final int MEMORIES = 16;
  static final int HISTORIES = 17;
  static final int END = 18;
  static final int PROJECTS = 19;
  static final int KEYS = 20;
  /** Memories (or histories) per frame: large enough to amortize frame headers. */
  private static final int CHUNK = 256;
  /** Bytes of texts and vectors past which a frame of memories or histories closes. */
  private static final long CHUNK_BYTES = 1 << 20;
  private static final int FLUSH_BYTES = 4 << 20;

  private Snapshots() {}

  /**
   * Writes the snapshot of {@code generation} atomically; returns its size in bytes.
   * {@code written} runs once the whole snapshot is in its temporary file, before the file is
   * renamed into place (tests observe that step, see {@link Compactor.Step#SNAPSHOT_WRITTEN}).
   */
  static long write(StoreDirectory dir, long generation, List<StoreState.PartitionCopy> copies,
      StoreState.AccessCopy access, Runnable written) throws IOException {
    return dir.createAtomically(dir.snapshot(generation), channel -> {
      Writer writer = new Writer(channel);
      writer.write(Frames.fileHeader(Frames.Kind.SNAPSHOT, generation));
      for (List<Project> chunk : chunks(access.projects())) {
        writer.frame(PROJECTS, out -> {
          out.i32(chunk.size());
          chunk.forEach(project -> Records.writeProject(out, project));
        });
      }
      for (List<ApiKeyRecord> chunk : chunks(access.keys())) {
        writer.frame(KEYS, out -> {
          out.i32(chunk.size());
          chunk.forEach(key -> Records.writeKey(out, key));
        });
      }
      long memories = 0;
      long histories = 0;
      for (StoreState.PartitionCopy copy : copies) {
        for (List<StoredMemory> chunk : chunks(copy.memories(), Snapshots::size)) {
          writer.frame(MEMORIES, out -> {
            out.i32(chunk.size());
            chunk.forEach(memory -> Records.writeMemory(out, memory));
          });
          memories += chunk.size();
        }
        for (List<List<HistoryEntry>> chunk
            : chunks(List.copyOf(copy.history().values()), Snapshots::size)) {
          writer.frame(HISTORIES, out -> {
            out.string(copy.key().namespace());
            out.string(copy.key().owner());
            out.i32(chunk.size());
            for (List<HistoryEntry> entries : chunk) {
              out.i32(entries.size());
              entries.forEach(entry -> Records.writeEntry(out, entry));
            }
          });
          histories += chunk.size();
        }
      }
      long memoryCount = memories;
      long historyCount = histories;
      writer.frame(END, out -> {
        out.i64(access.projects().size());
        out.i64(access.keys().size());
        out.i64(memoryCount);
        out.i64(historyCount);
      });
      writer.flush();
      written.run();
    });
  }

  private static <T> List<List<T>> chunks(List<T> items) {
    return chunks(items, item -> 0);
  }

  /**
   * {@code items} in runs of at most {@value #CHUNK}, each closed early by the item with which the
   * sizes of its items reach {@value #CHUNK_BYTES} (so the items before a run's last one stay
   * under that; a large item ends the run it joins).
   */
  private static <T> List<List<T>> chunks(List<T> items, ToLongFunction<T> size) {
    List<List<T>> chunks = new ArrayList<>();
    int from = 0;
    long bytes = 0;
    for (int i = 0; i < items.size(); i++) {
      bytes += size.applyAsLong(items.get(i));
      if (i + 1 - from == CHUNK || bytes >= CHUNK_BYTES || i + 1 == items.size()) {
        chunks.add(items.subList(from, i + 1));
        from = i + 1;
        bytes = 0;
      }
    }
    return chunks;
  }

  /** An upper bound of the bytes a memory's content and vector take encoded. */
  private static long size(StoredMemory memory) {
    return 3L * memory.memory().content().length() + 4L * memory.embedding().length;
  }

  /** An upper bound of the bytes a memory's history takes encoded, contents only. */
  private static long size(List<HistoryEntry> history) {
    long bytes = 0;
    for (HistoryEntry entry : history) {
      bytes += 3L * (length(entry.previousContent()) + length(entry.newContent()));
    }
    return bytes;
  }

  private static int length(@Nullable String text) {
    return text == null ? 0 : text.length();
  }

  /**
   * What {@link #read} loaded.
   *
   * @param bytes the snapshot's size
   * @param version its format version
   */
  record Loaded(long bytes, int version) {}

  /**
   * Loads the snapshot of {@code generation} into {@code state}.
   *
   * @throws StorageException when the file is damaged or incomplete
   */
  static Loaded read(StoreDirectory dir, long generation, StoreState state) throws IOException {
    Path file = dir.snapshot(generation);
    try (FrameReader reader = FrameReader.open(file, Frames.Kind.SNAPSHOT, generation)) {
      // projects, keys, memories, histories
      long[] counts = new long[4];
      long[] endAt = {-1};
      FrameReader.Damage damage = reader.readAll((type, in, offset) -> {
        if (endAt[0] >= 0) {
          throw corrupt(file, offset, "a record follows the end record");
        }
        try {
          switch (type) {
            case PROJECTS -> {
              int count = in.count(1);
              for (int i = 0; i < count; i++) {
                state.access.restore(Records.readProject(in));
              }
              counts[0] += count;
            }
            case KEYS -> {
              int count = in.count(1);
              for (int i = 0; i < count; i++) {
                state.access.restore(Records.readKey(in));
              }
              counts[1] += count;
            }
            case MEMORIES -> {
              int count = in.count(1);
              for (int i = 0; i < count; i++) {
                state.put(Records.readMemory(in));
              }
              counts[2] += count;
            }
            case HISTORIES -> {
              StoreState.Partition partition =
                  state.partition(new PartitionKey(in.string(), in.string()));
              int count = in.count(4);
              for (int i = 0; i < count; i++) {
                int entries = in.count(1);
                for (int e = 0; e < entries; e++) {
                  partition.append(Records.readEntry(in));
                }
              }
              counts[3] += count;
            }
            case END -> {
              for (long count : counts) {
                if (in.i64() != count) {
                  throw new MalformedRecordException("the end record's counts do not match");
                }
              }
              endAt[0] = offset;
            }
            default -> throw new MalformedRecordException("unknown snapshot record type " + type);
          }
          in.requireEnd();
        } catch (RuntimeException e) {
          if (e instanceof StorageException storage) {
            throw storage;
          }
          throw corrupt(file, offset, "the record does not decode (" + e.getMessage() + ")");
        }
      });
      if (damage != null) {
        throw corrupt(file, damage.offset(), damage.reason());
      }
      if (endAt[0] < 0) {
        throw corrupt(file, reader.size(), "the snapshot ends without its end record");
      }
      return new Loaded(reader.size(), reader.version());
    }
  }

  private static StorageException corrupt(Path file, long offset, String reason) {
    return new StorageException("The snapshot " + file + " is damaged at byte offset " + offset
        + ": " + reason + ". Snapshots are written whole, so this is corruption of stored data."
        + " Restore the store directory from a backup; nothing was changed on disk.");
  }

  /** Encodes frames into a buffer and writes it out in large chunks. */
  private static final class Writer {
    private final FileChannel channel;
    private final Encoder encoder = new Encoder(FLUSH_BYTES + (64 << 10));
    private long position;

    Writer(FileChannel channel) {
      this.channel = channel;
    }

    interface Body {
      void encode(Encoder out);
    }

    void write(ByteBuffer bytes) throws IOException {
      int length = bytes.remaining();
      StoreDirectory.writeFully(channel, bytes, position);
      position += length;
    }

    void frame(int type, Body body) throws IOException {
      encoder.beginFrame(type);
      body.encode(encoder);
      encoder.seal(encoder.endFrame(), 0);
      if (encoder.size() >= FLUSH_BYTES) {
        flush();
      }
    }

    void flush() throws IOException {
      write(encoder.bytes());
      encoder.clear();
    }
  }
}
