/**
 * The REST API's JSON vocabulary, shared by the InMemory server and the managed client;
 * applications do not use it directly.
 */
module io.inmemory.wire {
  requires transitive io.inmemory;
  // JsonNode and ObjectNode appear in the codecs' signatures.
  requires transitive com.fasterxml.jackson.databind;

  exports io.inmemory.wire;
}
