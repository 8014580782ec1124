package io.inmemory.engine.spi;

import io.inmemory.ConflictException;
import io.inmemory.HistoryEntry;
import io.inmemory.NotFoundException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Several changes of one partition that {@link MemoryStore#commit} writes all or nothing: new
 * memories, replacements of existing ones (an update, or a memory marked superseded), and the
 * history entries of both. Immutable; the lists are unmodifiable copies.
 *
 * <p>The constructor checks the form: every memory belongs to {@code partition}, no id is both
 * inserted and replaced or given twice, and every entry belongs to a memory of
 * {@code inserted ++ replaced} (same owner and id, as {@link StoredMemory#owners} matches them).
 * Whether inserted ids are new and replaced ones exist is the store's to check.
 *
 * @param partition the one partition changed
 * @param inserted memories to add; their ids must not exist yet
 * @param replaced memories to replace; their ids must exist
 * @param entries the history entries of the changes, in the order they happened
 * @param events whether a store that records events (see {@link EventSettings#RECORD}) records
 *     the entries as pending webhook events; false for a restore of history written long ago
 */
public record ChangeSet(PartitionKey partition, List<StoredMemory> inserted,
    List<StoredMemory> replaced, List<HistoryEntry> entries, boolean events) {

  public ChangeSet {
    Objects.requireNonNull(partition, "partition");
    inserted = List.copyOf(inserted);
    replaced = List.copyOf(replaced);
    entries = List.copyOf(entries);
    Set<String> ids = new HashSet<>();
    for (StoredMemory memory : all(inserted, replaced)) {
      if (!memory.partition().equals(partition)) {
        throw new IllegalArgumentException("memory " + memory.id() + " is of " + memory.partition()
            + ", not of " + partition);
      }
      if (!ids.add(memory.id())) {
        throw new IllegalArgumentException("memory " + memory.id() + " is changed twice");
      }
    }
    StoredMemory.owners(all(inserted, replaced), entries);
  }

  /** Changes whose entries are recorded as events when the store records them. */
  public ChangeSet(PartitionKey partition, List<StoredMemory> inserted,
      List<StoredMemory> replaced, List<HistoryEntry> entries) {
    this(partition, inserted, replaced, entries, true);
  }

  /**
   * Checks the changes against the partition as stored, before anything is written: every
   * inserted id must be new and every replaced one must exist.
   *
   * @param stored whether the partition holds a memory with the given id
   * @throws ConflictException when an inserted memory's id already exists
   * @throws NotFoundException when a replaced memory does not exist
   */
  public void requireApplicable(Predicate<String> stored) {
    for (StoredMemory memory : inserted) {
      if (stored.test(memory.id())) {
        throw new ConflictException("memory " + memory.id() + " already exists");
      }
    }
    for (StoredMemory memory : replaced) {
      if (!stored.test(memory.id())) {
        throw new NotFoundException("memory " + memory.id() + " does not exist");
      }
    }
  }

  /** {@code inserted} followed by {@code replaced}: the memories {@link #owners()} indexes. */
  public List<StoredMemory> memories() {
    return all(inserted, replaced);
  }

  /** For each entry, its memory's index in {@link #memories()}. */
  public int[] owners() {
    return StoredMemory.owners(memories(), entries);
  }

  private static List<StoredMemory> all(List<StoredMemory> inserted, List<StoredMemory> replaced) {
    List<StoredMemory> all = new ArrayList<>(inserted.size() + replaced.size());
    all.addAll(inserted);
    all.addAll(replaced);
    return all;
  }
}
