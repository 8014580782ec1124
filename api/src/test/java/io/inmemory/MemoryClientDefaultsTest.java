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
    public Page<MemoryRecord> getAll(String userId, int limit, int offset) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Optional<MemoryRecord> get(String memoryId, String userId) {
      throw new UnsupportedOperationException();
    }

    @Override
    public MemoryRecord update(String memoryId, String userId, UpdateRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean delete(String memoryId, String userId) {
      throw new UnsupportedOperationException();
    }

    @Override
    public long deleteAll(String userId) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<HistoryEntry> history(String memoryId, String userId) {
      throw new UnsupportedOperationException();
    }

    @Override
    public UserStats getUserStats(String userId) {
      throw new UnsupportedOperationException();
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
