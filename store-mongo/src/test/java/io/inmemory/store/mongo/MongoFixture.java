package io.inmemory.store.mongo;

import com.mongodb.connection.ClusterType;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.net.InetSocketAddress;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the tests' MongoDB is: the server named by {@code INMEMORY_TEST_MONGODB_URI} when it is
 * set, else a MongoDB wire-protocol stand-in (mongo-java-server, in memory) started once per JVM
 * on a loopback port, reached over real TCP by the real driver. Every test gets a fresh database,
 * so tests never see each other's data. Change streams need a replica set: tests of them use the
 * server named by the variable (which must then be one), else a second stand-in with its oplog
 * enabled, which serves basic change streams but calls itself standalone, so stores on it are
 * told it is a replica set.
 */
final class MongoFixture {
  /** Set to run the tests against a real MongoDB. */
  static final String URI_VARIABLE = "INMEMORY_TEST_MONGODB_URI";
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  private static String uri;
  private static String streamsUri;

  private MongoFixture() {}

  /** The connection string of the test server, without a database. */
  static synchronized String uri() {
    if (uri == null) {
      String external = System.getenv(URI_VARIABLE);
      uri = external != null && !external.isBlank() ? external : startStandIn();
    }
    return uri;
  }

  /** The test server's connection string naming {@code database}. */
  static String uri(String database) {
    String base = uri();
    int query = base.indexOf('?');
    String hosts = query < 0 ? base : base.substring(0, query);
    int path = hosts.indexOf('/', hosts.indexOf("://") + 3);
    hosts = path < 0 ? hosts : hosts.substring(0, path);
    return hosts + "/" + database + (query < 0 ? "" : base.substring(query));
  }

  /** A database name no other test uses. */
  static String newDatabase() {
    return "inmemory_test_" + RUN + "_" + DATABASES.incrementAndGet();
  }

  /** A store on a fresh database. */
  static MongoMemoryStore openStore() {
    return openStore(newDatabase());
  }

  static MongoMemoryStore openStore(String database) {
    return MongoMemoryStore.builder().uri(uri()).database(database).open();
  }

  /** Whether the tests run against the stand-ins rather than a real MongoDB. */
  static boolean standIn() {
    String external = System.getenv(URI_VARIABLE);
    return external == null || external.isBlank();
  }

  /** The connection string of a server with change streams (see the class comment). */
  static synchronized String streamsUri() {
    if (!standIn()) {
      return uri();
    }
    if (streamsUri == null) {
      MemoryBackend backend = new MemoryBackend();
      backend.enableOplog();
      streamsUri = start(backend);
    }
    return streamsUri;
  }

  /**
   * A builder of a store on {@code database} of the server with change streams, told it is a
   * replica set if it is the stand-in.
   */
  static MongoMemoryStore.Builder streamsStore(MongoMemoryStore.Builder builder, String database) {
    return (standIn() ? builder.topology(ClusterType.REPLICA_SET) : builder).database(database);
  }

  /** {@link #streamsStore(MongoMemoryStore.Builder, String)} connecting by URI. */
  static MongoMemoryStore.Builder streamsStore(String database) {
    return streamsStore(MongoMemoryStore.builder().uri(streamsUri()), database);
  }

  private static String startStandIn() {
    return start(new MemoryBackend());
  }

  private static String start(MemoryBackend backend) {
    MongoServer server = new MongoServer(backend);
    server.bind("127.0.0.1", 0);
    InetSocketAddress address = server.getLocalAddress();
    Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow));
    return "mongodb://127.0.0.1:" + address.getPort() + "/?serverSelectionTimeoutMS=5000";
  }
}
