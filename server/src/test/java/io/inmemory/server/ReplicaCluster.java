package io.inmemory.server;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.inmemory.InMemoryConfig;
import io.inmemory.ProviderSelection;
import io.inmemory.engine.spi.EmbedderProvider;
import io.inmemory.engine.spi.StoreProvider;
import io.inmemory.server.TestServer.Answer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * N runnable servers ({@link InMemoryServer#main}), each in a JVM of its own ({@link ChildServer})
 * on a loopback port, sharing one store over TCP: a MongoDB stand-in (mongo-java-server, in this
 * JVM on 127.0.0.1:0; a real MongoDB when {@value #MONGODB_URI_VARIABLE} is set, on a fresh
 * database) or an H2 TCP server (in this JVM, an in-memory database). Every replica has the
 * bootstrap admin key {@link TestServer#ADMIN}, dev mode, a small heap, and the given environment
 * on top of the cluster's; the JVMs start and stop in parallel. Not thread-safe.
 *
 * <p>{@link #shared(Store)} is the cluster the cluster tests share (JVM starts are their cost):
 * three replicas, the test embedder, key cache time-to-live 60 s. A test class using it is
 * annotated {@code @ExtendWith(ReplicaCluster.StopShared.class)}, which stops the shared clusters
 * once every test has run. Tests sharing it keep apart by projects and users of their own.
 */
final class ReplicaCluster implements AutoCloseable {
  /** Set to run the cluster on a real MongoDB (replica set) instead of the stand-in. */
  static final String MONGODB_URI_VARIABLE = "INMEMORY_TEST_MONGODB_URI";
  /** The JVM options of every replica: a small heap, quick to start on shared cores. */
  private static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC",
      "-XX:TieredStopAtLevel=1");
  private static final Map<Store, ReplicaCluster> SHARED = new EnumMap<>(Store.class);

  /** Where the replicas keep their data. */
  enum Store {
    MONGO, H2;

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Store store;
  private final Path dir;
  /** The store's configuration keys and values, such as {@code inmemory.store}. */
  private final Map<String, String> storeSettings;
  private final Map<String, String> env;
  private final IntFunction<Map<String, String>> perReplica;
  private final AutoCloseable storeServer;
  private final List<ChildServer> children = new ArrayList<>();
  private final List<Integer> ports = new ArrayList<>();

  private ReplicaCluster(Store store, Path dir, Map<String, String> storeSettings,
      AutoCloseable storeServer, Map<String, String> env,
      IntFunction<Map<String, String>> perReplica) {
    this.store = store;
    this.dir = dir;
    this.storeSettings = storeSettings;
    this.storeServer = storeServer;
    this.env = env;
    this.perReplica = perReplica;
  }

  /**
   * Starts {@code replicas} servers on a fresh store of {@code store}'s kind.
   *
   * @param env the environment of every replica, over the cluster's own
   * @param perReplica the environment of replica {@code i}, over {@code env}
   */
  static ReplicaCluster start(Store store, int replicas, Map<String, String> env,
      IntFunction<Map<String, String>> perReplica) throws Exception {
    Path dir = Files.createTempDirectory("inmemory-cluster-" + store + "-");
    Map<String, String> storeSettings = new LinkedHashMap<>();
    AutoCloseable storeServer;
    String database = "inmemory_cluster_" + UUID.randomUUID().toString().substring(0, 8);
    if (store == Store.MONGO) {
      String external = System.getenv(MONGODB_URI_VARIABLE);
      String uri;
      if (external != null && !external.isBlank()) {
        uri = external;
        storeServer = () -> { };
      } else {
        MongoServer server = new MongoServer(new MemoryBackend());
        server.bind("127.0.0.1", 0);
        uri = "mongodb://127.0.0.1:" + server.getLocalAddress().getPort()
            + "/?serverSelectionTimeoutMS=5000";
        storeServer = server::shutdownNow;
      }
      storeSettings.put("inmemory.store", "mongo");
      storeSettings.put("inmemory.store.mongo.uri", uri);
      storeSettings.put("inmemory.store.mongo.database", database);
    } else {
      org.h2.tools.Server server;
      try {
        server = org.h2.tools.Server.createTcpServer("-tcpPort", "0", "-ifNotExists",
            "-baseDir", dir.resolve("h2").toString()).start();
      } catch (SQLException e) {
        throw new IllegalStateException("the H2 TCP server did not start", e);
      }
      storeSettings.put("inmemory.store", "h2");
      storeSettings.put("inmemory.store.h2.url", "jdbc:h2:tcp://127.0.0.1:" + server.getPort()
          + "/mem:" + database + ";DB_CLOSE_DELAY=-1");
      storeServer = server::stop;
    }
    ReplicaCluster cluster = new ReplicaCluster(store, dir, storeSettings, storeServer, env,
        perReplica);
    try {
      cluster.prepareStore();
      cluster.startReplicas(replicas);
    } catch (Exception | AssertionError e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  /** The cluster of {@code store} the cluster tests share; started on first use. */
  static synchronized ReplicaCluster shared(Store store) throws Exception {
    ReplicaCluster cluster = SHARED.get(store);
    if (cluster == null) {
      cluster = start(store, 3, Map.of(
          // only the revocation poll can bring a revocation to another replica early
          "INMEMORY_KEY_CACHE_TTL_SECONDS", "60"), i -> Map.of());
      SHARED.put(store, cluster);
    }
    return cluster;
  }

  /** Stops the shared clusters once every test has run. */
  static final class StopShared implements BeforeAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
      context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).getOrComputeIfAbsent(
          StopShared.class, key -> (ExtensionContext.Store.CloseableResource) () -> {
            synchronized (ReplicaCluster.class) {
              for (ReplicaCluster cluster : SHARED.values()) {
                cluster.close();
              }
              SHARED.clear();
            }
          });
    }
  }

  /**
   * Creates the schema from this JVM before the replicas start, so they do not race to create
   * a fresh database (which is not what the tests are about).
   */
  private void prepareStore() {
    InMemoryConfig.Builder config = InMemoryConfig.builder().isolated();
    storeSettings.forEach(config::set);
    String name = store.toString();
    StoreProvider provider = ProviderSelection.load(StoreProvider.class).stream()
        .filter(candidate -> candidate.name().equals(name)).findFirst().orElseThrow();
    provider.open(config.build()).close();
  }

  private void startReplicas(int count) throws Exception {
    // the test embedder is registered for the replicas only: in this module's test-jar it would
    // be found by every module that uses the jar
    Path services = dir.resolve("services");
    Path registration = services.resolve("META-INF/services/" + EmbedderProvider.class.getName());
    Files.createDirectories(registration.getParent());
    Files.writeString(registration, HashingEmbedderProvider.class.getName() + "\n");
    List<Callable<ChildServer>> starts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Map<String, String> replicaEnv = new LinkedHashMap<>();
      // a key's environment variable: upper case, dots and dashes as underscores
      storeSettings.forEach((name, value) -> replicaEnv.put(
          name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'), value));
      replicaEnv.put("INMEMORY_ADMIN_KEY", TestServer.ADMIN);
      replicaEnv.put("INMEMORY_PORT", "0");
      replicaEnv.put("INMEMORY_ENABLE_DOCS", "false");
      replicaEnv.put("INMEMORY_EMBEDDER", HashingEmbedderProvider.NAME);
      replicaEnv.putAll(env);
      replicaEnv.putAll(perReplica.apply(i));
      Path home = Files.createDirectories(dir.resolve("replica-" + i));
      starts.add(() -> new ChildServer(home, JVM_OPTIONS, List.of(services), replicaEnv));
    }
    children.addAll(inParallel(starts));
    List<Callable<Integer>> ports = new ArrayList<>();
    for (ChildServer child : children) {
      ports.add(child::awaitPort);
    }
    this.ports.addAll(inParallel(ports));
  }

  /** The replicas' count. */
  int size() {
    return children.size();
  }

  /** Replica {@code i}'s port on 127.0.0.1. */
  int port(int i) {
    return ports.get(i);
  }

  /** Replica {@code i}'s JVM (its output, for instance). */
  ChildServer replica(int i) {
    return children.get(i);
  }

  /** The store's kind. */
  Store store() {
    return store;
  }

  /** A request to replica {@code i}. */
  Answer send(int i, String method, String path, String key, Object body,
      Map<String, String> headers) {
    return TestServer.send(port(i), method, path, key, body, headers);
  }

  /** An API key: its secret, id and project. */
  record Key(String secret, String id, String project) {}

  /**
   * A new key (read, write and keys scopes) in a project of its own, created through replica 0
   * with the admin key.
   */
  Key newProjectKey() {
    String project = "proj-" + UUID.randomUUID().toString().substring(0, 12);
    Answer answer = send(0, "POST", "/v1/auth/generate-key", TestServer.ADMIN,
        Map.of("project_id", project, "scopes", List.of("read", "write", "keys")), Map.of());
    if (answer.status() != 201) {
      throw new AssertionError("generate-key failed: " + answer.response().body());
    }
    return new Key(answer.json().get("key").asText(), answer.json().get("key_id").asText(),
        project);
  }

  /**
   * Stops every replica gracefully (as SIGTERM does: requests finish, usage counts are written),
   * then starts them again on the same store; ports change.
   */
  void restart() throws Exception {
    int count = children.size();
    stopReplicas();
    startReplicas(count);
  }

  private void stopReplicas() throws Exception {
    List<Callable<Void>> stops = new ArrayList<>();
    for (ChildServer child : children) {
      stops.add(() -> {
        child.close();
        return null;
      });
    }
    inParallel(stops);
    children.clear();
    ports.clear();
  }

  /**
   * Stops the replicas, then the store's server (a real MongoDB's database stays), and deletes the
   * replicas' directories.
   */
  @Override
  public void close() throws Exception {
    try {
      stopReplicas();
    } finally {
      try {
        storeServer.close();
      } finally {
        try (Stream<Path> files = Files.walk(dir)) {
          for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(file);
          }
        }
      }
    }
  }

  private static <T> List<T> inParallel(List<Callable<T>> tasks) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, tasks.size()));
    try {
      List<T> results = new ArrayList<>();
      for (Future<T> future : pool.invokeAll(tasks)) {
        try {
          results.add(future.get());
        } catch (ExecutionException e) {
          if (e.getCause() instanceof Exception cause) {
            throw cause;
          }
          if (e.getCause() instanceof Error error) {
            throw error;
          }
          throw e;
        }
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  @Override
  public String toString() {
    return store + " cluster of " + children.size() + " on ports " + ports;
  }

  static {
    // a dangling cluster (a test run cut short) still stops its JVMs
    Runtime.getRuntime().addShutdownHook(new Thread(() -> SHARED.values().forEach(cluster ->
        cluster.children.forEach(ChildServer::kill)), "replica-cluster-stop"));
  }
}
