package io.inmemory.store.mongo;

import io.inmemory.InMemoryConfig;
import io.inmemory.engine.Memory;

/**
 * The local engine the client contract suites run against here: the mongo store and the real
 * default ONNX embedder, selected by configuration exactly as an application would get them, each
 * engine on a fresh database.
 */
final class MongoEngine {
  private MongoEngine() {}

  static Memory open() {
    return new Memory(InMemoryConfig.builder().isolated()
        .set(InMemoryConfig.STORE.name(), MongoStoreProvider.NAME)
        .set(MongoStoreSettings.URI.name(), MongoFixture.uri())
        .set(MongoStoreSettings.DATABASE.name(), MongoFixture.newDatabase())
        .build());
  }
}
