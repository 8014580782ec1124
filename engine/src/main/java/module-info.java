/**
 * The embedded engine {@link io.inmemory.engine.Memory} and the SPIs a store or an embedder
 * implements (stores also keep the tenant model of the server: projects and API keys). The index,
 * lexical, retrieval, temporal and embedding packages are the engine's internals: not exported.
 */
module io.inmemory.engine {
  requires transitive io.inmemory;
  requires org.slf4j;
  requires com.github.benmanes.caffeine;
  // hnswlib-core has neither a descriptor nor an Automatic-Module-Name: its name comes from the
  // jar's file name. 1.2.1 is its last release (pinned in the root pom).
  requires hnswlib.core;
  requires org.apache.opennlp.tools;
  // SimdDotProduct only, loaded by name when the JVM runs with --add-modules jdk.incubator.vector
  requires static jdk.incubator.vector;

  exports io.inmemory.engine;
  exports io.inmemory.engine.spi;
  exports io.inmemory.engine.tenant;

  uses io.inmemory.engine.spi.StoreProvider;
  uses io.inmemory.engine.spi.EmbedderProvider;

  provides io.inmemory.MemoryClientProvider with io.inmemory.engine.LocalMemoryClientProvider;
  provides io.inmemory.engine.spi.StoreProvider with io.inmemory.engine.VolatileStoreProvider;
}
