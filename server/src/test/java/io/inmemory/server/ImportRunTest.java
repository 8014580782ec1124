package io.inmemory.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.ExportRequest;
import io.inmemory.InMemoryConfig;
import io.inmemory.RestoreResult.Outcome;
import io.inmemory.engine.Memory;
import io.inmemory.engine.tck.HashingEmbedder;
import io.inmemory.engine.tenant.KeyScope;
import io.inmemory.server.ImportListener.ImportSummary;
import io.inmemory.wire.ArchiveJson;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.util.Fields;
import org.junit.jupiter.api.Test;

/**
 * The import's hook for the webhooks: the chunks of one {@code import_run} are counted together,
 * and the listener hears the run's summary once, when its chunk marked {@code final=true} is
 * stored.
 */
class ImportRunTest {
  private final List<List<Object>> heard = new ArrayList<>();
  private final Memory memory = Memory.builder().config(InMemoryConfig.builder().isolated()
      .build()).store(TestServer.volatileStore()).embedder(new HashingEmbedder()).build();
  private final Route route = new BulkRoutes(memory, TestServer.admission(),
      (project, summary) -> heard.add(List.of(project, summary)), Clock.systemUTC()).routes()
      .stream().filter(r -> r.operationId().equals("importMemories")).findFirst().orElseThrow();

  private Map<?, ?> post(String query, List<String> lines) {
    Fields fields = new Fields();
    for (String pair : query.split("&")) {
      if (!pair.isEmpty()) {
        String[] parts = pair.split("=", 2);
        fields.add(parts[0], parts[1]);
      }
    }
    byte[] body = String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
    Call call = new Call(Map.of(), fields, () -> null,
        new Principal("key-1", "p1", Set.of(KeyScope.WRITE)), HttpFields.EMPTY, body, "req-1");
    return (Map<?, ?>) route.handler().handle(call);
  }

  @Test
  void theRunsChunksAreCountedTogetherAndItsEndIsHeardOnce() {
    try (memory) {
      Memory source = memory.namespace("source");
      source.add("Likes tea", "alice");
      source.add("Lives in Lyon", "alice");
      source.add("Owns a bike", "bob");
      List<String> lines = new ArrayList<>();
      source.export(ExportRequest.all(), archived -> lines.add(ArchiveJson.write(archived)));

      post("import_run=r1", lines.subList(0, 2));
      assertThat(heard).isEmpty();
      post("import_run=r1&final=true", lines);
      post("import_run=r2&final=false", List.of("not json"));

      assertThat(heard).containsExactly(List.of("p1", new ImportSummary("r1",
          Map.of(Outcome.RESTORED, 3L, Outcome.UNCHANGED, 2L))));
      assertThat(memory.namespace("p1").getAll("alice", 10, 0).items()).hasSize(2);
      post("import_run=r1&final=true", List.of("not json"));
      assertThat(heard).hasSize(2).last().isEqualTo(List.of("p1",
          new ImportSummary("r1", Map.of(Outcome.INVALID, 1L))));
    }
  }
}
