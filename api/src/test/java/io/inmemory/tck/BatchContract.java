package io.inmemory.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.AddRequest;
import io.inmemory.BatchDelete;
import io.inmemory.BatchItemResult;
import io.inmemory.BatchItemResult.Status;
import io.inmemory.BatchUpdate;
import io.inmemory.ContentTooLargeException;
import io.inmemory.HistoryEntry;
import io.inmemory.InvalidRequestException;
import io.inmemory.MemoryRecord;
import io.inmemory.NotFoundException;
import io.inmemory.Scope;
import io.inmemory.UpdateRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The batch contract: {@code updateMany} and {@code deleteMany} apply each item as the single call
 * would, with one result per item in order — an invalid, unknown or out-of-scope item fails alone
 * with the exception the single call throws — and refuse a whole call that names a memory twice
 * or holds more items than {@code inmemory.max-batch-size}, changing nothing.
 */
public abstract class BatchContract extends ClientContractSupport {

  private MemoryRecord add(String content, Scope scope) {
    return client.add(AddRequest.builder(content, scope).build()).memory();
  }

  private static List<Status> statuses(List<BatchItemResult> results) {
    return results.stream().map(BatchItemResult::status).toList();
  }

  @Test
  void updateManyResultsMatchTheStoreAndEachFailureIsTheSingleCallsException() {
    Scope alice = Scope.user(newUserId());
    Scope bob = Scope.user(newUserId());
    MemoryRecord tea = add("I like tea", alice);
    MemoryRecord dog = add("My dog is Rex", alice);
    MemoryRecord bobs = add("Bob lives in Oslo", bob);
    String tooLong = "x".repeat((int) maxMemorySize() + 1);

    List<BatchItemResult> results = client.updateMany(List.of(
        new BatchUpdate(tea.id(), alice, UpdateRequest.builder().content("I like green tea")
            .build()),
        new BatchUpdate(bobs.id(), alice, UpdateRequest.builder().topic("x").build()),
        new BatchUpdate(dog.id(), alice, UpdateRequest.builder().tags(List.of("pets")).build()),
        new BatchUpdate("not/an id", alice, UpdateRequest.builder().topic("x").build()),
        new BatchUpdate(bobs.id(), bob, UpdateRequest.builder().content(tooLong).build())));

    assertThat(statuses(results)).containsExactly(Status.UPDATED, Status.NOT_FOUND,
        Status.UPDATED, Status.INVALID, Status.INVALID);
    assertThat(results).extracting(BatchItemResult::memoryId).containsExactly(tea.id(),
        bobs.id(), dog.id(), "not/an id", bobs.id());
    MemoryRecord greenTea = results.get(0).memory();
    assertThat(greenTea.content()).isEqualTo("I like green tea");
    assertThat(client.get(tea.id(), alice)).contains(greenTea);
    assertThat(client.get(dog.id(), alice)).contains(results.get(2).memory());
    assertThat(results.get(2).memory().tags()).containsExactly("pets");
    assertThat(client.get(bobs.id(), bob)).contains(bobs);
    assertThat(results.get(1).error()).isInstanceOf(NotFoundException.class);
    assertThat(((InvalidRequestException) results.get(3).error()).violations())
        .extracting(InvalidRequestException.Violation::field).containsExactly("memoryId");
    assertThat(results.get(4).error()).isInstanceOf(ContentTooLargeException.class);
    assertThat(client.history(tea.id(), alice)).extracting(HistoryEntry::event)
        .containsExactly(HistoryEntry.Event.ADD, HistoryEntry.Event.UPDATE);
    assertThat(contents(client.search("green tea", alice.userId(), 1)))
        .containsExactly("I like green tea");
  }

  @Test
  void deleteManyDeletesEachItemInItsScopeAndKeepsTheHistory() {
    Scope alice = Scope.user(newUserId());
    Scope agent = Scope.agent("bot-" + newUserId());
    MemoryRecord tea = add("I like tea", alice);
    MemoryRecord chat = add("Said in a chat", alice.withSession("chat-1"));
    MemoryRecord kept = add("Kept", alice);
    MemoryRecord agents = add("The agent's own note", agent);

    List<BatchItemResult> results = client.deleteMany(List.of(
        new BatchDelete(tea.id(), alice),
        new BatchDelete(chat.id(), alice.withSession("chat-2")),
        new BatchDelete(agents.id(), agent),
        new BatchDelete(unknownMemoryId(), alice),
        new BatchDelete("not/an id", agent)));

    assertThat(statuses(results)).containsExactly(Status.DELETED, Status.NOT_FOUND,
        Status.DELETED, Status.NOT_FOUND, Status.INVALID);
    assertThat(results).allSatisfy(result -> assertThat(result.memory()).isNull());
    assertThat(client.get(tea.id(), alice)).isEmpty();
    assertThat(client.get(agents.id(), agent)).isEmpty();
    assertThat(client.get(chat.id(), alice)).contains(chat);
    assertThat(client.get(kept.id(), alice)).contains(kept);
    assertThat(client.history(tea.id(), alice)).extracting(HistoryEntry::event)
        .containsExactly(HistoryEntry.Event.ADD, HistoryEntry.Event.DELETE);
    assertThat(client.deleteMany(List.of(new BatchDelete(tea.id(), alice))))
        .extracting(BatchItemResult::status).containsExactly(Status.NOT_FOUND);
  }

  @Test
  void aMemoryNamedTwiceRefusesTheWholeCall() {
    Scope alice = Scope.user(newUserId());
    MemoryRecord tea = add("I like tea", alice);
    MemoryRecord dog = add("My dog is Rex", alice);

    assertInvalid(() -> client.updateMany(List.of(
        new BatchUpdate(dog.id(), alice, UpdateRequest.builder().topic("pets").build()),
        new BatchUpdate(tea.id(), alice, UpdateRequest.builder().topic("a").build()),
        new BatchUpdate(tea.id(), alice.withAgent("planner"),
            UpdateRequest.builder().topic("b").build()))), "items");
    assertInvalid(() -> client.deleteMany(List.of(new BatchDelete(dog.id(), alice),
        new BatchDelete(tea.id(), alice), new BatchDelete(tea.id(), alice))), "items");

    assertThat(client.get(tea.id(), alice)).contains(tea);
    assertThat(client.get(dog.id(), alice)).contains(dog);
  }

  @Test
  void moreItemsThanTheBatchSizeRefuseTheWholeCall() {
    Scope alice = Scope.user(newUserId());
    MemoryRecord tea = add("I like tea", alice);
    List<BatchDelete> deletes = new ArrayList<>();
    List<BatchUpdate> updates = new ArrayList<>();
    deletes.add(new BatchDelete(tea.id(), alice));
    updates.add(new BatchUpdate(tea.id(), alice, UpdateRequest.builder().topic("x").build()));
    while (deletes.size() <= limits().maxBatchSize()) {
      deletes.add(new BatchDelete(unknownMemoryId(), alice));
      updates.add(new BatchUpdate(unknownMemoryId(), alice,
          UpdateRequest.builder().topic("x").build()));
    }

    assertInvalid(() -> client.deleteMany(deletes), "requests");
    assertInvalid(() -> client.updateMany(updates), "requests");
    assertThat(client.get(tea.id(), alice)).contains(tea);
    assertThat(client.updateMany(List.of())).isEmpty();
    assertThat(client.deleteMany(List.of())).isEmpty();
  }
}
