package io.inmemory.springai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inmemory.InMemoryException;
import io.inmemory.MemoryClient;
import io.inmemory.springai.testing.ScriptedChatModel;
import io.inmemory.springai.testing.SharedServer;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;

/** The advisor over the managed runtime: a server on a loopback port, reached over HTTP. */
class ManagedLongTermMemoryAdvisorTest extends LongTermMemoryAdvisorContract {
  @Override
  protected MemoryClient openClient() {
    return SharedServer.get().newClient();
  }

  @Test
  void anUnreachableServerFailsTheCallUnlessFailOpen() {
    ScriptedChatModel model = new ScriptedChatModel().answer("Hello.");
    try (MemoryClient down = SharedServer.get().newClient(SharedServer.unreachableUrl())) {
      ChatClient strict = ChatClient.builder(model)
          .defaultAdvisors(LongTermMemoryAdvisor.builder(down).userId("carol").build()).build();
      assertThatThrownBy(() -> strict.prompt().user("hi").call().content())
          .isInstanceOf(InMemoryException.class);

      ChatClient lenient = ChatClient.builder(model).defaultAdvisors(LongTermMemoryAdvisor
          .builder(down).userId("carol").failOpen(true).build()).build();
      assertThat(lenient.prompt().user("hi").call().content()).isEqualTo("Hello.");
    }
  }
}
