package io.inmemory.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.ConversationRequest;
import io.inmemory.InMemoryConfig;
import io.inmemory.MemoryEvent;
import io.inmemory.MemoryRecord;
import io.inmemory.Message;
import io.inmemory.Scope;
import io.inmemory.UpdateRequest;
import io.inmemory.engine.retrieval.RetrievalSettings;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoredMemory;
import io.inmemory.engine.tck.ForwardingStore;
import io.inmemory.engine.tck.HashingEmbedder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A message's words are indexed after those of the message before it in its conversation, and
 * kept so as the thread changes: the earlier message updated, deleted, or loaded after the one
 * that follows it. Lexical retrieval, so that only the words decide.
 */
class ConversationThreadsTest {
  private static final Scope USER = Scope.user("u1").withSession("trip");
  private static final Instant T = Instant.parse("2024-05-07T18:30:00Z");
  private static final String REPLY = "Yes, twice!";

  private final VolatileMemoryStore store = new VolatileMemoryStore();

  @Test
  void aReplyIsFoundByTheWordsOfTheMessageItAnswers() {
    try (Memory memory = open("0.5")) {
      remember(memory);
      assertThat(found(memory, "Japan")).contains(REPLY, "Have you ever been to Japan?");
    }
  }

  @Test
  void withoutContextOnlyItsOwnWordsFindIt() {
    try (Memory memory = open("0")) {
      remember(memory);
      assertThat(found(memory, "Japan")).containsExactly("Have you ever been to Japan?");
    }
  }

  @Test
  void theReplyFollowsWhatTheMessageBeforeItBecomesAndLosesItWhenItIsDeleted() {
    try (Memory memory = open("0.5")) {
      MemoryRecord question = remember(memory).get(0);

      memory.update(question.id(), USER, UpdateRequest.builder().content("Have you ever been to Korea?").build());
      assertThat(found(memory, "Korea")).contains(REPLY);
      assertThat(found(memory, "Japan")).isEmpty();

      memory.delete(question.id(), USER);
      assertThat(found(memory, "Korea")).isEmpty();
      assertThat(found(memory, "twice")).contains(REPLY);
    }
  }

  @Test
  void aPartitionLoadedReplyFirstStillReadsItInContext() {
    try (Memory memory = open("0.5")) {
      remember(memory);
    }
    ForwardingStore replyFirst = new ForwardingStore(store) {
      @Override
      public List<StoredMemory> load(PartitionKey partition) {
        List<StoredMemory> loaded = new ArrayList<>(super.load(partition));
        Collections.reverse(loaded);
        return loaded;
      }
    };
    try (Memory memory = Memory.builder().config(config("0.5")).store(replyFirst)
        .embedder(new HashingEmbedder()).build()) {
      assertThat(found(memory, "Japan")).contains(REPLY);
    }
  }

  @Test
  void callsOfOneConversationRacingEachOtherMakeOneThread() throws Exception {
    int threads = 4;
    int calls = 25;
    try (Memory memory = open("0.5")) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int writer = t;
          done.add(pool.submit(() -> {
            for (int c = 0; c < calls; c++) {
              memory.add(ConversationRequest.builder(USER).messages(
                  Message.user("message " + c + " of writer " + writer).withTimestamp(T)).build());
            }
          }));
        }
        for (Future<?> call : done) {
          call.get(60, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      List<MemoryRecord> all = memory.getAll("u1", 1000, 0).items();
      Map<Object, Long> followers = all.stream()
          .filter(record -> record.metadata().containsKey(Message.FOLLOWS_METADATA_KEY))
          .collect(Collectors.groupingBy(
              record -> record.metadata().get(Message.FOLLOWS_METADATA_KEY),
              Collectors.counting()));
      assertThat(all).hasSize(threads * calls);
      assertThat(followers).as("memories followed, by how many").hasSize(threads * calls - 1)
          .allSatisfy((followed, count) -> assertThat(count).isOne());
    }
  }

  private Memory open(String contextWeight) {
    return Memory.builder().config(config(contextWeight)).store(new ForwardingStore(store) {
      @Override
      public void close() {
        // the store outlives each engine, as a durable one would
      }
    }).embedder(new HashingEmbedder()).build();
  }

  private static InMemoryConfig config(String contextWeight) {
    return InMemoryConfig.builder().isolated()
        .set(RetrievalSettings.MODE.name(), "lexical")
        .set(RetrievalSettings.CONTEXT_WEIGHT.name(), contextWeight)
        .set(RetrievalSettings.NEIGHBOR_WEIGHT.name(), "0").build();
  }

  private static List<MemoryRecord> remember(Memory memory) {
    return memory.add(ConversationRequest.builder(USER).messages(
            Message.assistant("Have you ever been to Japan?").withTimestamp(T),
            Message.user(REPLY).withTimestamp(T.plusSeconds(5)),
            Message.assistant("Lucky you").withTimestamp(T.plusSeconds(9))).build())
        .events().stream().map(MemoryEvent::memory).toList();
  }

  private static List<String> found(Memory memory, String query) {
    return memory.search(query, "u1", 10).memories().stream().map(MemoryRecord::content)
        .toList();
  }
}
