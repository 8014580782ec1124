package io.inmemory.engine.extraction;

import io.inmemory.ConversationRequest;
import io.inmemory.HistoryEntry;
import io.inmemory.MemoryEvent;
import io.inmemory.MemoryRecord;
import io.inmemory.Scope;
import io.inmemory.EventType;
import io.inmemory.engine.spi.ChangeSet;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoredMemory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What a conversation add will do, fact by fact, decided but not yet written: the engine embeds
 * {@link #contentsToEmbed()}, takes the partition's write lock and
 * writes {@link #apply}'s change set in one commit. Immutable and thread-safe.
 *
 * <p>A supersede keeps both facts: the new memory holds from its fact's time, and the old one is
 * marked invalid from then ({@code invalidAt}, {@code supersededBy}). When the new fact holds from
 * before the old one (an older conversation replayed late), the later fact stays current and the
 * new memory is stored already superseded by it.
 */
public final class Plan {

  private final List<Step> steps;

  Plan(List<Step> steps) {
    this.steps = List.copyOf(steps);
  }

  /** The steps, one per fact, in fact order. */
  public List<Step> steps() {
    return steps;
  }

  /** Whether anything is to be written (not every fact is known already). */
  public boolean writes() {
    return steps.stream().anyMatch(step -> step.action() != EventType.NONE);
  }

  /**
   * The texts to embed before {@link #apply}, in step order: each new memory's fact and each
   * update's new content.
   */
  public List<String> contentsToEmbed() {
    return steps.stream().filter(step -> step.action() != EventType.NONE)
        .map(Step::content).toList();
  }

  /**
   * The writes and the events of this plan, or empty when a memory it changes is no longer as it
   * was when the plan was decided (gone, superseded, or changed since: {@code updatedAt}): such a
   * plan is decided again.
   *
   * @param namespace the partition's namespace
   * @param embedderId the id of the embedder of {@code vectors}
   * @param vectors the embeddings of {@link #contentsToEmbed()}, in its order
   * @param now the instant of the change: {@code createdAt} of new memories, {@code updatedAt} of
   *     changed ones, the time of the history entries
   * @param ids new memory ids
   * @param current the partition's memory of an id, read under its write lock
   */
  public Optional<Outcome> apply(ConversationRequest request, String namespace,
      String embedderId, List<float[]> vectors, Instant now, Supplier<String> ids,
      Function<String, Optional<StoredMemory>> current) {
    if (vectors.size() != contentsToEmbed().size()) {
      throw new IllegalArgumentException("one vector per content to embed");
    }
    Map<String, StoredMemory> targets = new LinkedHashMap<>();
    for (Step step : steps) {
      MemoryRecord target = step.target();
      if (target != null && step.action() != EventType.NONE) {
        Optional<StoredMemory> stored = current.apply(target.id());
        if (stored.isEmpty() || stored.get().memory().invalidAt() != null
            || !stored.get().memory().updatedAt().equals(target.updatedAt())) {
          return Optional.empty();
        }
        targets.put(target.id(), stored.get());
      }
    }
    Scope scope = request.scope();
    List<StoredMemory> inserted = new ArrayList<>();
    List<StoredMemory> replaced = new ArrayList<>();
    List<HistoryEntry> entries = new ArrayList<>();
    List<MemoryEvent> events = new ArrayList<>(steps.size());
    int vector = 0;
    for (Step step : steps) {
      MemoryRecord target = step.target();
      switch (step.action()) {
        case NONE -> events.add(MemoryEvent.unchanged(Objects.requireNonNull(target)));
        case ADD -> {
          MemoryRecord added = newMemory(request, step.fact(), ids.get(), now, null, null);
          inserted.add(new StoredMemory(namespace, added, vectors.get(vector++), embedderId));
          entries.add(entry(added, HistoryEntry.Event.ADD, null, added.content(), now, null));
          events.add(MemoryEvent.added(added));
        }
        case UPDATE -> {
          MemoryRecord old = Objects.requireNonNull(target);
          MemoryRecord updated = updated(old, step.fact(), step.content(), now);
          replaced.add(new StoredMemory(namespace, updated, vectors.get(vector++), embedderId));
          entries.add(entry(updated, HistoryEntry.Event.UPDATE, old.content(),
              updated.content(), now, null));
          events.add(new MemoryEvent(EventType.UPDATE, updated, old.id(), old.content()));
        }
        case SUPERSEDE -> {
          MemoryRecord old = Objects.requireNonNull(target);
          String id = ids.get();
          float[] embedding = vectors.get(vector++);
          if (step.fact().validFrom().isBefore(old.validFrom())) {
            MemoryRecord late = newMemory(request, step.fact(), id, now, old.validFrom(),
                old.id());
            inserted.add(new StoredMemory(namespace, late, embedding, embedderId));
            entries.add(entry(late, HistoryEntry.Event.ADD, null, late.content(), now, old.id()));
            entries.add(entry(late, HistoryEntry.Event.SUPERSEDE, late.content(), late.content(),
                now, old.id()));
            events.add(MemoryEvent.added(late));
          } else {
            MemoryRecord added = newMemory(request, step.fact(), id, now, null, null);
            MemoryRecord superseded = superseded(old, added, now);
            inserted.add(new StoredMemory(namespace, added, embedding, embedderId));
            StoredMemory kept = targets.get(old.id());
            replaced.add(new StoredMemory(namespace, superseded, kept.embedding(),
                kept.embedderId()));
            entries.add(entry(added, HistoryEntry.Event.ADD, null, added.content(), now,
                old.id()));
            entries.add(entry(superseded, HistoryEntry.Event.SUPERSEDE, old.content(),
                old.content(), now, added.id()));
            events.add(new MemoryEvent(EventType.SUPERSEDE, added, old.id(), old.content()));
          }
        }
      }
    }
    PartitionKey partition = PartitionKey.of(namespace, scope.userId(), scope.agentId());
    return Optional.of(new Outcome(new ChangeSet(partition, inserted, replaced, entries), events));
  }

  private static MemoryRecord newMemory(ConversationRequest request, TimedFact fact, String id,
      Instant now, @Nullable Instant invalidAt, @Nullable String supersededBy) {
    Scope scope = request.scope();
    Set<String> tags = new LinkedHashSet<>(request.tags());
    tags.addAll(fact.fact().tags());
    Map<String, Object> metadata = new LinkedHashMap<>(request.metadata());
    metadata.putAll(fact.metadata());
    String topic = fact.fact().topic() != null ? fact.fact().topic() : request.topic();
    return new MemoryRecord(id, scope.userId(), fact.content(), List.copyOf(tags),
        fact.fact().people(), topic, metadata, now, now, scope.agentId(), scope.sessionId(), null,
        fact.validFrom(), invalidAt, supersededBy);
  }

  private static MemoryRecord updated(MemoryRecord old, TimedFact fact, String content,
      Instant now) {
    Set<String> tags = new LinkedHashSet<>(old.tags());
    tags.addAll(fact.fact().tags());
    Set<String> people = new LinkedHashSet<>(old.people());
    people.addAll(fact.fact().people());
    String topic = old.topic() != null ? old.topic() : fact.fact().topic();
    return new MemoryRecord(old.id(), old.userId(), content, List.copyOf(tags),
        List.copyOf(people), topic, old.metadata(), old.createdAt(), now, old.agentId(),
        old.sessionId(), old.role(), old.validFrom(), old.invalidAt(), old.supersededBy());
  }

  private static MemoryRecord superseded(MemoryRecord old, MemoryRecord successor, Instant now) {
    return new MemoryRecord(old.id(), old.userId(), old.content(), old.tags(), old.people(),
        old.topic(), old.metadata(), old.createdAt(), now, old.agentId(), old.sessionId(),
        old.role(), old.validFrom(), successor.validFrom(), successor.id());
  }

  private static HistoryEntry entry(MemoryRecord memory, HistoryEntry.Event event,
      @Nullable String previous, @Nullable String next, Instant at, @Nullable String related) {
    return new HistoryEntry(memory.id(), memory.userId(), event, previous, next, at,
        memory.agentId(), related);
  }

  /** The writes of a plan and the events the caller is answered. */
  public record Outcome(ChangeSet changes, List<MemoryEvent> events) {
    public Outcome {
      Objects.requireNonNull(changes, "changes");
      events = List.copyOf(events);
    }
  }

  /**
   * What happens to one fact.
   *
   * @param fact the fact
   * @param action {@code ADD}, {@code NONE} (known: {@code target} holds it), {@code UPDATE}
   *     ({@code target} takes {@code content}) or {@code SUPERSEDE} ({@code target} is no longer
   *     current from the fact's time)
   * @param target the existing memory concerned, or {@code null} for {@code ADD}
   * @param content the text written: the fact's, or the update's merged text
   */
  public record Step(TimedFact fact, EventType action, @Nullable MemoryRecord target,
      String content) {

    public Step {
      Objects.requireNonNull(fact, "fact");
      Objects.requireNonNull(action, "action");
      Objects.requireNonNull(content, "content");
      if ((action == EventType.ADD) != (target == null)) {
        throw new IllegalArgumentException(action + (target == null ? " needs" : " has no")
            + " target");
      }
    }

    static Step added(TimedFact fact) {
      return new Step(fact, EventType.ADD, null, fact.content());
    }

    static Step known(TimedFact fact, MemoryRecord existing) {
      return new Step(fact, EventType.NONE, existing, fact.content());
    }

    static Step updated(TimedFact fact, MemoryRecord target, String content) {
      return new Step(fact, EventType.UPDATE, target, content);
    }

    static Step superseding(TimedFact fact, MemoryRecord target) {
      return new Step(fact, EventType.SUPERSEDE, target, fact.content());
    }
  }
}
