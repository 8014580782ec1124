package io.inmemory.store.mongo;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.mongodb.client.MongoDatabase;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A schema-3 database as the schema-3 store wrote it: the contents of {@link SchemaV2Fixture},
 * written by the schema-3 code through its public methods, kept in
 * {@code src/test/resources/schema-v3/}. Not a test (its name does not match the surefire
 * patterns). To write the files again, check out the commit that added this class (the last with
 * schema 3) and run {@code mvn -B -q -pl store-mongo -am verify -Dtest=SchemaV3Fixture
 * -Dsurefire.failIfNoSpecifiedTests=false}; with a later schema it is skipped.
 */
class SchemaV3Fixture {
  static final Path DIRECTORY = Path.of("src/test/resources/schema-v3");

  /** Inserts the fixture's documents, unchanged, into {@code database}. */
  static void load(MongoDatabase database) throws IOException {
    SchemaV2Fixture.load(database, DIRECTORY);
  }

  /** Skipped (the files left unchanged) by code of a later schema. */
  @Test
  void write() throws IOException {
    assumeTrue(Schema.VERSION == 3, "the schema-3 fixture is written by the code of schema 3:"
        + " run this at the commit that added it");
    SchemaV2Fixture.writeFiles(DIRECTORY);
  }
}
