package io.inmemory.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.AddRequest;
import io.inmemory.AsyncMemoryClient;
import io.inmemory.InMemoryConfig;
import io.inmemory.ListRequest;
import io.inmemory.MemoryFilter;
import io.inmemory.Scope;
import io.inmemory.SearchRequest;
import io.inmemory.engine.tck.HashingEmbedder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The engine's reads by scope beyond the contract: the asynchronous view's listings and
 * statistics, and the user-id reads of issue 12 answering as their scope equivalents.
 */
class ScopedReadsTest {

  private static Memory memory() {
    return Memory.builder().config(InMemoryConfig.builder().isolated().build())
        .store(new VolatileMemoryStore()).embedder(new HashingEmbedder()).build();
  }

  @Test
  void asyncViewListsAndCountsByScope() {
    try (Memory memory = memory()) {
      AsyncMemoryClient async = memory.async();
      async.addAll(List.of(AddRequest.builder("in s1", Scope.user("u").withSession("s1")).build(),
          AddRequest.builder("in s2", Scope.user("u").withSession("s2")).build(),
          AddRequest.builder("own", Scope.agent("bot")).build())).join();

      assertThat(async.list(ListRequest.builder(Scope.user("u").withSession("s2")).build())
          .join().items()).extracting(record -> record.content()).containsExactly("in s2");
      assertThat(async.stats(Scope.agent("bot")).join().memoryCount()).isEqualTo(1);
      assertThat(async.search(SearchRequest.builder(Scope.agent("bot")).query("own").build())
          .join().hits()).hasSize(1);
    }
  }

  @Test
  void userIdReadsAnswerAsTheUsersScope() {
    try (Memory memory = memory()) {
      memory.addAll(List.of(AddRequest.builder("a", Scope.user("u").withAgent("x")).build(),
          AddRequest.builder("b", "u").tags("t").build()));

      assertThat(memory.getAll("u", 10, 0))
          .isEqualTo(memory.list(ListRequest.builder(Scope.user("u")).build()));
      assertThat(memory.getUserStats("u")).isEqualTo(memory.stats(Scope.user("u")));
      assertThat(memory.getUserStats("u").memoryCount()).isEqualTo(2);
      assertThat(memory.list(ListRequest.builder(Scope.user("u"))
          .filter(MemoryFilter.tags().contains("t")).build()).total()).isEqualTo(1);
    }
  }
}
