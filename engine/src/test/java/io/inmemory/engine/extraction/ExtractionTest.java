package io.inmemory.engine.extraction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.inmemory.ConversationRequest;
import io.inmemory.EventType;
import io.inmemory.ExtractionException;
import io.inmemory.HistoryEntry;
import io.inmemory.Limits;
import io.inmemory.MemoryEvent;
import io.inmemory.MemoryRecord;
import io.inmemory.Message;
import io.inmemory.Scope;
import io.inmemory.engine.spi.Action;
import io.inmemory.engine.spi.Decision;
import io.inmemory.engine.spi.EngineMetrics;
import io.inmemory.engine.spi.ExtractionInput;
import io.inmemory.engine.spi.Extractor;
import io.inmemory.engine.spi.Fact;
import io.inmemory.engine.spi.ReconciliationInput;
import io.inmemory.engine.spi.StoredMemory;
import io.inmemory.engine.temporal.TemporalParser;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ExtractionTest {

  private static final Instant NOW = Instant.parse("2024-06-20T12:00:00Z");
  // A Thursday: "last Tuesday" read against it is 2024-06-11.
  private static final Instant SAID = Instant.parse("2024-06-13T09:00:00Z");
  private static final Scope JOHN = Scope.user("john").withSession("chat-1");

  private final Script script = new Script();
  private final Extraction extraction =
      new Extraction(script, new TemporalParser(), Limits.defaults(), EngineMetrics.NONE);

  @Test
  void factsAreTimedFromTheirPhraseReadAtTheMessageTime() {
    script.facts = input -> List.of(
        new Fact("John moved to Berlin", List.of("John"), "residence", List.of(), "last Tuesday",
            List.of(0)));
    ConversationRequest request = request(Message.user("I moved to Berlin last Tuesday")
        .withTimestamp(SAID).withId("t1"));

    List<TimedFact> facts = facts(request);

    assertThat(facts).singleElement().satisfies(fact -> {
      assertThat(fact.validFrom()).isEqualTo(Instant.parse("2024-06-11T00:00:00Z"));
      assertThat(fact.metadata()).containsEntry(Extraction.SOURCE_MESSAGE_IDS, List.of("t1"))
          .doesNotContainKey(Extraction.WHEN_TEXT);
    });
    assertThat(script.extractInputs).singleElement().satisfies(input -> {
      assertThat(input.referenceTime()).isEqualTo(SAID);
      assertThat(input.instructions()).containsExactly("only places");
    });
  }

  @Test
  void aPhraseTheGrammarDoesNotKnowIsKeptAndTheFactHoldsFromItsMessage() {
    script.facts = input -> List.of(
        new Fact("John moved", List.of(), null, List.of(), "when the leaves turned", List.of(0)));

    List<TimedFact> facts = facts(request(Message.user("I moved").withTimestamp(SAID)));

    assertThat(facts.get(0).validFrom()).isEqualTo(SAID);
    assertThat(facts.get(0).metadata()).containsEntry(Extraction.WHEN_TEXT,
        "when the leaves turned");
  }

  @Test
  void untimedMessagesHoldFromTheCall() {
    script.facts = input -> List.of(new Fact("x", List.of(), null, List.of(), null, List.of(0)));

    assertThat(facts(request(Message.user("x"))).get(0).validFrom()).isEqualTo(NOW);
  }

  @Test
  void aFactNamingAMessageThatWasNotSentIsMalformed() {
    script.facts = input -> List.of(new Fact("x", List.of(), null, List.of(), null, List.of(1)));

    assertThatThrownBy(() -> facts(request(Message.user("x"))))
        .isInstanceOfSatisfying(ExtractionException.class,
            e -> assertThat(e.reason()).isEqualTo(ExtractionException.Reason.MALFORMED))
        .hasMessageContaining("fact 0 names message 1");
  }

  @Test
  void aFactThatCouldNotBeStoredIsMalformed() {
    script.facts = input -> List.of(
        new Fact("x", List.of(), null, List.of("t".repeat(500)), null, List.of(0)));

    assertThatThrownBy(() -> facts(request(Message.user("x"))))
        .isInstanceOf(ExtractionException.class).hasMessageContaining("fact 0 cannot be stored");
  }

  @Test
  void knownFactsAndFactsWithoutCandidatesNeedNoSecondCall() {
    MemoryRecord known = memory("m-known", "John likes tea", SAID);
    List<TimedFact> facts = List.of(timed("John likes tea"), timed("John has a cat"));

    Plan plan = extraction.reconcile(request(Message.user("x")), facts,
        asList(known, null),
        List.of(List.of(), List.of()));

    assertThat(script.reconcileInputs).isEmpty();
    assertThat(plan.steps()).extracting(Plan.Step::action)
        .containsExactly(EventType.NONE, EventType.ADD);
    assertThat(plan.contentsToEmbed()).containsExactly("John has a cat");
  }

  @Test
  void candidatesAreShownUnderRefsAndDecisionsBecomeSteps() {
    MemoryRecord paris = memory("m-paris", "John lives in Paris", SAID);
    MemoryRecord tea = memory("m-tea", "John likes tea", SAID);
    MemoryRecord job = memory("m-job", "John works at Acme", SAID);
    script.decisions = input -> {
      assertThat(input.candidates()).extracting(c -> c.ref() + "=" + c.content())
          .containsExactly("m1=John lives in Paris", "m2=John likes tea", "m3=John works at Acme");
      return List.of(new Decision(0, Action.SUPERSEDE, "m1", null),
          new Decision(1, Action.NONE, "m2", null),
          new Decision(2, Action.UPDATE, "m3", "John works at Acme as an engineer"),
          new Decision(3, Action.ADD, null, null));
    };

    Plan plan = extraction.reconcile(request(Message.user("x")),
        List.of(timed("John moved to Berlin"), timed("John enjoys tea"),
            timed("John is an engineer"), timed("John has a cat")),
        asList(null, null, null, null),
        List.of(List.of(paris, tea), List.of(tea), List.of(job), List.of()));

    assertThat(plan.steps()).extracting(Plan.Step::action).containsExactly(EventType.SUPERSEDE,
        EventType.NONE, EventType.UPDATE, EventType.ADD);
    assertThat(plan.steps().get(1).target()).isEqualTo(tea);
    assertThat(plan.contentsToEmbed()).containsExactly("John moved to Berlin",
        "John works at Acme as an engineer", "John has a cat");
  }

  @Test
  void decisionsThatCannotBeAppliedAreMalformed() {
    MemoryRecord paris = memory("m-paris", "John lives in Paris", SAID);
    List<List<Decision>> bad = List.of(
        List.of(new Decision(0, Action.SUPERSEDE, "m7", null)),
        List.of(new Decision(0, Action.ADD, null, null), new Decision(0, Action.ADD, null, null)),
        List.of(new Decision(0, Action.ADD, null, null)),
        List.of(new Decision(0, Action.ADD, null, null), new Decision(1, Action.ADD, null, null),
            new Decision(2, Action.ADD, null, null)),
        List.of(new Decision(0, Action.UPDATE, "m1", null),
            new Decision(1, Action.SUPERSEDE, "m1", null)),
        List.of(new Decision(0, Action.UPDATE, "m1", " "), new Decision(1, Action.ADD, null, null)));
    List<String> problems = List.of("m7, which was not shown", "decided twice", "fact 1 has no",
        "names fact 2", "changed by facts 0 and 1", "to blank content");
    for (int i = 0; i < bad.size(); i++) {
      List<Decision> answer = bad.get(i);
      script.decisions = input -> answer;
      assertThatThrownBy(() -> extraction.reconcile(request(Message.user("x")),
          List.of(timed("a"), timed("b")), asList(null, null),
          List.of(List.of(paris), List.of(paris))))
          .isInstanceOfSatisfying(ExtractionException.class,
              e -> assertThat(e.reason()).isEqualTo(ExtractionException.Reason.MALFORMED))
          .hasMessageContaining(problems.get(i));
    }
  }

  @Test
  void aSupersedeKeepsTheOldFactInvalidFromTheNewFactsTime() {
    MemoryRecord paris = memory("m-paris", "John lives in Paris", SAID.minusSeconds(86_400 * 30));
    script.decisions = input -> List.of(new Decision(0, Action.SUPERSEDE, "m1", null));
    Plan plan = extraction.reconcile(request(Message.user("x")), List.of(timed("John moved to Berlin")),
        asList((MemoryRecord) null), List.of(List.of(paris)));

    Plan.Outcome outcome = apply(plan, paris);

    MemoryRecord berlin = outcome.changes().inserted().get(0).memory();
    MemoryRecord old = outcome.changes().replaced().get(0).memory();
    assertThat(berlin.validFrom()).isEqualTo(SAID);
    assertThat(berlin.invalidAt()).isNull();
    assertThat(berlin.sessionId()).isEqualTo("chat-1");
    assertThat(old.invalidAt()).isEqualTo(berlin.validFrom());
    assertThat(old.supersededBy()).isEqualTo(berlin.id());
    assertThat(old.content()).isEqualTo("John lives in Paris");
    assertThat(outcome.changes().replaced().get(0).embedding()).containsExactly(9f);
    assertThat(outcome.changes().entries()).extracting(HistoryEntry::memoryId,
        HistoryEntry::event, HistoryEntry::relatedId).containsExactly(
        tuple(berlin.id(), HistoryEntry.Event.ADD, paris.id()),
        tuple(paris.id(), HistoryEntry.Event.SUPERSEDE, berlin.id()));
    assertThat(outcome.events()).singleElement().satisfies(event -> {
      assertThat(event.type()).isEqualTo(EventType.SUPERSEDE);
      assertThat(event.previousId()).isEqualTo(paris.id());
      assertThat(event.previousContent()).isEqualTo("John lives in Paris");
    });
  }

  @Test
  void aFactOlderThanTheOneItSupersedesIsStoredAlreadySuperseded() {
    MemoryRecord berlin = memory("m-berlin", "John lives in Berlin", SAID);
    script.decisions = input -> List.of(new Decision(0, Action.SUPERSEDE, "m1", null));
    TimedFact older = new TimedFact(new Fact("John lives in Paris", List.of(), null, List.of(),
        null, List.of()), SAID.minusSeconds(3600), Map.of());
    Plan plan = extraction.reconcile(request(Message.user("x")), List.of(older),
        asList((MemoryRecord) null), List.of(List.of(berlin)));

    Plan.Outcome outcome = apply(plan, berlin);

    assertThat(outcome.changes().replaced()).isEmpty();
    MemoryRecord paris = outcome.changes().inserted().get(0).memory();
    assertThat(paris.invalidAt()).isEqualTo(berlin.validFrom());
    assertThat(paris.supersededBy()).isEqualTo(berlin.id());
    assertThat(outcome.changes().entries()).extracting(HistoryEntry::event)
        .containsExactly(HistoryEntry.Event.ADD, HistoryEntry.Event.SUPERSEDE);
    assertThat(outcome.events()).extracting(MemoryEvent::type).containsExactly(EventType.ADD);
  }

  @Test
  void anUpdateRewritesTheMemoryAndKeepsTheOldTextInHistory() {
    MemoryRecord job = memory("m-job", "John works at Acme", SAID);
    script.decisions = input -> List.of(new Decision(0, Action.UPDATE, "m1",
        "John works at Acme as an engineer"));
    Plan plan = extraction.reconcile(request(Message.user("x")), List.of(timed("engineer")),
        asList((MemoryRecord) null), List.of(List.of(job)));

    Plan.Outcome outcome = apply(plan, job);

    MemoryRecord updated = outcome.changes().replaced().get(0).memory();
    assertThat(updated.id()).isEqualTo(job.id());
    assertThat(updated.content()).isEqualTo("John works at Acme as an engineer");
    assertThat(updated.validFrom()).isEqualTo(job.validFrom());
    assertThat(updated.updatedAt()).isEqualTo(NOW);
    assertThat(outcome.changes().entries()).singleElement().satisfies(entry -> {
      assertThat(entry.event()).isEqualTo(HistoryEntry.Event.UPDATE);
      assertThat(entry.previousContent()).isEqualTo("John works at Acme");
    });
  }

  @Test
  void aPlanWhoseTargetChangedSinceIsNotApplied() {
    MemoryRecord job = memory("m-job", "John works at Acme", SAID);
    script.decisions = input -> List.of(new Decision(0, Action.SUPERSEDE, "m1", null));
    Plan plan = extraction.reconcile(request(Message.user("x")), List.of(timed("John quit")),
        asList((MemoryRecord) null), List.of(List.of(job)));
    MemoryRecord changed = new MemoryRecord(job.id(), job.userId(), "John works at Initech",
        job.tags(), job.people(), job.topic(), job.metadata(), job.createdAt(),
        job.updatedAt().plusSeconds(1), null, null, null, job.validFrom(), null, null);

    assertThat(apply(plan, id -> Optional.of(stored(changed)))).isEmpty();
    assertThat(apply(plan, id -> Optional.empty())).isEmpty();
  }

  private Plan.Outcome apply(Plan plan, MemoryRecord target) {
    return apply(plan, id -> id.equals(target.id()) ? Optional.of(stored(target))
        : Optional.empty()).orElseThrow();
  }

  private static Optional<Plan.Outcome> apply(Plan plan,
      Function<String, Optional<StoredMemory>> current) {
    AtomicInteger ids = new AtomicInteger();
    List<float[]> vectors = plan.contentsToEmbed().stream().map(text -> new float[] {1f}).toList();
    return plan.apply(request(Message.user("x")), "default", "test-embedder", vectors, NOW,
        () -> "new-" + ids.incrementAndGet(), current);
  }

  private static StoredMemory stored(MemoryRecord record) {
    return new StoredMemory("default", record, new float[] {9f}, "test-embedder");
  }

  private List<TimedFact> facts(ConversationRequest request) {
    return extraction.facts(request, Extraction.modelMessages(request), NOW, ZoneOffset.UTC);
  }

  private static ConversationRequest request(Message... messages) {
    return ConversationRequest.builder(JOHN).messages(messages).instructions("only places")
        .build();
  }

  private static TimedFact timed(String content) {
    return new TimedFact(new Fact(content, List.of(), null, List.of(), null, List.of()), SAID,
        Map.of());
  }

  private static MemoryRecord memory(String id, String content, Instant validFrom) {
    return new MemoryRecord(id, "john", content, List.of(), List.of(), null, Map.of(), validFrom,
        validFrom, null, "chat-0", null, validFrom, null, null);
  }

  @SafeVarargs
  private static <T> List<T> asList(T... values) {
    return java.util.Arrays.asList(values);
  }

  /** An extractor whose answers each test sets. */
  private static final class Script implements Extractor {
    Function<ExtractionInput, List<Fact>> facts = input -> List.of();
    Function<ReconciliationInput, List<Decision>> decisions = input -> List.of();
    final List<ExtractionInput> extractInputs = new ArrayList<>();
    final List<ReconciliationInput> reconcileInputs = new ArrayList<>();

    @Override
    public String id() {
      return "script";
    }

    @Override
    public List<Fact> extract(ExtractionInput input) {
      extractInputs.add(input);
      return facts.apply(input);
    }

    @Override
    public List<Decision> reconcile(ReconciliationInput input) {
      reconcileInputs.add(input);
      return decisions.apply(input);
    }
  }
}
