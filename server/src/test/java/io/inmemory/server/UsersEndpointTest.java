package io.inmemory.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inmemory.server.TestServer.Answer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/users} and {@code GET /v1/agents}: a project's owners, by id, keyset paged. */
class UsersEndpointTest {

  private static Map<String, Object> agent(String agentId) {
    return Map.of("agent_id", agentId);
  }

  @Test
  void usersAndAgentsArePagedByIdWithTheirCountsWithinTheProject() {
    try (TestServer server = new TestServer()) {
      String key = server.newKey("acme");
      String other = server.newKey("globex");
      for (String user : List.of("carol", "alice", "bob", "dave", "erin")) {
        int count = user.equals("alice") ? 3 : 1;
        for (int i = 0; i < count; i++) {
          server.add(key, user, user + " fact " + i, Map.of());
        }
      }
      server.add(key, "alice", "alice and her bot", agent("helper"));
      addAgentOwn(server, key, "zeta-bot", "the bot's own fact");
      addAgentOwn(server, key, "alpha-bot", "another bot's own fact");
      server.add(other, "mallory", "another project's user", Map.of());

      List<String> seen = new ArrayList<>();
      String after = null;
      int pages = 0;
      do {
        Answer page = server.get("/v1/users?limit=2" + (after == null ? "" : "&after=" + after),
            key);
        assertThat(page.status()).as(page.describe()).isEqualTo(200);
        JsonNode users = page.json().get("users");
        assertThat(users.size()).isBetween(1, 2);
        users.forEach(user -> seen.add(user.get("user_id").asText() + "="
            + user.get("memory_count").asInt()));
        after = page.json().get("next_after").isNull() ? null
            : page.json().get("next_after").asText();
        assertThat(after == null || after.equals(users.get(users.size() - 1).get("user_id")
            .asText())).isTrue();
        pages++;
      } while (after != null);
      // the agent's memories of alice are alice's; the agents' own are not users
      assertThat(seen).containsExactly("alice=4", "bob=1", "carol=1", "dave=1", "erin=1");
      assertThat(pages).isEqualTo(3);

      Answer agents = server.get("/v1/agents", key);
      assertThat(agents.json().get("agents").findValuesAsText("agent_id"))
          .containsExactly("alpha-bot", "zeta-bot");
      assertThat(agents.json().get("agents").get(0).get("memory_count").asInt()).isEqualTo(1);
      assertThat(agents.json().get("agents").get(0).get("last_created_at").asText())
          .isNotEmpty();
      assertThat(agents.json().get("next_after").isNull()).isTrue();
      Answer second = server.get("/v1/agents?limit=1&after=alpha-bot", key);
      assertThat(second.json().get("agents").findValuesAsText("agent_id"))
          .containsExactly("zeta-bot");
      assertThat(server.get("/v1/users?after=erin", key).json().get("users")).isEmpty();

      Answer theirs = server.get("/v1/users", other);
      assertThat(theirs.json().get("users").findValuesAsText("user_id"))
          .containsExactly("mallory");
      assertThat(server.get("/v1/agents", other).json().get("agents")).isEmpty();
    }
  }

  private static void addAgentOwn(TestServer server, String key, String agentId,
      String content) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("memory_content", content);
    body.put("agent_id", agentId);
    assertThat(server.post("/v1/memories", key, body).status()).isEqualTo(201);
  }

  @Test
  void aBadLimitOrAKeyWithoutReadIsRefused() {
    try (TestServer server = new TestServer()) {
      String key = server.newKey("acme");
      for (String limit : List.of("0", "501", "ten")) {
        Answer answer = server.get("/v1/users?limit=" + limit, key);
        assertThat(answer.status()).as(limit).isEqualTo(400);
        assertThat(answer.json().toString()).contains("limit");
      }
      assertThat(server.get("/v1/agents?limit=500", key).status()).isEqualTo(200);
      String keysOnly = server.newKey("acme", "keys");
      assertThat(server.get("/v1/users", keysOnly).status()).isEqualTo(403);
      assertThat(server.get("/v1/agents", keysOnly).status()).isEqualTo(403);
      assertThat(server.get("/v1/users", null).status()).isEqualTo(401);
      // the bootstrap admin key has no project
      assertThat(server.get("/v1/users", TestServer.ADMIN).status()).isEqualTo(403);
    }
  }
}
