package io.inmemory.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.inmemory.AddRequest;
import io.inmemory.ConversationRequest;
import io.inmemory.ConversationResult;
import io.inmemory.EventType;
import io.inmemory.ExtractionException;
import io.inmemory.HistoryEntry;
import io.inmemory.ListRequest;
import io.inmemory.MemoryEvent;
import io.inmemory.MemoryRecord;
import io.inmemory.Message;
import io.inmemory.Role;
import io.inmemory.Scope;
import io.inmemory.SearchHit;
import io.inmemory.SearchRequest;
import io.inmemory.tck.ModelScript.ScriptedDecision;
import io.inmemory.tck.ModelScript.ScriptedFact;
import io.inmemory.tck.ModelScript.Shown;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of conversation adds with a model: facts extracted, reconciled with what the scope
 * holds (add, known, update, supersede), superseded facts kept but hidden unless asked for, their
 * validity times, and failures that store nothing unless the caller asked for the raw messages.
 * The client under test must be configured with an extractor whose model answers what
 * {@link #modelScript()} is told, and must not retry failed model calls.
 */
public abstract class SupersedeContract extends ClientContractSupport {

  private static final Instant MAY = Instant.parse("2024-05-02T10:00:00Z");
  /** A Thursday: "last Tuesday" said then is 2024-06-11. */
  private static final Instant JUNE = Instant.parse("2024-06-13T09:00:00Z");

  /** The model's answers, set per test. */
  protected abstract ModelScript modelScript();

  @BeforeEach
  final void forgetUnusedAnswers() {
    modelScript().reset();
  }

  @Test
  void aContradictingFactSupersedesTheOldOneWhichSearchAndListNoLongerShow() {
    Scope scope = Scope.user(newUserId());
    MemoryRecord paris = remember(scope, MAY, "John lives in Paris");

    MemoryEvent event = supersede(scope, JUNE, "John moved to Berlin", "John lives in Paris");

    assertThat(event.type()).isEqualTo(EventType.SUPERSEDE);
    assertThat(event.memory().content()).isEqualTo("John moved to Berlin");
    assertThat(event.previousId()).isEqualTo(paris.id());
    assertThat(event.previousContent()).isEqualTo("John lives in Paris");
    assertThat(contents(client.search(SearchRequest.builder(scope)
        .query("Where does John live?").build()).hits()))
        .containsExactly("John moved to Berlin");
    assertThat(client.list(ListRequest.builder(scope).build()).items())
        .extracting(MemoryRecord::content).containsExactly("John moved to Berlin");
  }

  @Test
  void supersededFactsAreShownOnRequestAndByIdWithTheirValidity() {
    Scope scope = Scope.user(newUserId());
    MemoryRecord paris = remember(scope, MAY, "John lives in Paris");
    MemoryRecord berlin = supersede(scope, JUNE, "John moved to Berlin", "John lives in Paris")
        .memory();

    assertThat(contents(client.search(SearchRequest.builder(scope)
        .query("Where does John live?").includeSuperseded(true).build()).hits()))
        .containsExactlyInAnyOrder("John moved to Berlin", "John lives in Paris");
    assertThat(client.list(ListRequest.builder(scope).includeSuperseded(true).build()).items())
        .extracting(MemoryRecord::content)
        .containsExactlyInAnyOrder("John moved to Berlin", "John lives in Paris");
    MemoryRecord old = client.get(paris.id(), scope).orElseThrow();
    assertThat(old.invalidAt()).isEqualTo(JUNE).isEqualTo(berlin.validFrom());
    assertThat(old.supersededBy()).isEqualTo(berlin.id());
    assertThat(old.validFrom()).isEqualTo(MAY);
    assertThat(berlin.invalidAt()).isNull();
  }

  @Test
  void historyKeepsBothSidesOfASupersede() {
    Scope scope = Scope.user(newUserId());
    MemoryRecord paris = remember(scope, MAY, "John lives in Paris");
    MemoryRecord berlin = supersede(scope, JUNE, "John moved to Berlin", "John lives in Paris")
        .memory();

    assertThat(client.history(paris.id(), scope))
        .extracting(HistoryEntry::event, HistoryEntry::relatedId)
        .containsExactly(tuple(HistoryEntry.Event.ADD, null),
            tuple(HistoryEntry.Event.SUPERSEDE, berlin.id()));
    assertThat(client.history(berlin.id(), scope))
        .extracting(HistoryEntry::event, HistoryEntry::relatedId)
        .containsExactly(tuple(HistoryEntry.Event.ADD, paris.id()));
  }

  @Test
  void anOlderFactArrivingLateIsStoredAlreadySuperseded() {
    Scope scope = Scope.user(newUserId());
    MemoryRecord berlin = remember(scope, JUNE, "John lives in Berlin");

    MemoryEvent event = supersede(scope, MAY, "John lives in Paris", "John lives in Berlin");

    assertThat(event.type()).isEqualTo(EventType.ADD);
    assertThat(event.memory().invalidAt()).isEqualTo(JUNE);
    assertThat(event.memory().supersededBy()).isEqualTo(berlin.id());
    assertThat(client.get(berlin.id(), scope).orElseThrow().invalidAt()).isNull();
    assertThat(client.list(ListRequest.builder(scope).build()).items())
        .extracting(MemoryRecord::content).containsExactly("John lives in Berlin");
  }

  @Test
  void anUpdateRewritesTheMemoryAndHistoryKeepsTheOldText() {
    Scope scope = Scope.user(newUserId());
    MemoryRecord job = remember(scope, MAY, "John works at Acme");
    modelScript().nextFacts(List.of(ScriptedFact.of("John is an engineer at Acme")));
    modelScript().nextDecisions(shown -> List.of(ScriptedDecision.update(0,
        ref(shown, "John works at Acme"), "John works at Acme as an engineer")));

    MemoryEvent event = single(tell(scope, JUNE, "I'm an engineer there"));

    assertThat(event.type()).isEqualTo(EventType.UPDATE);
    assertThat(event.memory().id()).isEqualTo(job.id());
    assertThat(event.memory().content()).isEqualTo("John works at Acme as an engineer");
    assertThat(event.previousContent()).isEqualTo("John works at Acme");
    assertThat(client.history(job.id(), scope)).extracting(HistoryEntry::event,
        HistoryEntry::previousContent).containsExactly(
        tuple(HistoryEntry.Event.ADD, null),
        tuple(HistoryEntry.Event.UPDATE, "John works at Acme"));
  }

  @Test
  void aFactTheModelSaysIsKnownReturnsTheExistingMemory() {
    Scope scope = Scope.user(newUserId());
    MemoryRecord tea = remember(scope, MAY, "John likes tea");
    modelScript().nextFacts(List.of(ScriptedFact.of("John enjoys tea")));
    modelScript().nextDecisions(shown -> List.of(ScriptedDecision.none(0,
        ref(shown, "John likes tea"))));

    MemoryEvent event = single(tell(scope, JUNE, "I do enjoy tea"));

    assertThat(event.type()).isEqualTo(EventType.NONE);
    assertThat(event.memory()).isEqualTo(tea);
    assertThat(client.list(ListRequest.builder(scope).build()).total()).isEqualTo(1);
  }

  @Test
  void aFactWhoseTextIsKnownNeedsNoReconciliation() {
    Scope scope = Scope.user(newUserId());
    MemoryRecord paris = remember(scope, MAY, "John lives in Paris");
    // No decisions are scripted: a reconciliation call would fail the add.
    modelScript().nextFacts(List.of(ScriptedFact.of("john lives in paris.")));

    MemoryEvent event = single(tell(scope, JUNE, "As I said, I live in Paris"));

    assertThat(event.type()).isEqualTo(EventType.NONE);
    assertThat(event.memory().id()).isEqualTo(paris.id());
  }

  @Test
  void aRelativeTimeIsReadAtTheMessagesTime() {
    Scope scope = Scope.user(newUserId());
    modelScript().nextFacts(List.of(ScriptedFact.of("John adopted a cat").when("last Tuesday")));

    MemoryEvent event = single(tell(scope, JUNE, "I adopted a cat last Tuesday"));

    assertThat(event.type()).isEqualTo(EventType.ADD);
    assertThat(event.memory().validFrom()).isEqualTo(Instant.parse("2024-06-11T00:00:00Z"));
    assertThat(event.memory().createdAt()).isAfter(JUNE);
  }

  @Test
  void aFailedModelCallStoresNothing() {
    Scope scope = Scope.user(newUserId());
    modelScript().failNext(503);

    assertThatThrownBy(() -> tell(scope, JUNE, "I moved to Berlin"))
        .isInstanceOfSatisfying(ExtractionException.class,
            e -> assertThat(e.reason()).isEqualTo(ExtractionException.Reason.UNAVAILABLE));
    assertThat(client.list(ListRequest.builder(scope).build()).total()).isZero();
  }

  @Test
  void aFailedModelCallStoresTheMessagesRawWhenAskedAndSaysSo() {
    Scope scope = Scope.user(newUserId());
    modelScript().failNext(503);

    ConversationResult result = client.add(ConversationRequest.builder(scope)
        .messages(Message.user("I moved to Berlin").withTimestamp(JUNE),
            Message.assistant("Nice!").withTimestamp(JUNE))
        .storeRawOnFailure(true).build());

    assertThat(result.extracted()).isFalse();
    assertThat(result.storedRaw()).isTrue();
    // the summary of what failed, the same locally and through a server, quoting nothing
    assertThat(result.extractionError()).isEqualTo("Extraction failed: the model endpoint could"
        + " not be reached or answered a server error (HTTP 503)");
    assertThat(result.events()).extracting(e -> e.memory().content(), e -> e.memory().role())
        .containsExactly(tuple("I moved to Berlin", Role.USER),
            tuple("Nice!", Role.ASSISTANT));
  }

  @Test
  void anAnswerThatIsStillMalformedAfterItsRepairIsAnErrorAndStoresNothing() {
    Scope scope = Scope.user(newUserId());
    modelScript().malformedNext(2);

    assertThatThrownBy(() -> tell(scope, JUNE, "I moved to Berlin"))
        .isInstanceOfSatisfying(ExtractionException.class,
            e -> assertThat(e.reason()).isEqualTo(ExtractionException.Reason.MALFORMED));
    assertThat(client.list(ListRequest.builder(scope).build()).total()).isZero();
  }

  @Test
  void statsCountCurrentAndSupersededMemoriesApart() {
    Scope scope = Scope.user(newUserId());
    remember(scope, MAY, "John lives in Paris");
    supersede(scope, JUNE, "John moved to Berlin", "John lives in Paris");

    assertThat(client.stats(scope).memoryCount()).isEqualTo(1);
    assertThat(client.stats(scope).supersededCount()).isEqualTo(1);
  }

  @Test
  void deduplicationIgnoresSupersededMemories() {
    Scope scope = Scope.user(newUserId());
    remember(scope, MAY, "John lives in Paris");
    supersede(scope, JUNE, "John moved to Berlin", "John lives in Paris");

    assertThat(client.add(AddRequest.builder("John lives in Paris", scope).deduplicate(true)
        .build()).event()).isEqualTo(EventType.ADD);
  }

  @Test
  void inferFalseStoresTheMessagesWithoutAskingTheModel() {
    Scope scope = Scope.user(newUserId());

    ConversationResult result = client.add(ConversationRequest.builder(scope)
        .messages(Message.user("I moved to Berlin").withTimestamp(JUNE)).infer(false).build());

    assertThat(result.extracted()).isFalse();
    assertThat(result.storedRaw()).isFalse();
    assertThat(result.events()).extracting(e -> e.memory().content())
        .containsExactly("I moved to Berlin");
  }

  /**
   * Tells the model's fact at {@code at} to a scope that holds nothing yet: with no memory to show
   * it, the model is not asked to reconcile.
   */
  private MemoryRecord remember(Scope scope, Instant at, String fact) {
    modelScript().nextFacts(List.of(ScriptedFact.of(fact)));
    MemoryEvent event = single(tell(scope, at, "(" + fact + ")"));
    assertThat(event.type()).isEqualTo(EventType.ADD);
    return event.memory();
  }

  private MemoryEvent supersede(Scope scope, Instant at, String fact, String old) {
    modelScript().nextFacts(List.of(ScriptedFact.of(fact)));
    modelScript().nextDecisions(shown -> List.of(ScriptedDecision.supersede(0, ref(shown, old))));
    return single(tell(scope, at, "(" + fact + ")"));
  }

  private ConversationResult tell(Scope scope, Instant at, String text) {
    ConversationResult result = client.add(ConversationRequest.builder(scope)
        .messages(Message.user(text).withTimestamp(at)).zone(ZoneOffset.UTC).build());
    assertThat(result.extracted()).as("extracted").isTrue();
    return result;
  }

  private static MemoryEvent single(ConversationResult result) {
    assertThat(result.events()).hasSize(1);
    return result.events().get(0);
  }

  private static String ref(List<Shown> shown, String content) {
    return shown.stream().filter(memory -> memory.content().equals(content)).map(Shown::ref)
        .findFirst().orElseThrow(() -> new AssertionError(
            "\"" + content + "\" was not shown to the model; shown: " + shown));
  }

  private static List<String> contents(List<SearchHit> hits) {
    return hits.stream().map(hit -> hit.memory().content()).toList();
  }
}
