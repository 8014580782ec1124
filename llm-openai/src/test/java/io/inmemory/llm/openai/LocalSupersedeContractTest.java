package io.inmemory.llm.openai;

import io.inmemory.InMemoryConfig;
import io.inmemory.MemoryClient;
import io.inmemory.engine.Memory;
import io.inmemory.engine.tck.HashingEmbedder;
import io.inmemory.llm.openai.testing.ScriptedModel;
import io.inmemory.llm.openai.testing.ScriptedOpenAi;
import io.inmemory.tck.ModelScript;
import io.inmemory.tck.SupersedeContract;
import org.junit.jupiter.api.AfterAll;

/**
 * The supersede contract on the engine with the volatile store, the {@code openai} extractor
 * selected by configuration and a scripted endpoint on a loopback port.
 */
class LocalSupersedeContractTest extends SupersedeContract {
  private final ScriptedOpenAi server = ScriptedOpenAi.start();
  private final ScriptedModel model = new ScriptedModel(server);

  @Override
  protected ModelScript modelScript() {
    return model;
  }

  @Override
  protected MemoryClient createClient() {
    InMemoryConfig.Builder config = InMemoryConfig.builder().isolated()
        .set(InMemoryConfig.STORE.name(), "memory");
    model.settings().forEach(config::set);
    return Memory.builder().config(config.build()).embedder(new HashingEmbedder()).build();
  }

  @AfterAll
  void stopServer() {
    server.close();
  }
}
