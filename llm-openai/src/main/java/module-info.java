/**
 * Extraction of facts from conversations with a language model ({@code inmemory.extractor=openai})
 * and remote embeddings ({@code inmemory.embedder=openai}) over any OpenAI-compatible HTTP
 * endpoint. Neither is ever used unless configured by name: adding this module opens no
 * connection.
 */
module io.inmemory.llm.openai {
  requires transitive io.inmemory.engine;
  requires java.net.http;
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;

  exports io.inmemory.llm.openai;

  provides io.inmemory.engine.spi.ExtractorProvider
      with io.inmemory.llm.openai.OpenAiExtractorProvider;
  provides io.inmemory.engine.spi.EmbedderProvider
      with io.inmemory.llm.openai.OpenAiEmbedderProvider;
}
