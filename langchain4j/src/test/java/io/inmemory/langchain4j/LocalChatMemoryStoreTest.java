package io.inmemory.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.ChatMessage;
import io.inmemory.MemoryClient;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The store on the local engine. */
class LocalChatMemoryStoreTest extends ChatMemoryStoreContract {

  @Override
  MemoryClient open(Path dir) {
    return engine(dir);
  }

  @Override
  void shut() {
    client.close();
  }

  @Test
  void aWindowSurvivesReopeningTheStore() {
    List<ChatMessage> messages = everyKind();
    store.updateMessages("chat", messages);
    client.close();

    client = open(dir);
    assertThat(InMemoryChatMemoryStore.of(client).getMessages("chat")).isEqualTo(messages);
  }
}
