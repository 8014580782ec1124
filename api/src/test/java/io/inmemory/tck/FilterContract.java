package io.inmemory.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.AddRequest;
import io.inmemory.InvalidRequestException;
import io.inmemory.ListRequest;
import io.inmemory.MemoryFilter;
import io.inmemory.MemoryRecord;
import io.inmemory.Page;
import io.inmemory.Role;
import io.inmemory.Scope;
import io.inmemory.SearchRequest;
import io.inmemory.TagMatch;
import io.inmemory.UserStats;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The filter language ({@link MemoryFilter}) and scope restrictions through the client: one test
 * per family of fields and operators, nesting, the semantics of missing fields, the refusal of
 * unknown fields, operators and {@code user_id}, the size limits, the true top-k under a
 * selective filter, the combination with the legacy filters, stable filtered pages, and searches,
 * listings and statistics restricted to an agent or a session. Every check is made by search
 * (no query: newest first) and by listing, which must agree.
 */
public abstract class FilterContract extends ClientContractSupport {

  private static final Instant PAST = Instant.parse("2022-06-01T12:00:00Z");

  /** Adds one memory per entry (content, its metadata) for a fresh user; returns the user. */
  private String withMetadata(Map<String, Map<String, Object>> memories) {
    String user = newUserId();
    client.addAll(memories.entrySet().stream()
        .map(e -> AddRequest.builder(e.getKey(), user).metadata(e.getValue()).build()).toList());
    return user;
  }

  /**
   * The contents of the scope's memories passing the filter, by search and by listing (which
   * must agree, totals included).
   */
  private Set<String> matching(Scope scope, MemoryFilter filter) {
    Set<String> searched = new TreeSet<>(contents(
        client.search(SearchRequest.builder(scope).filter(filter).limit(100).build())));
    Page<MemoryRecord> listed =
        client.list(ListRequest.builder(scope).filter(filter).limit(100).build());
    assertThat(new TreeSet<>(contentsOf(listed.items()))).as("listed %s", filter)
        .isEqualTo(searched);
    assertThat(listed.total()).isEqualTo(searched.size());
    return searched;
  }

  private Set<String> matching(String user, MemoryFilter filter) {
    return matching(Scope.user(user), filter);
  }

  private static List<String> contentsOf(List<MemoryRecord> records) {
    return records.stream().map(MemoryRecord::content).toList();
  }

  private static Set<String> set(String... contents) {
    return new TreeSet<>(List.of(contents));
  }

  // ---------------------------------------------------------------- metadata

  /** price 3 (integer), 3.5, 10.0 (decimal), text, and none. */
  private String prices() {
    Map<String, Map<String, Object>> memories = new LinkedHashMap<>();
    memories.put("three", Map.of("price", 3));
    memories.put("three and a half", Map.of("price", 3.5));
    memories.put("ten", Map.of("price", 10.0));
    memories.put("cheap", Map.of("price", "cheap"));
    memories.put("no price", Map.of("other", 1));
    return withMetadata(memories);
  }

  @Test
  void metadataNumbersCompareAsNumbersWhateverTheirType() {
    String user = prices();

    assertThat(matching(user, MemoryFilter.metadata("price").eq(3))).isEqualTo(set("three"));
    assertThat(matching(user, MemoryFilter.metadata("price").eq(3.0))).isEqualTo(set("three"));
    assertThat(matching(user, MemoryFilter.metadata("price").eq(10))).isEqualTo(set("ten"));
    assertThat(matching(user, MemoryFilter.metadata("price").gt(3)))
        .isEqualTo(set("three and a half", "ten"));
    assertThat(matching(user, MemoryFilter.metadata("price").gte(3.5)))
        .isEqualTo(set("three and a half", "ten"));
    assertThat(matching(user, MemoryFilter.metadata("price").lt(10L)))
        .isEqualTo(set("three", "three and a half"));
    assertThat(matching(user, MemoryFilter.metadata("price").lte(3))).isEqualTo(set("three"));
    assertThat(matching(user, MemoryFilter.metadata("price").ne(3)))
        .isEqualTo(set("three and a half", "ten", "cheap", "no price"));
    assertThat(matching(user, MemoryFilter.metadata("price").gt("a"))).isEqualTo(set("cheap"));
  }

  @Test
  void metadataInAndNin() {
    String user = prices();

    assertThat(matching(user, MemoryFilter.metadata("price").in(3.0, 10)))
        .isEqualTo(set("three", "ten"));
    assertThat(matching(user, MemoryFilter.metadata("price").nin(3, "cheap")))
        .isEqualTo(set("three and a half", "ten", "no price"));
  }

  @Test
  void metadataContainsIsASubstringOfTextAndMembershipOfAList() {
    Map<String, Map<String, Object>> memories = new LinkedHashMap<>();
    memories.put("name", Map.of("owner", "Alice Smith"));
    memories.put("colors", Map.of("owner", List.of("red", "blue")));
    memories.put("numbers", Map.of("owner", List.of(1, 2.5)));
    memories.put("nested", Map.of("address", Map.of("city", "Berlin", "zip", 10115)));
    String user = withMetadata(memories);

    assertThat(matching(user, MemoryFilter.metadata("owner").contains("Smith")))
        .isEqualTo(set("name"));
    assertThat(matching(user, MemoryFilter.metadata("owner").contains("smith"))).isEmpty();
    assertThat(matching(user, MemoryFilter.metadata("owner").contains("red")))
        .isEqualTo(set("colors"));
    assertThat(matching(user, MemoryFilter.metadata("owner").contains("re"))).isEmpty();
    assertThat(matching(user, MemoryFilter.metadata("owner").contains(2.5)))
        .isEqualTo(set("numbers"));
    assertThat(matching(user, MemoryFilter.metadata("address.city").eq("Berlin")))
        .isEqualTo(set("nested"));
    assertThat(matching(user, MemoryFilter.metadata("address.zip").gte(10000)))
        .isEqualTo(set("nested"));
  }

  // ---------------------------------------------------------------- times

  @Test
  void timesCompareAsInstants() {
    String user = newUserId();
    client.addAll(List.of(
        AddRequest.builder("day one", user).createdAt(PAST).build(),
        AddRequest.builder("day two", user).createdAt(PAST.plus(1, ChronoUnit.DAYS)).build(),
        AddRequest.builder("day three", user).createdAt(PAST.plus(2, ChronoUnit.DAYS))
            .validFrom(PAST.minus(30, ChronoUnit.DAYS)).build()));
    Instant dayTwo = PAST.plus(1, ChronoUnit.DAYS);

    assertThat(matching(user, MemoryFilter.createdAt().eq(dayTwo))).isEqualTo(set("day two"));
    assertThat(matching(user, MemoryFilter.createdAt().gte(dayTwo)))
        .isEqualTo(set("day two", "day three"));
    assertThat(matching(user, MemoryFilter.createdAt().gt(dayTwo))).isEqualTo(set("day three"));
    assertThat(matching(user, MemoryFilter.createdAt().lt(dayTwo.toString())))
        .isEqualTo(set("day one"));
    assertThat(matching(user, MemoryFilter.createdAt().lte(dayTwo)))
        .isEqualTo(set("day one", "day two"));
    assertThat(matching(user, MemoryFilter.createdAt().ne(dayTwo)))
        .isEqualTo(set("day one", "day three"));
    assertThat(matching(user, MemoryFilter.validFrom().lt(PAST))).isEqualTo(set("day three"));
    assertThat(matching(user, MemoryFilter.validFrom().gte(PAST)))
        .isEqualTo(set("day one", "day two"));
    assertThat(matching(user, MemoryFilter.updatedAt().gt(PAST)))
        .isEqualTo(set("day two", "day three"));
  }

  // ---------------------------------------------------------------- labels

  @Test
  void tagsPeopleAndTopic() {
    String user = newUserId();
    client.addAll(List.of(
        AddRequest.builder("lunch", user).tags("food", "work").people("Alice").topic("Work")
            .build(),
        AddRequest.builder("dinner", user).tags("food").people("bob", "Carol").topic("home")
            .build(),
        AddRequest.builder("standup", user).tags("work").topic("network").build(),
        AddRequest.builder("plain", user).build()));

    assertThat(matching(user, MemoryFilter.tags().contains(" Food "))).isEqualTo(set("lunch",
        "dinner"));
    assertThat(matching(user, MemoryFilter.tags().in("work", "missing")))
        .isEqualTo(set("lunch", "standup"));
    assertThat(matching(user, MemoryFilter.tags().nin("food")))
        .isEqualTo(set("standup", "plain"));
    assertThat(matching(user, MemoryFilter.people().contains("ALICE"))).isEqualTo(set("lunch"));
    assertThat(matching(user, MemoryFilter.people().in("carol", "dave")))
        .isEqualTo(set("dinner"));
    assertThat(matching(user, MemoryFilter.people().nin("Bob")))
        .isEqualTo(set("lunch", "standup", "plain"));
    assertThat(matching(user, MemoryFilter.topic().eq("WORK"))).isEqualTo(set("lunch"));
    assertThat(matching(user, MemoryFilter.topic().in("home", "network")))
        .isEqualTo(set("dinner", "standup"));
    assertThat(matching(user, MemoryFilter.topic().contains("wor")))
        .isEqualTo(set("lunch", "standup"));
    assertThat(matching(user, MemoryFilter.topic().nin("work")))
        .isEqualTo(set("dinner", "standup", "plain"));
  }

  @Test
  void contentContainsIgnoresCase() {
    String user = newUserId();
    client.addAll(List.of(AddRequest.of("Bought a RED bicycle", user),
        AddRequest.of("Painted the fence", user)));

    assertThat(matching(user, MemoryFilter.content().contains("red Bi")))
        .isEqualTo(set("Bought a RED bicycle"));
  }

  // ---------------------------------------------------------------- agent, session, role

  /** A user's memories by two agents and sessions, with roles; returns the user. */
  private String conversations() {
    String user = newUserId();
    Scope scope = Scope.user(user);
    client.addAll(List.of(
        AddRequest.builder("planner in s1", scope.withAgent("planner").withSession("s1"))
            .role(Role.USER).build(),
        AddRequest.builder("planner in s2", scope.withAgent("planner").withSession("s2"))
            .role(Role.ASSISTANT).build(),
        AddRequest.builder("coder in s1", scope.withAgent("coder").withSession("s1")).build(),
        AddRequest.builder("no agent", scope).build()));
    return user;
  }

  @Test
  void agentSessionAndRole() {
    String user = conversations();

    assertThat(matching(user, MemoryFilter.agentId().eq("planner")))
        .isEqualTo(set("planner in s1", "planner in s2"));
    assertThat(matching(user, MemoryFilter.agentId().in("coder", "nobody")))
        .isEqualTo(set("coder in s1"));
    assertThat(matching(user, MemoryFilter.agentId().ne("planner")))
        .isEqualTo(set("coder in s1", "no agent"));
    assertThat(matching(user, MemoryFilter.sessionId().eq("s1")))
        .isEqualTo(set("planner in s1", "coder in s1"));
    assertThat(matching(user, MemoryFilter.sessionId().nin("s1")))
        .isEqualTo(set("planner in s2", "no agent"));
    assertThat(matching(user, MemoryFilter.role().eq("user"))).isEqualTo(set("planner in s1"));
    assertThat(matching(user, MemoryFilter.role().in(Role.USER, Role.ASSISTANT)))
        .isEqualTo(set("planner in s1", "planner in s2"));
    assertThat(matching(user, MemoryFilter.role().ne(Role.USER)))
        .isEqualTo(set("planner in s2", "coder in s1", "no agent"));
  }

  @Test
  void sessionIdRestrictsSearchListAndStats() {
    String user = conversations();
    Scope s1 = Scope.user(user).withSession("s1");

    assertThat(contents(client.search(SearchRequest.builder(s1).query("planner").build())))
        .containsExactlyInAnyOrder("planner in s1", "coder in s1");
    assertThat(matching(s1, MemoryFilter.agentId().eq("planner"))).isEqualTo(set("planner in s1"));
    Page<MemoryRecord> listed = client.list(ListRequest.builder(s1).build());
    assertThat(contentsOf(listed.items())).containsExactlyInAnyOrder("planner in s1",
        "coder in s1");
    assertThat(listed.total()).isEqualTo(2);
    UserStats stats = client.stats(s1);
    assertThat(stats.memoryCount()).isEqualTo(2);
    assertThat(stats.sessionId()).isEqualTo("s1");
    assertThat(stats.userId()).isEqualTo(user);
    assertThat(client.stats(Scope.user(user).withAgent("planner").withSession("s2"))
        .memoryCount()).isEqualTo(1);
    assertThat(client.stats(Scope.user(user).withSession("s9")).memoryCount()).isZero();
    assertThat(client.stats(Scope.user(user)).memoryCount()).isEqualTo(4);
  }

  @Test
  void agentIdAloneIsTheAgentsOwnScope() {
    String agent = "bot-" + newUserId().substring(4, 16);
    client.add(AddRequest.builder("the agent's own note", Scope.agent(agent)).build());
    client.add(AddRequest.of("the user's note", agent));
    client.add(AddRequest.builder("a note the agent made for a user",
        Scope.user(newUserId()).withAgent(agent)).build());

    assertThat(contents(client.search(SearchRequest.builder(Scope.agent(agent)).query("note")
        .build()))).containsExactly("the agent's own note");
    assertThat(contentsOf(client.list(ListRequest.builder(Scope.agent(agent)).build()).items()))
        .containsExactly("the agent's own note");
    UserStats stats = client.stats(Scope.agent(agent));
    assertThat(stats.memoryCount()).isEqualTo(1);
    assertThat(stats.userId()).isNull();
    assertThat(stats.agentId()).isEqualTo(agent);
    assertThat(contents(client.search(SearchRequest.builder(agent).query("note").build())))
        .containsExactly("the user's note");
  }

  // ---------------------------------------------------------------- combinators

  /** A memory with metadata {@code n} and the tags. */
  private static AddRequest numbered(String content, String user, int n, String... tags) {
    return AddRequest.builder(content, user).tags(tags).metadata(Map.of("n", n)).build();
  }

  @Test
  void andOrNotNesting() {
    String user = newUserId();
    client.addAll(List.of(numbered("a", user, 1, "x"), numbered("b", user, 2, "y"),
        numbered("c", user, 3, "x", "y"), numbered("d", user, 4)));

    assertThat(matching(user, MemoryFilter.and(MemoryFilter.tags().contains("x"),
        MemoryFilter.tags().contains("y")))).isEqualTo(set("c"));
    assertThat(matching(user, MemoryFilter.or(MemoryFilter.tags().contains("x"),
        MemoryFilter.metadata("n").eq(4)))).isEqualTo(set("a", "c", "d"));
    assertThat(matching(user, MemoryFilter.not(MemoryFilter.tags().contains("x"))))
        .isEqualTo(set("b", "d"));
    assertThat(matching(user, MemoryFilter.and(
        MemoryFilter.or(MemoryFilter.tags().contains("y"), MemoryFilter.metadata("n").lt(2)),
        MemoryFilter.not(MemoryFilter.and(MemoryFilter.tags().contains("x"),
            MemoryFilter.tags().contains("y")))))).isEqualTo(set("a", "b"));
  }

  @Test
  void missingFieldSemantics() {
    String user = newUserId();
    client.addAll(List.of(
        AddRequest.builder("full", user).topic("t").metadata(Map.of("k", 1))
            .build(),
        AddRequest.of("bare", user)));

    assertThat(matching(user, MemoryFilter.metadata("k").eq(1))).isEqualTo(set("full"));
    assertThat(matching(user, MemoryFilter.metadata("k").ne(1))).isEqualTo(set("bare"));
    assertThat(matching(user, MemoryFilter.metadata("k").gt(0))).isEqualTo(set("full"));
    assertThat(matching(user, MemoryFilter.metadata("k").lte(5))).isEqualTo(set("full"));
    assertThat(matching(user, MemoryFilter.metadata("k").in(1, 2))).isEqualTo(set("full"));
    assertThat(matching(user, MemoryFilter.metadata("k").nin(2))).isEqualTo(set("full", "bare"));
    assertThat(matching(user, MemoryFilter.metadata("k.deeper").eq(1))).isEmpty();
    assertThat(matching(user, MemoryFilter.metadata("k.deeper").ne(1)))
        .isEqualTo(set("full", "bare"));
    assertThat(matching(user, MemoryFilter.topic().ne("t"))).isEqualTo(set("bare"));
    assertThat(matching(user, MemoryFilter.agentId().ne("planner")))
        .isEqualTo(set("full", "bare"));
    assertThat(matching(user, MemoryFilter.role().eq(Role.USER))).isEmpty();
    assertThat(matching(user, MemoryFilter.invalidAt().lt(Instant.now()))).isEmpty();
    assertThat(matching(user, MemoryFilter.invalidAt().ne(PAST))).isEqualTo(set("full", "bare"));
  }

  // ---------------------------------------------------------------- refusals

  @Test
  void unknownFieldListsSupported() {
    String user = newUserId();
    InvalidRequestException e = assertInvalid(() -> client.search(SearchRequest.builder(user)
        .filter(new MemoryFilter.Field("price", null).eq(3)).build()), "filter");

    assertThat(e).hasMessageContaining("unknown field 'price'; supported: metadata.<key>, "
        + "created_at, updated_at, valid_from, invalid_at, tags, people, topic, agent_id, "
        + "session_id, role, content");
  }

  @Test
  void unknownOperatorListsSupported() {
    String user = newUserId();
    InvalidRequestException e = assertInvalid(() -> client.list(ListRequest.builder(
        Scope.user(user)).filter(MemoryFilter.tags().gt("a")).build()), "filter");

    assertThat(e).hasMessageContaining("tags supports in, nin, contains");
    assertThat(assertInvalid(() -> MemoryFilter.content().eq("x"), "filter"))
        .hasMessageContaining("content supports contains");
  }

  @Test
  void userIdFieldRejected() {
    InvalidRequestException e =
        assertInvalid(() -> new MemoryFilter.Field("user_id", null).eq("u"), "filter");

    assertThat(e).hasMessageContaining("user_id is the request's scope (userId)");
  }

  @Test
  void tooDeepIsContentTooLarge() {
    MemoryFilter filter = MemoryFilter.tags().contains("x");
    for (int i = 0; i <= limits().maxFilterDepth(); i++) {
      filter = MemoryFilter.not(filter);
    }
    SearchRequest search = SearchRequest.builder(newUserId()).filter(filter).build();
    ListRequest list = ListRequest.builder(Scope.user(newUserId())).filter(filter).build();

    assertOverLimits(() -> client.search(search), search);
    assertOverLimits(() -> client.list(list), () -> limits().check(list));
  }

  @Test
  void tooManyValuesIsContentTooLarge() {
    List<String> tags = IntStream.rangeClosed(0, limits().maxFilterValues())
        .mapToObj(i -> "tag" + i).toList();
    SearchRequest search = SearchRequest.builder(newUserId())
        .filter(MemoryFilter.tags().in(tags)).build();

    assertOverLimits(() -> client.search(search), search)
        .violations().forEach(v -> assertThat(v.field()).isEqualTo("filter"));
  }

  // ---------------------------------------------------------------- ranking and pages

  @Test
  void filteredSearchIsTrueTopK() {
    String user = newUserId();
    List<AddRequest> requests = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      requests.add(AddRequest.builder("garden " + i, user)
          .metadata(Map.of("bucket", i % 100, "odd", i % 2)).build());
    }
    client.addAll(requests);
    MemoryFilter onePercent = MemoryFilter.and(MemoryFilter.metadata("bucket").eq(42),
        MemoryFilter.metadata("odd").in(0, 1));
    Predicate<MemoryRecord> passes =
        record -> ((Number) record.metadata().get("bucket")).longValue() == 42;
    Set<String> bruteForce = client.getAll(user, 300, 0).items().stream().filter(passes)
        .map(MemoryRecord::id).collect(Collectors.toSet());

    List<String> top3 = ids(client.search(SearchRequest.builder(user).query("garden")
        .filter(onePercent).limit(3).build()));
    List<String> top2 = ids(client.search(SearchRequest.builder(user).query("garden")
        .filter(onePercent).limit(2).build()));

    assertThat(bruteForce).hasSize(3);
    assertThat(top3).containsExactlyInAnyOrderElementsOf(bruteForce);
    assertThat(top2).containsExactlyElementsOf(top3.subList(0, 2));
  }

  @Test
  void filtersCombineWithLegacyFilters() {
    String user = newUserId();
    client.addAll(List.of(numbered("both", user, 1, "food"), numbered("tag only", user, 2, "food"),
        numbered("filter only", user, 1)));

    SearchRequest request = SearchRequest.builder(user).tags(List.of("food"), TagMatch.ANY)
        .filter(MemoryFilter.metadata("n").eq(1)).build();

    assertThat(contents(client.search(request))).containsExactly("both");
    assertThat(contents(client.search(SearchRequest.builder(user).query("both").metadata(
        Map.of("n", 2)).filter(MemoryFilter.tags().contains("food")).build())))
        .containsExactly("tag only");
  }

  @Test
  void listWithFilterPaginatesStably() {
    String user = newUserId();
    List<AddRequest> requests = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      // Groups of four share a creation time, so the order within a group is by id.
      requests.add(AddRequest.builder("memory " + i, user)
          .createdAt(PAST.plusSeconds(i / 4)).metadata(Map.of("i", i)).build());
    }
    List<String> ids = new ArrayList<>(client.addAll(requests).stream()
        .map(result -> result.memory().id()).toList());
    MemoryFilter even = MemoryFilter.metadata("i").in(
        IntStream.range(0, 12).map(i -> 2 * i).boxed().toList());
    List<String> expected = new ArrayList<>();
    for (int second = 5; second >= 0; second--) {
      List<String> group = new ArrayList<>();
      for (int i = 4 * second; i < 4 * second + 4; i += 2) {
        group.add(ids.get(i));
      }
      Collections.sort(group);
      expected.addAll(group);
    }

    List<String> paged = new ArrayList<>();
    for (int offset = 0; offset < 14; offset += 5) {
      Page<MemoryRecord> page = client.list(ListRequest.builder(Scope.user(user)).filter(even)
          .limit(5).offset(offset).build());
      assertThat(page.total()).isEqualTo(12);
      assertThat(page.offset()).isEqualTo(offset);
      paged.addAll(ids(page.items()));
    }

    assertThat(paged).containsExactlyElementsOf(expected);
  }
}
