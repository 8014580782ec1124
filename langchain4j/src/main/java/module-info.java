/**
 * InMemory inside LangChain4j: chat windows kept by any InMemory runtime, a user's memories recalled
 * into prompts, and LangChain4j metadata filters translated into InMemory's filter language.
 */
// LangChain4j 1.19 ships no descriptor: its jars are automatic modules, and the ChatMemoryStore and
// ContentRetriever and Filter types we implement or take are part of our API, hence transitive.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.inmemory.langchain4j {
  requires transitive io.inmemory;
  requires transitive langchain4j.core;

  exports io.inmemory.langchain4j;
}
