/**
 * InMemory inside LangChain4j: chat windows kept by any InMemory runtime, a user's memories recalled
 * into prompts, conversations recorded into long-term memory after each turn, memory tools for
 * agents, and LangChain4j metadata filters translated into InMemory's filter language.
 */
// LangChain4j 1.19 ships no descriptor: its jars are automatic modules, and the ChatMemoryStore,
// ContentRetriever, Filter and listener types we implement or take are part of our API, hence
// transitive.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.inmemory.langchain4j {
  requires transitive io.inmemory;
  requires transitive langchain4j.core;
  requires org.slf4j;

  exports io.inmemory.langchain4j;
}
