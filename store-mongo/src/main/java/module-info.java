/**
 * The MongoDB store {@code mongo}:
 * memories, history, projects and API keys in MongoDB collections.
 */
module io.inmemory.store.mongo {
  requires transitive io.inmemory.engine;
  requires org.slf4j;
  // the builder takes a MongoClient and MongoStoreSettings holds a ConnectionString and a
  // WriteConcern: callers of the store's API need these types
  requires transitive org.mongodb.driver.sync.client;
  requires transitive org.mongodb.driver.core;
  requires org.mongodb.bson;

  exports io.inmemory.store.mongo;

  provides io.inmemory.engine.spi.StoreProvider with io.inmemory.store.mongo.MongoStoreProvider;
}
