package io.inmemory.engine.extraction;

import io.inmemory.AddRequest;
import io.inmemory.ConversationRequest;
import io.inmemory.ExtractionException;
import io.inmemory.InMemoryException;
import io.inmemory.Limits;
import io.inmemory.MemoryRecord;
import io.inmemory.Message;
import io.inmemory.Role;
import io.inmemory.engine.embedding.Timed;
import io.inmemory.engine.spi.Action;
import io.inmemory.engine.spi.Candidate;
import io.inmemory.engine.spi.Decision;
import io.inmemory.engine.spi.ExtractionInput;
import io.inmemory.engine.spi.EngineMetrics;
import io.inmemory.engine.spi.EngineMetrics.Step;
import io.inmemory.engine.spi.Extractor;
import io.inmemory.engine.spi.Fact;
import io.inmemory.engine.spi.ReconciliationInput;
import io.inmemory.engine.temporal.TemporalParser;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The two model calls of a conversation add, and the checks of what they answer: {@link #facts}
 * asks the extractor for the facts of the messages and gives each the time it holds from;
 * {@link #reconcile} asks it what each new fact is to the memories most like it, and turns the
 * answer into a {@link Plan}. Thread-safe (immutable; the extractor is thread-safe by contract);
 * holds no lock and writes nothing: the engine embeds, looks up candidates and applies the plan.
 *
 * <p>An extractor's answer the engine cannot apply as it stands — a fact that would not pass as an
 * add request, a source outside the messages, a decision for no fact or for a memory not shown —
 * is an {@link ExtractionException} of reason {@link ExtractionException.Reason#MALFORMED}:
 * never guessed at, never partly used.
 */
public final class Extraction implements AutoCloseable {

  /** Metadata key of a fact's time phrase that the temporal grammar could not resolve. */
  public static final String WHEN_TEXT = "when_text";
  /** Metadata key of the ids of the messages a fact comes from, when the messages have ids. */
  public static final String SOURCE_MESSAGE_IDS = "source_message_ids";

  private final Extractor extractor;
  private final TemporalParser temporal;
  private final Limits limits;
  private final EngineMetrics metrics;

  /** @param metrics told of each model call */
  public Extraction(Extractor extractor, TemporalParser temporal, Limits limits,
      EngineMetrics metrics) {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.extractor = Objects.requireNonNull(extractor, "extractor");
    this.temporal = Objects.requireNonNull(temporal, "temporal");
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /** How many similar memories per fact reconciliation shows the model. */
  public int candidatesPerFact() {
    return extractor.candidatesPerFact();
  }

  /** Closes the extractor. */
  @Override
  public void close() {
    extractor.close();
  }

  /** The extractor's id, for health and logs. */
  public String extractorId() {
    return extractor.id();
  }

  /**
   * The messages the model reads: those of the roles the request asks for, and system messages as
   * context (the prompts tell the model that those hold no facts about the user).
   */
  public static List<Message> modelMessages(ConversationRequest request) {
    return request.messages().stream()
        .filter(message -> request.roles().contains(message.role())
            || message.role() == Role.SYSTEM)
        .toList();
  }

  /**
   * Model call 1: the facts of {@code messages}, each checked as an add request of the request's
   * scope would be, and timed.
   *
   * @param messages {@link #modelMessages} of the request
   * @param now the call's instant: the reference time of untimed messages
   * @throws ExtractionException when the extractor fails or answers a fact that cannot be stored
   */
  public List<TimedFact> facts(ConversationRequest request, List<Message> messages, Instant now,
      ZoneId zone) {
    ExtractionInput input = new ExtractionInput(messages, request.scope(), latest(messages, now),
        zone, instructions(request));
    List<Fact> facts = Timed.call(() -> extractor.extract(input),
        (nanos, failed) -> metrics.extraction(Step.EXTRACT, nanos, failed));
    List<TimedFact> timed = new ArrayList<>(facts.size());
    for (int i = 0; i < facts.size(); i++) {
      Fact fact = Objects.requireNonNull(facts.get(i), "the extractor answered a null fact");
      check(request, fact, i, messages.size());
      timed.add(timed(fact, messages, now, zone));
    }
    return timed;
  }

  /**
   * Model call 2 when needed: what each fact is to the memories the scope holds.
   *
   * @param facts the facts of {@link #facts}
   * @param known per fact, a current memory of the scope whose text is the fact's (compared in
   *     normal form), or {@code null}: a known fact is {@code NONE} without asking the model
   * @param candidates per fact, the current memories most like it, most similar first; the call
   *     is skipped when no fact that is not known has any, and every such fact is added
   * @throws ExtractionException when the extractor fails or its decisions cannot be applied
   */
  public Plan reconcile(ConversationRequest request, List<TimedFact> facts,
      List<@Nullable MemoryRecord> known, List<List<MemoryRecord>> candidates) {
    if (known.size() != facts.size() || candidates.size() != facts.size()) {
      throw new IllegalArgumentException("one known memory slot and one candidate list per fact");
    }
    List<Integer> asked = new ArrayList<>();
    Map<String, MemoryRecord> shown = new LinkedHashMap<>();
    for (int i = 0; i < facts.size(); i++) {
      if (known.get(i) == null) {
        asked.add(i);
        candidates.get(i).forEach(memory -> shown.putIfAbsent(memory.id(), memory));
      }
    }
    List<Plan.Step> steps = new ArrayList<>(facts.size());
    for (int i = 0; i < facts.size(); i++) {
      MemoryRecord existing = known.get(i);
      steps.add(existing != null ? Plan.Step.known(facts.get(i), existing)
          : Plan.Step.added(facts.get(i)));
    }
    if (asked.isEmpty() || shown.isEmpty()) {
      return new Plan(steps);
    }
    Map<String, MemoryRecord> byRef = new LinkedHashMap<>();
    List<Candidate> shownCandidates = new ArrayList<>(shown.size());
    for (MemoryRecord memory : shown.values()) {
      String ref = "m" + (byRef.size() + 1);
      byRef.put(ref, memory);
      shownCandidates.add(new Candidate(ref, memory.content(), memory.topic(),
          memory.validFrom()));
    }
    List<Fact> askedFacts = asked.stream().map(i -> facts.get(i).fact()).toList();
    ReconciliationInput input = new ReconciliationInput(askedFacts, shownCandidates,
        instructions(request));
    List<Decision> decisions = Timed.call(() -> extractor.reconcile(input),
        (nanos, failed) -> metrics.extraction(Step.RECONCILE, nanos, failed));
    Decided decided = new Decided(askedFacts.size(), byRef);
    for (Decision decision : decisions) {
      decided.take(Objects.requireNonNull(decision, "the extractor answered a null decision"));
    }
    decided.requireComplete();
    for (int k = 0; k < asked.size(); k++) {
      int i = asked.get(k);
      steps.set(i, decided.step(k, facts.get(i), candidates.get(i)));
    }
    return new Plan(steps);
  }

  /** The call's instructions: the extractor puts its configured ones before them. */
  private static List<String> instructions(ConversationRequest request) {
    String instructions = request.instructions();
    return instructions == null ? List.of() : List.of(instructions);
  }

  private void check(ConversationRequest request, Fact fact, int index, int messageCount) {
    for (int source : fact.sources()) {
      if (source >= messageCount) {
        throw malformed("fact " + index + " names message " + source + ", but the conversation"
            + " sent to the model has " + messageCount + " messages");
      }
    }
    try {
      limits.check(AddRequest.builder(fact.content(), request.scope()).tags(fact.tags())
          .people(fact.people()).topic(fact.topic()).build());
    } catch (InMemoryException e) {
      throw malformed("fact " + index + " cannot be stored: " + e.getMessage());
    }
  }

  private TimedFact timed(Fact fact, List<Message> messages, Instant now, ZoneId zone) {
    List<Message> sources = fact.sources().stream().map(messages::get).toList();
    Instant statedAt = latest(sources, now);
    Map<String, Object> metadata = new LinkedHashMap<>();
    List<String> ids = sources.stream().map(Message::id).filter(Objects::nonNull).toList();
    if (!ids.isEmpty()) {
      metadata.put(SOURCE_MESSAGE_IDS, ids);
    }
    Instant validFrom = statedAt;
    String when = fact.when();
    if (when != null && !when.isBlank()) {
      Instant start = resolve(when, statedAt, zone);
      if (start != null) {
        validFrom = start;
      } else {
        metadata.put(WHEN_TEXT, when);
      }
    }
    return new TimedFact(fact, validFrom, metadata);
  }

  /** The start of what {@code when} names, or null when the grammar does not know the phrase. */
  private @Nullable Instant resolve(String when, Instant statedAt, ZoneId zone) {
    try {
      return temporal.parse(when, statedAt, zone).bounds().start();
    } catch (InMemoryException e) {
      return null;
    }
  }

  /** The latest timestamp among the messages, or {@code fallback} when none has one. */
  private static Instant latest(List<Message> messages, Instant fallback) {
    return messages.stream().map(Message::timestamp).filter(Objects::nonNull)
        .max(Instant::compareTo).orElse(fallback);
  }

  static ExtractionException malformed(String problem) {
    return new ExtractionException(ExtractionException.Reason.MALFORMED,
        "the extractor's answer cannot be applied: " + problem);
  }

  /** The decisions of one reconciliation, checked as they come. */
  private static final class Decided {
    private final @Nullable Decision[] byFact;
    private final Map<String, MemoryRecord> byRef;
    private final Map<String, Integer> changedBy = new LinkedHashMap<>();

    Decided(int facts, Map<String, MemoryRecord> byRef) {
      this.byFact = new Decision[facts];
      this.byRef = byRef;
    }

    void take(Decision decision) {
      int fact = decision.fact();
      if (fact >= byFact.length) {
        throw malformed("a decision names fact " + fact + ", but " + byFact.length
            + " facts were sent");
      }
      if (byFact[fact] != null) {
        throw malformed("fact " + fact + " is decided twice");
      }
      String ref = decision.ref();
      if (ref != null && !byRef.containsKey(ref)) {
        throw malformed("fact " + fact + " names memory " + ref + ", which was not shown (shown: "
            + byRef.keySet() + ")");
      }
      boolean changes = decision.action() == Action.UPDATE
          || decision.action() == Action.SUPERSEDE;
      if (changes) {
        Integer other = changedBy.putIfAbsent(ref, fact);
        if (other != null) {
          throw malformed("memory " + ref + " is changed by facts " + other + " and " + fact);
        }
      }
      if (decision.action() == Action.UPDATE
          && decision.content() != null && decision.content().isBlank()) {
        throw malformed("fact " + fact + " updates " + ref + " to blank content");
      }
      byFact[fact] = decision;
    }

    void requireComplete() {
      for (int i = 0; i < byFact.length; i++) {
        if (byFact[i] == null) {
          throw malformed("fact " + i + " has no decision");
        }
      }
    }

    Plan.Step step(int index, TimedFact fact, List<MemoryRecord> candidates) {
      Decision decision = Objects.requireNonNull(byFact[index]);
      String ref = decision.ref();
      MemoryRecord target = ref == null ? null : byRef.get(ref);
      return switch (decision.action()) {
        case ADD -> Plan.Step.added(fact);
        case NONE -> {
          MemoryRecord existing = target != null ? target
              : candidates.isEmpty() ? null : candidates.get(0);
          if (existing == null) {
            throw malformed("fact " + index + " is said to be known, but no memory was shown"
                + " for it");
          }
          yield Plan.Step.known(fact, existing);
        }
        case UPDATE -> Plan.Step.updated(fact, Objects.requireNonNull(target),
            decision.content() != null ? decision.content() : fact.content());
        case SUPERSEDE -> Plan.Step.superseding(fact, Objects.requireNonNull(target));
      };
    }
  }
}
