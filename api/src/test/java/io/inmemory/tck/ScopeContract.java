package io.inmemory.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inmemory.AddRequest;
import io.inmemory.HistoryEntry;
import io.inmemory.InvalidRequestException;
import io.inmemory.MemoryRecord;
import io.inmemory.NotFoundException;
import io.inmemory.Role;
import io.inmemory.Scope;
import io.inmemory.SearchRequest;
import io.inmemory.UpdateRequest;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The scope contract: users and agents' own memories are distinct owners, and a scope given is a
 * scope applied — an id outside the given agent or session is "not found", never a wider hit —
 * for reading, changing, deleting and history; a user's scope spans all their agents and sessions.
 */
public abstract class ScopeContract extends ClientContractSupport {

  private static final Instant PAST = Instant.parse("2024-03-01T09:00:00Z");

  /** An agent or session id no earlier test or run has used. */
  protected static String newScopeId(String prefix) {
    return prefix + "-" + UUID.randomUUID();
  }

  private MemoryRecord add(String content, Scope scope) {
    return client.add(AddRequest.builder(content, scope).build()).memory();
  }

  /**
   * Deletes every memory of {@code scope}, then checks the count and that exactly
   * {@code deleted} are gone and {@code kept} are held.
   */
  private void assertDeleteAll(Scope scope, List<MemoryRecord> deleted, List<MemoryRecord> kept) {
    assertThat(client.deleteAll(scope)).isEqualTo(deleted.size());

    assertThat(deleted).allSatisfy(memory ->
        assertThat(client.get(memory.id(), memory.scope())).as(memory.content()).isEmpty());
    assertThat(kept).allSatisfy(memory ->
        assertThat(client.get(memory.id(), memory.scope())).as(memory.content()).isPresent());
  }

  @Test
  void addRecordsTheScopeRoleAndValidity() {
    Scope scope = Scope.user(newUserId()).withAgent(newScopeId("planner"))
        .withSession(newScopeId("chat"));

    MemoryRecord added = client.add(AddRequest.builder("I moved to Berlin", scope)
        .role(Role.USER).createdAt(PAST).validFrom(PAST.minusSeconds(86_400)).build()).memory();
    MemoryRecord plain = add("I like tea", scope);

    assertThat(added.scope()).isEqualTo(scope);
    assertThat(added.role()).isEqualTo(Role.USER);
    assertThat(added.validFrom()).isEqualTo(PAST.minusSeconds(86_400));
    assertThat(added.isCurrent()).isTrue();
    assertThat(client.get(added.id(), scope)).contains(added);
    assertThat(plain.role()).isNull();
    assertThat(plain.validFrom()).isEqualTo(plain.createdAt());
  }

  @Test
  void agentOwnMemoriesAreNotTheUsers() {
    String name = "bot-" + UUID.randomUUID();
    MemoryRecord agents = add("The agent's own note", Scope.agent(name));
    MemoryRecord users = add("The user's own note", Scope.user(name));

    assertThat(agents.userId()).isNull();
    assertThat(agents.agentId()).isEqualTo(name);
    assertThat(client.get(agents.id(), Scope.agent(name))).contains(agents);
    assertThat(client.get(agents.id(), Scope.user(name))).isEmpty();
    assertThat(client.get(users.id(), Scope.agent(name))).isEmpty();
    assertThat(client.delete(users.id(), Scope.agent(name))).isFalse();
    assertThat(client.deleteAll(Scope.agent(name))).isEqualTo(1);
    assertThat(client.get(users.id(), Scope.user(name))).contains(users);
    assertThat(client.getAll(name, 10, 0).items()).containsExactly(users);
  }

  @Test
  void getOutsideTheGivenSessionIsNotFound() {
    Scope user = Scope.user(newUserId());
    String session = newScopeId("s");
    MemoryRecord memory = add("We talked about the trip", user.withSession(session));

    assertThat(client.get(memory.id(), user.withSession(session))).contains(memory);
    assertThat(client.get(memory.id(), user)).contains(memory);
    assertThat(client.get(memory.id(), user.withSession(newScopeId("s")))).isEmpty();
    assertThat(client.get(memory.id(), user.withAgent(newScopeId("a")))).isEmpty();
  }

  @Test
  void updateAndDeleteOutsideTheGivenAgentAreNotFound() {
    Scope user = Scope.user(newUserId());
    Scope agent = user.withAgent(newScopeId("a")).withSession(newScopeId("s"));
    Scope other = user.withAgent(newScopeId("a"));
    MemoryRecord memory = add("Dinner is at eight", agent);
    UpdateRequest update = UpdateRequest.builder().content("Dinner is at nine").build();

    assertThatThrownBy(() -> client.update(memory.id(), other, update))
        .isInstanceOf(NotFoundException.class);
    assertThat(client.delete(memory.id(), other)).isFalse();
    assertThat(client.get(memory.id(), user)).contains(memory);

    MemoryRecord updated = client.update(memory.id(), agent, update);
    assertThat(updated.content()).isEqualTo("Dinner is at nine");
    assertThat(updated.scope()).isEqualTo(agent);
    assertThat(client.delete(memory.id(), agent)).isTrue();
    assertThat(client.get(memory.id(), user)).isEmpty();
  }

  @Test
  void deleteAllOfOneSessionLeavesTheOthers() {
    Scope user = Scope.user(newUserId());
    Scope first = user.withSession(newScopeId("s"));
    MemoryRecord a = add("First session, first note", first);
    MemoryRecord b = add("First session, second note", first.withAgent(newScopeId("a")));
    MemoryRecord c = add("Second session note", user.withSession(newScopeId("s")));
    MemoryRecord d = add("A note of no session", user);

    assertDeleteAll(first, List.of(a, b), List.of(c, d));
    assertThat(client.history(a.id(), user)).extracting(HistoryEntry::event)
        .containsExactly(HistoryEntry.Event.ADD, HistoryEntry.Event.DELETE);
    assertThat(client.deleteAll(first)).isZero();
  }

  @Test
  void deleteAllOfOneAgentOfAUser() {
    Scope user = Scope.user(newUserId());
    Scope agent = user.withAgent(newScopeId("a"));
    MemoryRecord a = add("Noted by the agent", agent);
    MemoryRecord b = add("Noted by the agent in a session", agent.withSession(newScopeId("s")));
    MemoryRecord c = add("Noted by another agent", user.withAgent(newScopeId("a")));
    MemoryRecord d = add("Noted by no agent", user);
    MemoryRecord own = add("The agent's own note", Scope.agent(agent.agentId()));

    // the agent's own memories are not the user's
    assertDeleteAll(agent, List.of(a, b), List.of(c, d, own));
  }

  @Test
  void deleteAllOfAnAgentsOwnMemories() {
    String agentId = newScopeId("a");
    Scope agent = Scope.agent(agentId);
    MemoryRecord a = add("Own note one", agent);
    MemoryRecord b = add("Own note two", agent.withSession(newScopeId("s")));
    MemoryRecord forUser = add("Noted for a user", Scope.user(newUserId()).withAgent(agentId));

    assertDeleteAll(agent, List.of(a, b), List.of(forUser));
    assertThat(client.history(a.id(), agent)).extracting(HistoryEntry::event)
        .containsExactly(HistoryEntry.Event.ADD, HistoryEntry.Event.DELETE);
  }

  @Test
  void historyByAgentScope() {
    Scope user = Scope.user(newUserId());
    Scope agent = user.withAgent(newScopeId("a"));
    Scope other = user.withAgent(newScopeId("a"));
    MemoryRecord memory = add("The report is due Friday", agent);

    List<HistoryEntry> history = client.history(memory.id(), agent);
    assertThat(history).singleElement().satisfies(entry -> {
      assertThat(entry.event()).isEqualTo(HistoryEntry.Event.ADD);
      assertThat(entry.userId()).isEqualTo(user.userId());
      assertThat(entry.agentId()).isEqualTo(agent.agentId());
    });
    assertThatThrownBy(() -> client.history(memory.id(), other))
        .isInstanceOf(NotFoundException.class);

    client.delete(memory.id(), agent);
    assertThat(client.history(memory.id(), agent)).hasSize(2);
    assertThat(client.history(memory.id(), user)).hasSize(2);
    assertThatThrownBy(() -> client.history(memory.id(), other))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void scopeWithoutUserOrAgentIsInvalid() {
    assertInvalid(() -> new Scope(null, null, "s"), "scope");
    assertInvalid(() -> client.add(new AddRequest("x", null, List.of(), List.of(), null,
        java.util.Map.of(), null, null, null, null, null, false)), "scope");
    assertInvalid(() -> client.get(unknownMemoryId(), new Scope(null, null, null)), "scope");
  }

  @Test
  void agentIdOver100CharactersIsInvalid() {
    String user = newUserId();
    String hundred = (newScopeId("a") + "x".repeat(100)).substring(0, 100);

    assertInvalid(() -> client.add(AddRequest.builder("x", Scope.user(user)
        .withAgent(hundred + "x")).build()), "agentId");
    assertInvalid(() -> client.deleteAll(Scope.agent(hundred + "x")), "agentId");
    assertInvalid(() -> client.add(AddRequest.builder("x", Scope.user(user)
        .withSession("s".repeat(101))).build()), "sessionId");
    assertThat(client.getAll(user, 10, 0).total()).isZero();

    MemoryRecord own = add("An agent named at the longest", Scope.agent(hundred));
    assertThat(client.get(own.id(), Scope.agent(hundred))).contains(own);
  }

  @Test
  void userScopeSearchSpansAllAgentsOfTheUser() {
    String user = newUserId();
    MemoryRecord a = add("I like green tea", Scope.user(user).withAgent(newScopeId("a")));
    MemoryRecord b = add("I play chess on Sundays",
        Scope.user(user).withAgent(newScopeId("a")).withSession(newScopeId("s")));
    MemoryRecord c = add("My cat is named Tom", Scope.user(user));
    add("An agent's own note", Scope.agent(newScopeId("a")));

    assertThat(client.search(SearchRequest.builder(user).limit(10).build()).memories())
        .containsExactlyInAnyOrder(a, b, c);
    assertThat(ids(client.search("Which game do I play?", user, 10)))
        .containsExactlyInAnyOrder(a.id(), b.id(), c.id());
  }
}
