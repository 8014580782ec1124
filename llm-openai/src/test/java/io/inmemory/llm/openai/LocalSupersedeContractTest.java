package io.inmemory.llm.openai;

import io.inmemory.InMemoryConfig;
import io.inmemory.MemoryClient;
import io.inmemory.engine.Memory;
import io.inmemory.engine.tck.HashingEmbedder;
import io.inmemory.llm.openai.testing.ScriptedModel;
import io.inmemory.llm.openai.testing.ScriptedOpenAi;
import io.inmemory.tck.ModelScript;
import io.inmemory.tck.SupersedeContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supersede contract on the engine with the {@code openai} extractor selected by
 * configuration and a scripted endpoint on a loopback port, on the volatile and the file store.
 */
class LocalSupersedeContractTest {
  @TempDir
  static Path temp;

  @Nested
  class OnVolatileStore extends ScriptedSupersede {
    @Override
    protected InMemoryConfig.Builder store(InMemoryConfig.Builder config) {
      return config.set(InMemoryConfig.STORE.name(), "memory");
    }
  }

  @Nested
  class OnFileStore extends ScriptedSupersede {
    @Override
    protected InMemoryConfig.Builder store(InMemoryConfig.Builder config) {
      return config.set(InMemoryConfig.STORE.name(), "file")
          .set("inmemory.store.file.dir", temp.toString());
    }
  }

  /** One scripted endpoint per store. */
  abstract static class ScriptedSupersede extends SupersedeContract {
    private final ScriptedOpenAi server = ScriptedOpenAi.start();
    private final ScriptedModel model = new ScriptedModel(server);

    protected abstract InMemoryConfig.Builder store(InMemoryConfig.Builder config);

    @Override
    protected ModelScript modelScript() {
      return model;
    }

    @Override
    protected MemoryClient createClient() {
      InMemoryConfig.Builder config = store(InMemoryConfig.builder().isolated());
      model.settings().forEach(config::set);
      return Memory.builder().config(config.build()).embedder(new HashingEmbedder()).build();
    }

    @AfterAll
    void stopServer() {
      server.close();
    }
  }
}
