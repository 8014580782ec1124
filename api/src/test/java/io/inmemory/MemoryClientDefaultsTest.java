package io.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The convenience methods of {@link MemoryClient} build the documented requests. */
class MemoryClientDefaultsTest {

  /** Records the requests that reach the two abstract entry points. */
  private static final class Recording implements MemoryClient {
    final List<AddRequest> adds = new ArrayList<>();
    final List<SearchRequest> searches = new ArrayList<>();
    final List<String> calls = new ArrayList<>();

    @Override
    public AddResult add(AddRequest request) {
      adds.add(request);
      return null;
    }

    @Override
    public SearchResult search(SearchRequest request) {
      searches.add(request);
      return new SearchResult(List.of(), SearchResult.Ranking.RECENCY, Optional.empty());
    }

    @Override
    public List<AddResult> addAll(List<AddRequest> requests) {
      throw new UnsupportedOperationException();
    }

    @Override
    public ConversationResult add(ConversationRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Page<MemoryRecord> list(ListRequest request) {
      calls.add("list " + request);
      return new Page<>(List.of(), request.offset(), request.limit(), 0);
    }

    @Override
    public Optional<MemoryRecord> get(String memoryId, Scope scope) {
      calls.add("get " + memoryId + " " + scope);
      return Optional.empty();
    }

    @Override
    public MemoryRecord update(String memoryId, Scope scope, UpdateRequest request) {
      calls.add("update " + memoryId + " " + scope + " " + request);
      return null;
    }

    @Override
    public boolean delete(String memoryId, Scope scope) {
      calls.add("delete " + memoryId + " " + scope);
      return true;
    }

    @Override
    public long deleteAll(Scope scope) {
      calls.add("deleteAll " + scope);
      return 3;
    }

    @Override
    public List<HistoryEntry> history(String memoryId, Scope scope) {
      calls.add("history " + memoryId + " " + scope);
      return List.of();
    }

    @Override
    public UserStats stats(Scope scope) {
      calls.add("stats " + scope);
      return null;
    }

    @Override
    public Health healthCheck() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void close() {}
  }

  private final Recording client = new Recording();

  @Test
  void theUserIdOperationsAreTheUsersScope() {
    UpdateRequest update = UpdateRequest.builder().content("new").build();
    Scope alice = Scope.user("alice");

    client.getAll("alice", 7, 2);
    client.get("m1", "alice");
    client.update("m1", "alice", update);
    client.delete("m1", "alice");
    assertThat(client.deleteAll("alice")).isEqualTo(3);
    client.history("m1", "alice");
    client.getUserStats("alice");

    assertThat(client.calls).containsExactly(
        "list " + ListRequest.builder(alice).limit(7).offset(2).build(),
        "get m1 " + alice, "update m1 " + alice + " " + update, "delete m1 " + alice,
        "deleteAll " + alice, "history m1 " + alice, "stats " + alice);
    assertThatThrownBy(() -> client.get("m1", "bad user"))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("userId");
  }

  @Test
  void addOfTextMakesAPlainRequest() {
    client.add("I love pizza", "alice");

    assertThat(client.adds).containsExactly(AddRequest.of("I love pizza", "alice"));
  }

  @Test
  void searchOfTextUsesTheDefaultOrGivenLimit() {
    client.search("pizza", "alice");
    client.search("pizza", "alice", 3);

    assertThat(client.searches).containsExactly(
        SearchRequest.builder("alice").query("pizza").build(),
        SearchRequest.builder("alice").query("pizza").limit(3).build());
  }

  @Test
  void temporalSearchPassesThePhraseAndOptionalQuery() {
    client.temporalSearch("last week", "alice");
    client.temporalSearch("yesterday", "alice", "pizza", 4);

    assertThat(client.searches).containsExactly(
        SearchRequest.builder("alice").temporal("last week").build(),
        SearchRequest.builder("alice").temporal("yesterday").query("pizza").limit(4).build());
  }

  @Test
  void searchByTagsChoosesAllOrAny() {
    client.searchByTags(List.of("a", "b"), "alice", null, true, 5);
    client.searchByTags(List.of("a", "b"), "alice", "q", false, 6);

    assertThat(client.searches).containsExactly(
        SearchRequest.builder("alice").tags(List.of("a", "b"), TagMatch.ALL).limit(5).build(),
        SearchRequest.builder("alice").tags(List.of("a", "b"), TagMatch.ANY).query("q").limit(6)
            .build());
  }

  @Test
  void searchByPeopleFiltersByAnyPerson() {
    client.searchByPeople(List.of("Bob"), "alice", "lunch", 7);

    assertThat(client.searches).containsExactly(
        SearchRequest.builder("alice").people(List.of("Bob")).query("lunch").limit(7).build());
  }

  @Test
  void emptyTagOrPeopleListsAreRejectedBeforeSearching() {
    assertThatThrownBy(() -> client.searchByTags(List.of(), "alice", null, true, 5))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("tags");
    assertThatThrownBy(() -> client.searchByTags(null, "alice", null, true, 5))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> client.searchByPeople(List.of(), "alice", null, 5))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("people");
    assertThatThrownBy(() -> client.searchByPeople(null, "alice", null, 5))
        .isInstanceOf(InvalidRequestException.class);
    assertThat(client.searches).isEmpty();
  }
}
