package io.inmemory.store.file;

import io.inmemory.HistoryEntry;
import io.inmemory.StorageException;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoredMemory;
import io.inmemory.engine.tenant.ApiKeyRecord;
import io.inmemory.engine.tenant.DeliveryRecord;
import io.inmemory.engine.tenant.OutboxEvent;
import io.inmemory.engine.tenant.Project;
import io.inmemory.engine.tenant.WebhookRecord;
import io.inmemory.engine.tenant.WebhookTable;
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
 * {@value #CHUNK} histories of one partition, then (format 4) of up to {@value #CHUNK} webhooks,
 * deliveries and pending events, closed by an end frame holding the counts (and, format 4, the
 * last delivery sequence reserved); a
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
  static final int HOOKS = 21;
  static final int DELIVERIES = 22;
  static final int EVENTS = 23;
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
      WebhookTable.Contents webhooks = access.webhooks();
      writeChunks(writer, HOOKS, webhooks.hooks(), item -> 0, WebhookRecords::writeHook);
      writeChunks(writer, DELIVERIES, webhooks.deliveries(),
          delivery -> 3L * delivery.payload().length(), WebhookRecords::writeDelivery);
      writeChunks(writer, EVENTS, webhooks.events(), event -> size(List.of(event.entry())),
          WebhookRecords::writeEvent);
      long memoryCount = memories;
      long historyCount = histories;
      writer.frame(END, out -> {
        out.i64(access.projects().size());
        out.i64(access.keys().size());
        out.i64(memoryCount);
        out.i64(historyCount);
        out.i64(webhooks.hooks().size());
        out.i64(webhooks.deliveries().size());
        out.i64(webhooks.events().size());
        out.i64(webhooks.lastSequence());
      });
      writer.flush();
      written.run();
    });
  }

  /** Writes {@code items} as frames of {@code type}, each a count and its items. */
  private static <T> void writeChunks(Writer writer, int type, List<T> items,
      ToLongFunction<T> size, WebhookRecords.Writer<T> item) throws IOException {
    for (List<T> chunk : chunks(items, size)) {
      writer.frame(type, out -> WebhookRecords.writeAll(out, chunk, item));
    }
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
      // projects, keys, memories, histories, then (format 4) hooks, deliveries, events
      long[] counts = new long[7];
      List<WebhookRecord> hooks = new ArrayList<>();
      List<DeliveryRecord> deliveries = new ArrayList<>();
      List<OutboxEvent> events = new ArrayList<>();
      long[] lastSequence = {0};
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
            case HOOKS -> counts[4] += added(hooks, WebhookRecords.readAll(in,
                WebhookRecords::readHook));
            case DELIVERIES -> counts[5] += added(deliveries, WebhookRecords.readAll(in,
                WebhookRecords::readDelivery));
            case EVENTS -> counts[6] += added(events, WebhookRecords.readAll(in,
                WebhookRecords::readEvent));
            case END -> {
              int kept = in.version() < 4 ? 4 : counts.length;
              for (int i = 0; i < kept; i++) {
                if (in.i64() != counts[i]) {
                  throw new MalformedRecordException("the end record's counts do not match");
                }
              }
              if (in.version() >= 4) {
                lastSequence[0] = in.i64();
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
      state.webhooks.restore(new WebhookTable.Contents(lastSequence[0], events, hooks,
          deliveries));
      return new Loaded(reader.size(), reader.version());
    }
  }

  private static <T> int added(List<T> to, List<T> items) {
    to.addAll(items);
    return items.size();
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
