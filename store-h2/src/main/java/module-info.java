/**
 * The H2 store {@code h2}:
 * memories, history, projects and API keys in an H2 database over JDBC.
 */
module io.inmemory.store.h2 {
  requires transitive io.inmemory.engine;
  requires org.slf4j;
  requires java.sql;
  requires com.h2database;
  requires com.fasterxml.jackson.databind;

  exports io.inmemory.store.h2;

  provides io.inmemory.engine.spi.StoreProvider with io.inmemory.store.h2.H2StoreProvider;
}
