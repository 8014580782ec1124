package io.inmemory.engine.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inmemory.HistoryEntry;
import io.inmemory.InvalidRequestException;
import io.inmemory.MemoryRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PartitionKeyTest {

  private static final Instant T = Instant.parse("2024-01-01T00:00:00Z");

  private static StoredMemory agentMemory(String id, String agentId) {
    MemoryRecord record = new MemoryRecord(id, null, "c", List.of(), List.of(), null, Map.of(), T,
        T, agentId, null, null, T, null, null);
    return new StoredMemory("ns", record, new float[] {1}, "e");
  }

  @Test
  void aUserAndAnAgentOfOneNameAreTwoPartitions() {
    PartitionKey user = PartitionKey.user("ns", "bot");
    PartitionKey agent = PartitionKey.agent("ns", "bot");

    assertThat(user).isNotEqualTo(agent);
    assertThat(user.owner()).isEqualTo("bot");
    assertThat(agent.owner()).isEqualTo("~bot");
    assertThat(user.userId()).isEqualTo("bot");
    assertThat(user.agentId()).isNull();
    assertThat(agent.userId()).isNull();
    assertThat(agent.agentId()).isEqualTo("bot");
    assertThat(PartitionKey.of("ns", "alice", "bot")).isEqualTo(PartitionKey.user("ns", "alice"));
    assertThat(PartitionKey.of("ns", null, "bot")).isEqualTo(agent);
  }

  @Test
  void ownersAreValidated() {
    assertThatThrownBy(() -> PartitionKey.agent("ns", "a".repeat(101)))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("agentId");
    assertThatThrownBy(() -> new PartitionKey("ns", "~"))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> new PartitionKey("ns", "bad user"))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("userId");
    assertThatThrownBy(() -> PartitionKey.of("ns", null, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(PartitionKey.agent("ns", "a".repeat(100)).owner()).hasSize(101);
  }

  @Test
  void anAgentsOwnMemoryLivesInTheAgentsPartition() {
    StoredMemory memory = agentMemory("m1", "bot");
    HistoryEntry entry = new HistoryEntry("m1", null, HistoryEntry.Event.ADD, null, "c", T, "bot",
        null);

    assertThat(memory.partition()).isEqualTo(PartitionKey.agent("ns", "bot"));
    assertThat(StoredMemory.owners(List.of(memory), List.of(entry))).containsExactly(0);
    HistoryEntry userEntry = new HistoryEntry("m1", "bot", HistoryEntry.Event.ADD, null, "c", T);
    assertThatThrownBy(() -> StoredMemory.owners(List.of(memory), List.of(userEntry)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
