package io.inmemory.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inmemory.HistoryEntry;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WebhookPayloadsTest {
  private static final HistoryEntry SUPERSEDE = new HistoryEntry("m1", "alice",
      HistoryEntry.Event.SUPERSEDE, "lives in Paris", null, Instant.parse("2026-12-07T10:00:00Z"),
      "planner", "m2");

  @Test
  void aMemoryEventCarriesTheHistoryEntry() throws Exception {
    JsonNode body = Json.MAPPER.readTree(WebhookPayloads.memoryEvent("memory.superseded",
        "acme", SUPERSEDE, true));
    assertThat(body.get("type").asText()).isEqualTo("memory.superseded");
    assertThat(body.get("timestamp").asText()).isEqualTo("2026-12-07T10:00:00Z");
    JsonNode data = body.get("data");
    assertThat(data.get("project_id").asText()).isEqualTo("acme");
    assertThat(data.get("memory_id").asText()).isEqualTo("m1");
    assertThat(data.get("user_id").asText()).isEqualTo("alice");
    assertThat(data.get("agent_id").asText()).isEqualTo("planner");
    assertThat(data.get("event").asText()).isEqualTo("supersede");
    assertThat(data.get("related_id").asText()).isEqualTo("m2");
    assertThat(data.get("previous_content").asText()).isEqualTo("lives in Paris");
    assertThat(data.get("new_content").isNull()).isTrue();
  }

  @Test
  void contentsAreLeftOutUnlessIncluded() throws Exception {
    JsonNode data = Json.MAPPER.readTree(WebhookPayloads.memoryEvent("memory.superseded",
        "acme", SUPERSEDE, false)).get("data");
    assertThat(data.has("previous_content")).isFalse();
    assertThat(data.has("new_content")).isFalse();
    assertThat(data.get("memory_id").asText()).isEqualTo("m1");
  }
}
