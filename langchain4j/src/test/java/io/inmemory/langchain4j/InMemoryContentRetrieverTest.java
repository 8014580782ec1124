package io.inmemory.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.invocation.InvocationParameters;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.ContentMetadata;
import dev.langchain4j.rag.query.Metadata;
import dev.langchain4j.rag.query.Query;
import dev.langchain4j.store.embedding.filter.comparison.ContainsString;
import dev.langchain4j.store.embedding.filter.comparison.IsEqualTo;
import io.inmemory.AddRequest;
import io.inmemory.InvalidRequestException;
import io.inmemory.MemoryFilter;
import io.inmemory.Scope;
import io.inmemory.engine.Memory;
import io.inmemory.engine.tck.HashingEmbedder;
import io.inmemory.store.file.FileMemoryStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The retriever on the local engine (hashing embeddings: filters and scopes, not meaning). */
class InMemoryContentRetrieverTest {

  @TempDir
  Path dir;

  private Memory client;
  private String peanuts;

  @BeforeEach
  void open() {
    client = Memory.builder().store(FileMemoryStore.open(dir)).embedder(new HashingEmbedder())
        .build();
    peanuts = client.add(AddRequest.builder("alice is allergic to peanuts",
            new Scope("alice", null, "c1")).tags("health").topic("food")
        .metadata(Map.of("source", "chat")).build()).id();
    client.add(AddRequest.builder("alice lives in Paris", new Scope("alice", null, "c2"))
        .tags("home").metadata(Map.of("source", "import")).build());
    client.add(AddRequest.builder("bob is allergic to cats", Scope.user("bob")).build());
  }

  @AfterEach
  void close() {
    client.close();
  }

  private static Query query(String text, Object chat) {
    InvocationContext context = InvocationContext.builder().chatMemoryId(chat)
        .invocationParameters(new InvocationParameters()).timestampNow().build();
    return Query.from(text, Metadata.builder().chatMessage(UserMessage.from(text))
        .invocationContext(context).build());
  }

  private static List<String> texts(List<Content> contents) {
    return contents.stream().map(c -> c.textSegment().text()).toList();
  }

  @Test
  void recallsTheUsersMemoriesFromEveryConversationAndNoOneElses() {
    InMemoryContentRetriever retriever = InMemoryContentRetriever.builder(client).build();

    assertThat(texts(retriever.retrieve(query("allergic", "alice/c3"))))
        .containsExactlyInAnyOrder("alice is allergic to peanuts", "alice lives in Paris");
    assertThat(texts(retriever.retrieve(query("allergic", "bob/c1"))))
        .containsExactly("bob is allergic to cats");
  }

  @Test
  void sameSessionOnlyKeepsToTheConversation() {
    InMemoryContentRetriever retriever = InMemoryContentRetriever.builder(client)
        .sameSessionOnly(true).build();
    assertThat(texts(retriever.retrieve(query("allergic", "alice/c2"))))
        .containsExactly("alice lives in Paris");
  }

  @Test
  void filtersChangeTheHits() {
    Query query = query("allergic", "alice/c9");
    assertThat(texts(InMemoryContentRetriever.builder(client)
        .filter(new IsEqualTo("tags", "health")).build().retrieve(query)))
        .containsExactly("alice is allergic to peanuts");
    assertThat(texts(InMemoryContentRetriever.builder(client)
        .filter(new IsEqualTo("source", "import")).build().retrieve(query)))
        .containsExactly("alice lives in Paris");
    assertThat(texts(InMemoryContentRetriever.builder(client)
        .dynamicFilter(q -> new ContainsString("content", q.text().contains("allergic")
            ? "PEANUT" : "paris"))
        .build().retrieve(query)))
        .containsExactly("alice is allergic to peanuts");
    // the static, dynamic and native filters all hold at once
    assertThat(InMemoryContentRetriever.builder(client)
        .filter(new IsEqualTo("tags", "health"))
        .memoryFilter(MemoryFilter.metadata("source").eq("import")).build().retrieve(query))
        .isEmpty();
  }

  @Test
  void eachHitCarriesItsScoreIdAndMetadata() {
    List<Content> contents = InMemoryContentRetriever.builder(client).maxResults(1)
        .filter(new IsEqualTo("topic", "food")).build().retrieve(query("peanuts", "alice/c9"));

    assertThat(contents).singleElement().satisfies(content -> {
      assertThat(content.metadata()).containsEntry(ContentMetadata.EMBEDDING_ID, peanuts)
          .containsKey(ContentMetadata.SCORE);
      assertThat(content.textSegment().metadata().toMap())
          .containsEntry("memory_id", peanuts).containsEntry("topic", "food")
          .containsEntry("tags", "health").containsEntry("session_id", "c1")
          .containsKey("created_at");
    });
  }

  @Test
  void maxResultsLimitsTheHits() {
    assertThat(InMemoryContentRetriever.builder(client).maxResults(1).build()
        .retrieve(query("alice", "alice/c9"))).hasSize(1);
    assertThatThrownBy(() -> InMemoryContentRetriever.builder(client).maxResults(0))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void aMinimumScoreDropsTheWeakerHits() {
    Query query = query("alice is allergic to peanuts", "alice/c9");
    List<Double> scores = InMemoryContentRetriever.builder(client).build().retrieve(query).stream()
        .map(c -> (Double) c.metadata().get(ContentMetadata.SCORE)).toList();
    assertThat(scores).hasSize(2);
    double best = Math.max(scores.get(0), scores.get(1));
    assertThat(best).isGreaterThan(Math.min(scores.get(0), scores.get(1)));

    assertThat(texts(InMemoryContentRetriever.builder(client).minScore(best).build()
        .retrieve(query))).containsExactly("alice is allergic to peanuts");
  }

  @Test
  void refusals() {
    InMemoryContentRetriever retriever = InMemoryContentRetriever.builder(client).build();
    assertThatThrownBy(() -> retriever.retrieve(Query.from("allergic")))
        .isInstanceOfSatisfying(InvalidRequestException.class,
            e -> assertThat(e.violations().get(0).field()).isEqualTo("scope"));
    assertThatThrownBy(() -> InMemoryContentRetriever.builder(client)
        .filter(new IsEqualTo("user_id", "bob")).build())
        .isInstanceOfSatisfying(InvalidRequestException.class,
            e -> assertThat(e.violations().get(0).field()).isEqualTo("filter"));
    assertThatThrownBy(() -> InMemoryContentRetriever.builder(client)
        .dynamicFilter(q -> new ContainsString("tags", "he")).build()
        .retrieve(query("allergic", "alice/c1")))
        .isInstanceOfSatisfying(InvalidRequestException.class,
            e -> assertThat(e.violations().get(0).field()).isEqualTo("filter"));
    // a minimum score no hit can have fails the build, not every later chat call
    for (double minScore : new double[] {1.5, -2, Double.NaN}) {
      assertThatThrownBy(() -> InMemoryContentRetriever.builder(client).minScore(minScore).build())
          .isInstanceOfSatisfying(InvalidRequestException.class,
              e -> assertThat(e.violations().get(0).field()).isEqualTo("threshold"));
    }
  }
}
