package io.inmemory.engine;

import io.inmemory.ConflictException;
import io.inmemory.ConversationRequest;
import io.inmemory.ConversationResult;
import io.inmemory.ExtractionException;
import io.inmemory.MemoryRecord;
import io.inmemory.Scope;
import io.inmemory.SearchRequest;
import io.inmemory.SearchResult;
import io.inmemory.engine.extraction.Extraction;
import io.inmemory.engine.extraction.Plan;
import io.inmemory.engine.extraction.TimedFact;
import io.inmemory.engine.spi.PartitionKey;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Conversation adds with a model: the extractor's facts (model call 1, outside any lock), each
 * looked up among the scope's current memories — a fact whose normalized text is held is known
 * without asking; the others meet the memories most like them (search of the owner, restricted to
 * the request's agent but deliberately not to its session, so that a fact of one session meets
 * the fact of another it contradicts) — then the extractor's decisions (model call 2, only when
 * some fact has such memories), and finally one commit under the partition's write lock.
 *
 * <p>What the model decided is applied only if the memories it changes are as they were shown to
 * it; otherwise the look-up and the decision run once more, and a second change by another writer
 * is a {@link ConflictException} with nothing stored. A failed model call stores nothing and is
 * thrown, unless the request asked for its messages to be stored raw then.
 *
 * <p>Thread-safe: holds no state.
 */
final class ExtractedConversations {

  private ExtractedConversations() {}

  /**
   * @param search the namespace's search (the memories most like a fact are found as any search
   *     finds them: current only, with the engine's ranking)
   */
  static ConversationResult remember(Function<SearchRequest, SearchResult> search, Engine engine,
      Extraction extraction, String namespace, Instant now, ConversationRequest request) {
    Scope scope = request.scope();
    ZoneId zone = request.zone() != null ? request.zone() : engine.settings().zone();
    try {
      List<TimedFact> facts =
          extraction.facts(request, Extraction.modelMessages(request), now, zone);
      if (facts.isEmpty()) {
        return new ConversationResult(List.of(), true, false, null);
      }
      try (PartitionCache.Lease lease = engine.partitions()
          .acquire(PartitionKey.of(namespace, scope.userId(), scope.agentId()))) {
        return remember(search, engine, extraction, namespace, request, facts, lease.partition());
      }
    } catch (ExtractionException e) {
      if (!request.storeRawOnFailure()) {
        throw e;
      }
      ConversationResult raw = Conversations.remember(engine, namespace, now, request);
      // the summary, not the message: the result travels (to a server's client, into logs) and
      // the message may quote the model's answer and name the endpoint
      return new ConversationResult(raw.events(), false, true, e.summary());
    }
  }

  /**
   * Decides and commits the facts against {@code partition}, pinned by the caller: the model
   * call and the second look-up through {@code search} run on the same instance.
   */
  private static ConversationResult remember(Function<SearchRequest, SearchResult> search,
      Engine engine, Extraction extraction, String namespace, ConversationRequest request,
      List<TimedFact> facts, Partition partition) {
    for (int attempt = 0; attempt < 2; attempt++) {
      Plan plan = decide(search, partition, extraction, request, facts);
      List<String> contents = plan.contentsToEmbed();
      List<float[]> vectors =
          contents.isEmpty() ? List.of() : engine.embeddings().documents(contents);
      Optional<Plan.Outcome> outcome = partition.write(() -> {
        Optional<Plan.Outcome> applied = plan.apply(request, namespace,
            engine.embeddings().id(), vectors, engine.settings().clock().instant(),
            () -> UUID.randomUUID().toString(), partition::get);
        applied.filter(changed -> !changed.changes().memories().isEmpty()).ifPresent(changed -> {
          engine.store().commit(changed.changes());
          partition.applied(changed.changes());
        });
        return applied;
      });
      if (outcome.isPresent()) {
        return new ConversationResult(outcome.get().events(), true, false, null);
      }
    }
    throw new ConflictException("the memories this conversation's facts change were changed by"
        + " another writer while the model decided, twice; nothing was stored: add the"
        + " conversation again");
  }

  /** Looks each fact up among the scope's memories and asks the model what the rest are. */
  private static Plan decide(Function<SearchRequest, SearchResult> search, Partition partition,
      Extraction extraction, ConversationRequest request, List<TimedFact> facts) {
    Scope scope = request.scope();
    Scope owner = new Scope(scope.userId(), scope.agentId(), null);
    List<@Nullable MemoryRecord> known = new ArrayList<>(facts.size());
    List<List<MemoryRecord>> candidates = new ArrayList<>(facts.size());
    for (TimedFact fact : facts) {
      Dedup.Key text = Dedup.Key.of(fact.content());
      @Nullable MemoryRecord held =
          partition.read(() -> partition.duplicate(text, scope.agentId(), null));
      known.add(held);
      candidates.add(held != null ? List.of() : search.apply(SearchRequest.builder(owner)
          .query(fact.content()).limit(extraction.candidatesPerFact()).build()).memories());
    }
    return extraction.reconcile(request, facts, known, candidates);
  }
}
