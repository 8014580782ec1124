package io.inmemory.server;

import io.inmemory.AsyncMemoryClient;
import io.inmemory.InMemoryConfig;
import io.inmemory.MemoryClient;
import io.inmemory.engine.Memory;
import io.inmemory.llm.openai.testing.ScriptedModel;
import io.inmemory.llm.openai.testing.ScriptedOpenAi;
import io.inmemory.transport.http.AsyncInmry;
import io.inmemory.transport.http.Inmry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * One server per {@link Backend} over the real default engine (ONNX embedder), shared by the
 * contract suites of this module: started on first use, stopped (and its data deleted) when the
 * JVM exits. Thread-safe.
 */
final class LiveServer {
  /** The store behind a server; durable ones keep their data in a temporary directory. */
  enum Backend {
    VOLATILE("memory"),
    FILE("file"),
    H2("h2");

    private final String store;

    Backend(String store) {
      this.store = store;
    }

    /** Selects this store; {@code dir} is where a durable one keeps its data. */
    InMemoryConfig.Builder configure(InMemoryConfig.Builder config, Path dir) {
      config.set(InMemoryConfig.STORE.name(), store);
      switch (this) {
        case FILE -> config.set("inmemory.store.file.dir", dir.toString());
        case H2 -> config.set("inmemory.store.h2.url",
            "jdbc:h2:file:" + dir.resolve("inmemory").toAbsolutePath());
        case VOLATILE -> { }
      }
      return config;
    }
  }

  private record Running(InMemoryServer server, String key) {}

  private static final Map<Backend, Running> SERVERS = new EnumMap<>(Backend.class);
  private static final Map<Backend, Running> SERVERS_WITH_MODEL = new EnumMap<>(Backend.class);
  private static @Nullable ScriptedModel model;

  private LiveServer() {}

  /** A new {@link Inmry} of the shared server of {@code backend}, with a key of its project. */
  static MemoryClient client(Backend backend) {
    return builder(backend).build();
  }

  /** A new {@link AsyncInmry} of the shared server of {@code backend}, with a key of its project. */
  static AsyncMemoryClient asyncClient(Backend backend) {
    return builder(backend).buildAsync();
  }

  /**
   * A new {@link Inmry} of the shared server of {@code backend} whose engine extracts with the
   * {@code openai} extractor from {@link #model()}.
   */
  static synchronized MemoryClient clientWithModel(Backend backend) {
    Running running = SERVERS_WITH_MODEL.computeIfAbsent(backend,
        key -> start(key, model().settings()));
    return builder(running).build();
  }

  /** The scripted model behind {@link #clientWithModel}, started on first use. */
  static synchronized ScriptedModel model() {
    if (model == null) {
      ScriptedOpenAi server = ScriptedOpenAi.start();
      Runtime.getRuntime().addShutdownHook(new Thread(server::close));
      model = new ScriptedModel(server);
    }
    return model;
  }

  private static synchronized Inmry.Builder builder(Backend backend) {
    return builder(SERVERS.computeIfAbsent(backend, key -> start(key, Map.of())));
  }

  private static Inmry.Builder builder(Running running) {
    return Inmry.builder().baseUrl("http://127.0.0.1:" + running.server().port())
        .apiKey(running.key()).config(InMemoryConfig.builder().isolated().build());
  }

  private static Running start(Backend backend, Map<String, String> engineSettings) {
    Path dir;
    try {
      dir = Files.createTempDirectory("inmemory-live-" + backend.name().toLowerCase());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    InMemoryConfig.Builder config = backend.configure(InMemoryConfig.builder().isolated(), dir);
    engineSettings.forEach(config::set);
    Memory memory = new Memory(config.build());
    InMemoryServer server = InMemoryServer.builder().config(InMemoryConfig.builder().isolated()
            .set(ServerSettings.RATE_LIMIT_PER_MINUTE.name(), "0").build())
        .memory(memory).port(0).adminKey(TestServer.ADMIN).start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      memory.close();
      delete(dir);
    }));
    return new Running(server, TestServer.newKey(server.port(), "tck"));
  }

  private static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind is harmless
    }
  }
}
