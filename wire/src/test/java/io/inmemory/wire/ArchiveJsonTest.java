package io.inmemory.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inmemory.ArchivedEmbedding;
import io.inmemory.ArchivedMemory;
import io.inmemory.ExportRequest;
import io.inmemory.HistoryEntry;
import io.inmemory.HistoryEntry.Event;
import io.inmemory.InvalidRequestException;
import io.inmemory.MemoryRecord;
import io.inmemory.Role;
import io.inmemory.Scope;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Export lines written by {@link ArchiveJson} read back equal; bad lines are refused, clearly. */
class ArchiveJsonTest {
  private static final Instant T1 = Instant.parse("2025-05-06T07:08:09.123Z");
  private static final Instant T2 = Instant.parse("2025-06-07T08:09:10Z");
  private static final String ID = "0b6f3c52-5a3e-4c43-8f0e-000000000001";

  private static MemoryRecord memory() {
    return new MemoryRecord(ID, "alice", "Lives in Lyon\nsince \"2020\" — é 😀", List.of("home"),
        List.of("Bob"), "places", Map.of("n", 1L, "nested", Map.of("ok", true)), T1, T2,
        "planner", "s1", Role.USER, T1, T2, "0b6f3c52-5a3e-4c43-8f0e-000000000002");
  }

  private static List<HistoryEntry> history() {
    return List.of(new HistoryEntry(ID, "alice", Event.ADD, null, "Lives in Paris", T1,
            "planner", null),
        new HistoryEntry(ID, "alice", Event.UPDATE, "Lives in Paris", "Lives in Lyon", T2,
            "planner", null),
        new HistoryEntry(ID, "alice", Event.SUPERSEDE, "Lives in Lyon", "Lives in Lyon", T2,
            "planner", "0b6f3c52-5a3e-4c43-8f0e-000000000002"));
  }

  private static ArchivedMemory entry(String line) {
    return ((ArchiveJson.Entry) ArchiveJson.read(line)).memory();
  }

  @Test
  void memoryLineRoundTripsWithHistoryAndEmbedding() {
    ArchivedMemory archived = ArchivedMemory.of(memory(), history(),
        new ArchivedEmbedding("onnx:test", new float[] {0.5f, -1.25f, Float.MIN_VALUE, 3e7f}));
    String line = ArchiveJson.write(archived);
    assertThat(line).doesNotContain("\n").startsWith("{\"kind\":\"memory\",\"id\":\"" + ID);
    assertThat(entry(line)).isEqualTo(archived);
    ArchivedMemory plain = ArchivedMemory.of(memory(), List.of(), null);
    assertThat(entry(ArchiveJson.write(plain))).isEqualTo(plain);
  }

  @Test
  void deletedLineRoundTripsForUsersAndAgents() {
    ArchivedMemory user = ArchivedMemory.deleted(List.of(
        new HistoryEntry(ID, "alice", Event.ADD, null, "x", T1),
        new HistoryEntry(ID, "alice", Event.DELETE, "x", null, T2)));
    ArchivedMemory agent = ArchivedMemory.deleted(List.of(
        new HistoryEntry(ID, null, Event.ADD, null, "x", T1, "bot", null),
        new HistoryEntry(ID, null, Event.DELETE, "x", null, T2, "bot", null)));
    for (ArchivedMemory archived : List.of(user, agent)) {
      String line = ArchiveJson.write(archived);
      assertThat(line).startsWith("{\"kind\":\"deleted\"");
      assertThat(entry(line)).isEqualTo(archived);
    }
    assertThat(agent.owner()).isEqualTo(Scope.agent("bot"));
  }

  @Test
  void headerAndEndRoundTrip() {
    ArchiveJson.Header header = ArchiveJson.Header.of("proj_x",
        ExportRequest.of(Scope.user("alice")), T1);
    assertThat(ArchiveJson.read(ArchiveJson.header(header))).isEqualTo(header);
    assertThat(ArchiveJson.header(header)).startsWith(
        "{\"kind\":\"header\",\"format\":\"inmemory-export\",\"format_version\":1,");
    ArchiveJson.Header all = ArchiveJson.Header.of(null, new ExportRequest(null, true, false,
        false), T2);
    assertThat(ArchiveJson.read(ArchiveJson.header(all))).isEqualTo(all);
    assertThat(all.deleted()).as("no deleted memories without histories").isFalse();
    ArchiveJson.End end = new ArchiveJson.End(1234, 56);
    assertThat(ArchiveJson.read(ArchiveJson.end(end))).isEqualTo(end);
  }

  @Test
  void handWrittenMemoryLineNeedsOnlyIdContentAndCreation() {
    ArchivedMemory archived = entry("{\"kind\":\"memory\",\"id\":\"" + ID + "\",\"user_id\":"
        + "\"alice\",\"memory_content\":\"Likes tea\",\"created_at\":\"2025-05-06T07:08:09Z\","
        + "\"x_source\":\"notes\"}");
    MemoryRecord memory = archived.memory();
    assertThat(memory.content()).isEqualTo("Likes tea");
    assertThat(memory.updatedAt()).isEqualTo(memory.createdAt()).isEqualTo(memory.validFrom());
    assertThat(memory.tags()).isEmpty();
    assertThat(archived.history()).isEmpty();
  }

  @Test
  void badLinesAreInvalidWithTheReason() {
    String memory = ArchiveJson.write(ArchivedMemory.of(memory(), history(), null));
    assertInvalid("not json", "line", "is not one JSON object");
    assertInvalid("[1]", "line", "is not one JSON object");
    assertInvalid("{\"kind\":\"memo\"}", "line", "kind 'memo'");
    assertInvalid("{\"id\":\"x\"}", "line", "kind none");
    assertInvalid(memory.replace("\"kind\":\"memory\",", "\"kind\":\"memory\",\"colour\":1,"),
        "line", "unknown members [colour]");
    assertInvalid(memory.replace("\"memory_content\":", "\"content\":"), "line",
        "unknown members [content]");
    assertInvalid("{\"kind\":\"memory\",\"id\":\"" + ID + "\",\"user_id\":\"alice\","
        + "\"created_at\":\"2025-05-06T07:08:09Z\"}", "content", "is required");
    assertInvalid(memory.replace("\"event\":\"add\"", "\"event\":\"moved\""), "line",
        "bad value");
    assertInvalid(memory.replace("\"created_at\":\"2025-05-06T07:08:09.123Z\"",
        "\"created_at\":\"yesterday\""), "line", "bad value");
    assertInvalid("{\"kind\":\"deleted\",\"id\":\"" + ID + "\",\"user_id\":\"alice\","
        + "\"history\":[]}", "history", "required");
    assertInvalid(ArchiveJson.write(ArchivedMemory.of(memory(), history(), null))
        .replace("\"event\":\"add\"", "\"event\":\"update\""), "history", "start with add");
    assertInvalid(memory.replace("\"history\":", "\"embedding\":{\"embedder_id\":\"e\","
        + "\"dimensions\":3,\"f32le\":\"AAAAAA==\"},\"history\":"), "embedding.vector",
        "4 bytes, not the 12 of 3 dimensions");
    assertInvalid("{\"kind\":\"header\",\"format\":\"inmemory-export\",\"format_version\":2,"
        + "\"inmemory_version\":\"9\",\"exported_at\":\"2025-05-06T07:08:09Z\"}", "line",
        "format_version 2");
    assertInvalid("{\"kind\":\"end\",\"memories\":1}", "deleted", "is required");
  }

  private static void assertInvalid(String line, String field, String problem) {
    assertThatThrownBy(() -> ArchiveJson.read(line))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.violations())
            .anySatisfy(v -> {
              assertThat(v.field()).isEqualTo(field);
              assertThat(v.problem()).contains(problem);
            }));
  }
}
