package io.inmemory.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.agent.tool.ToolSpecifications;
import dev.langchain4j.invocation.InvocationParameters;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.service.AiServices;
import io.inmemory.AddRequest;
import io.inmemory.InvalidRequestException;
import io.inmemory.ListRequest;
import io.inmemory.MemoryRecord;
import io.inmemory.Scope;
import io.inmemory.engine.Memory;
import io.inmemory.engine.tck.HashingEmbedder;
import io.inmemory.store.file.FileMemoryStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory tools called by a scripted model through real {@code AiServices}, on the local engine
 * (hashing embeddings: who sees what, not meaning).
 */
class InMemoryToolsTest {

  @TempDir
  Path dir;

  private Memory client;
  private ScriptedChatModel model;

  @BeforeEach
  void open() {
    client = Memory.builder().store(FileMemoryStore.open(dir)).embedder(new HashingEmbedder())
        .build();
    model = new ScriptedChatModel();
  }

  @AfterEach
  void close() {
    client.close();
  }

  private <T> T assistant(Class<T> type) {
    return AiServices.builder(type).chatModel(model)
        .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(30))
        .tools(new InMemoryTools(client))
        .build();
  }

  private List<MemoryRecord> remembered(String user) {
    return client.list(ListRequest.builder(Scope.user(user)).limit(100).build()).items();
  }

  private static String json(String key, String value) {
    return "{\"" + key + "\":\"" + value + "\"}";
  }

  @Test
  void theSchemasAskTheModelForTheArgumentOnlyNeverForAUser() {
    Map<String, ToolSpecification> tools = ToolSpecifications
        .toolSpecificationsFrom(InMemoryTools.class).stream()
        .collect(Collectors.toMap(ToolSpecification::name, tool -> tool));

    assertThat(tools).containsOnlyKeys("remember", "recall", "forget");
    assertThat(tools.get("remember").parameters().properties()).containsOnlyKeys("fact");
    assertThat(tools.get("recall").parameters().properties()).containsOnlyKeys("query");
    assertThat(tools.get("forget").parameters().properties()).containsOnlyKeys("memoryId");
    assertThat(tools.values())
        .allSatisfy(tool -> assertThat(tool.description()).hasSizeGreaterThan(80));
  }

  @Test
  void rememberRecallAndForgetTheUsersOwnMemories() {
    model.callTool("remember", json("fact", "The user is allergic to peanuts."))
        .callTool("remember", json("fact", "the user is allergic to peanuts. "))
        .callTool("recall", json("query", "peanuts"))
        .answer("Noted.");
    Assistants.Chat assistant = assistant(Assistants.Chat.class);

    assertThat(assistant.chat("alice/c1", "I am allergic to peanuts")).isEqualTo("Noted.");

    MemoryRecord fact = remembered("alice").get(0);
    assertThat(remembered("alice")).hasSize(1);
    assertThat(fact.sessionId()).isNull();
    assertThat(model.lastToolResults()).containsExactly(
        "Remembered (id " + fact.id() + ").",
        "Already remembered (id " + fact.id() + ").",
        "[" + fact.id() + "] The user is allergic to peanuts. ("
            + fact.createdAt().toString().substring(0, 10) + ")");

    // another conversation of the same user reaches the fact, and deletes it
    model.callTool("remember", json("fact", "The user is allergic to peanuts."))
        .callTool("forget", json("memoryId", fact.id()))
        .callTool("recall", json("query", "peanuts"))
        .answer("Forgotten.");
    assistant.chat("alice/c2", "Forget my allergy");

    assertThat(model.lastToolResults()).containsExactly(
        "Already remembered (id " + fact.id() + ").", "Forgot memory " + fact.id() + ".",
        "No memories match.");
    assertThat(remembered("alice")).isEmpty();
  }

  @Test
  void aModelCannotReachAnotherUsersMemoriesWhateverItsArguments() {
    String bobs = client.add(AddRequest.builder("Bob's door code is 4711", Scope.user("bob"))
        .build()).id();
    model.callTool("recall", "{\"query\":\"door code\",\"userId\":\"bob\",\"user_id\":\"bob\"}")
        .callTool("forget", "{\"memoryId\":\"" + bobs + "\",\"userId\":\"bob\"}")
        .callTool("remember", "{\"fact\":\"Mallory was here.\",\"userId\":\"bob\"}")
        .answer("Done.");

    assertThat(assistant(Assistants.Chat.class).chat("mallory/c1", "What is Bob's door code?"))
        .isEqualTo("Done.");

    List<String> results = model.lastToolResults();
    assertThat(results.get(0)).isEqualTo("No memories match.");
    assertThat(results.get(1)).isEqualTo("No memory with id " + bobs
        + " (use an id shown by recall).");
    assertThat(remembered("bob")).extracting(MemoryRecord::content)
        .containsExactly("Bob's door code is 4711");
    assertThat(remembered("mallory")).extracting(MemoryRecord::content)
        .containsExactly("Mallory was here.");
  }

  @Test
  void whatTheModelGotWrongIsAnsweredAsTextAndTheTurnGoesOn() {
    model.callTool("remember", json("fact", " "))
        .callTool("remember", "{}")
        .callTool("forget", json("memoryId", "not an id!"))
        .callTool("forget", json("memoryId", "0123456789abcdef0123456789abcdef"))
        .callTool("recall", json("query", "x".repeat(20_000)))
        .callTool("remember", json("fact", "y".repeat(1024 * 1024 + 1)))
        .answer("Sorry.");

    assertThat(assistant(Assistants.Chat.class).chat("alice/c1", "hm")).isEqualTo("Sorry.");

    List<String> results = model.lastToolResults();
    assertThat(results.get(0)).startsWith("Not remembered: ").contains("content");
    assertThat(results.get(1)).startsWith("Not remembered: ");
    assertThat(results.get(2))
        .isEqualTo("No memory with id not an id! (use an id shown by recall).");
    assertThat(results.get(3)).startsWith("No memory with id 0123456789abcdef");
    assertThat(results.get(4)).startsWith("Cannot recall: ").contains("query");
    assertThat(results.get(5)).startsWith("Not remembered: ").contains("content");
    assertThat(remembered("alice")).isEmpty();
  }

  @Test
  void anUnresolvableScopeIsAToolErrorTheModelSeesAndNothingIsWritten() {
    model.callTool("remember", json("fact", "Someone likes tea.")).answer("Hm.");

    assertThat(assistant(Assistants.Shared.class).chat("I like tea")).isEqualTo("Hm.");

    assertThat(model.lastToolResults()).singleElement().asString()
        .contains("cannot tell whose memories these are");
    assertThat(remembered("default")).isEmpty();
  }

  @Test
  void invocationParametersNameTheUser() {
    model.callTool("remember", json("fact", "Carol plays chess.")).answer("Nice.");
    InvocationParameters parameters = new InvocationParameters();
    parameters.put(ScopeResolver.USER_ID, "carol");

    assistant(Assistants.WithParameters.class).chat("I play chess", parameters);

    assertThat(remembered("carol")).extracting(MemoryRecord::content)
        .containsExactly("Carol plays chess.");
  }

  @Test
  void recallReturnsAtMostTheLimitBestFirst() {
    for (String fact : List.of("tea in the morning", "tea at noon", "coffee at night")) {
      client.add(AddRequest.builder(fact, Scope.user("alice")).build());
    }
    InMemoryTools tools = InMemoryTools.builder(client).recallLimit(2).build();
    model.callTool("recall", json("query", "tea in the morning")).answer("ok");
    AiServices.builder(Assistants.Chat.class).chatModel(model).tools(tools)
        .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(30)).build()
        .chat("alice/c1", "when do I drink tea?");

    String[] lines = model.lastToolResults().get(0).split("\n");
    assertThat(lines).hasSize(2);
    assertThat(lines[0]).contains("] tea in the morning (");
    assertThatThrownBy(() -> InMemoryTools.builder(client).recallLimit(0))
        .isInstanceOfSatisfying(InvalidRequestException.class,
            e -> assertThat(e.violations().get(0).field()).isEqualTo("recallLimit"));
  }
}
