package io.inmemory.langchain4j;

import dev.langchain4j.invocation.InvocationParameters;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.Result;
import dev.langchain4j.service.TokenStream;
import dev.langchain4j.service.UserMessage;

/** The AI service interfaces the tests give {@code AiServices}. */
final class Assistants {

  private Assistants() {}

  /** A chat memory id per call, {@code "user/conversation"}. */
  interface Chat {
    String chat(@MemoryId String chat, @UserMessage String text);
  }

  /** No memory id: AiServices' shared {@code "default"}. */
  interface Shared {
    String chat(String text);
  }

  /** The user named by invocation parameters, no memory id. */
  interface WithParameters {
    String chat(@UserMessage String text, InvocationParameters parameters);
  }

  /** LangChain4j's {@code Result} as the return type. */
  interface ResultChat {
    Result<String> chat(@MemoryId String chat, @UserMessage String text);
  }

  /** A streamed answer. */
  interface Streaming {
    TokenStream chat(@MemoryId String chat, @UserMessage String text);
  }
}
