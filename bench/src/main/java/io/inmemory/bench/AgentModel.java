package io.inmemory.bench;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import java.util.List;
import java.util.Objects;

/**
 * The chat model under the {@code agent} benchmark's {@code AiServices} assistants: a LangChain4j
 * {@link ChatModel} that answers at once, without running a model, so that a turn's time is
 * LangChain4j's and InMemory's alone. It answers {@link #FIXED}, or once the text given to
 * {@link #answerNext} (the other speaker's reply, when a conversation is replayed), and keeps the
 * last user message it was sent — the prompt after retrieval augmentation. Not thread-safe: one
 * assistant calls it from one thread.
 */
final class AgentModel implements ChatModel {
  /** The answer when none was scripted: short, so that it costs nothing to produce. */
  static final String FIXED = "Noted.";

  private String next;
  private String lastUserText;

  /** The answer to the next request only: {@code text}, which may be empty (nothing said). */
  void answerNext(String text) {
    next = Objects.requireNonNull(text, "text");
  }

  /**
   * The text of the user message of the last request, as retrieval augmentation left it.
   *
   * @throws IllegalStateException before the first request, or when it had no user message
   */
  String lastUserText() {
    if (lastUserText == null) {
      throw new IllegalStateException("the model has seen no user message");
    }
    return lastUserText;
  }

  @Override
  public ChatResponse doChat(ChatRequest request) {
    lastUserText = lastUserText(request.messages());
    String answer = next == null ? FIXED : next;
    next = null;
    return ChatResponse.builder().aiMessage(AiMessage.from(answer))
        .finishReason(FinishReason.STOP).build();
  }

  private static String lastUserText(List<ChatMessage> messages) {
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (messages.get(i) instanceof UserMessage user) {
        return user.singleText();
      }
    }
    return null;
  }
}
