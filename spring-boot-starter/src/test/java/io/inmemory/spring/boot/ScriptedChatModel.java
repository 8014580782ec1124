package io.inmemory.spring.boot;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;

/**
 * A Spring AI {@link ChatModel} answering from a script and recording every prompt it is sent:
 * no model runs in these tests. Thread-safe.
 */
final class ScriptedChatModel implements ChatModel {
  private final Deque<String> answers = new ArrayDeque<>();
  private final List<Prompt> prompts = new ArrayList<>();

  /** Queues the answers of the next calls, in order. */
  synchronized void answer(String... texts) {
    answers.addAll(List.of(texts));
  }

  @Override
  public synchronized ChatResponse call(Prompt prompt) {
    prompts.add(prompt);
    if (answers.isEmpty()) {
      throw new IllegalStateException("the script has no answer left for " + prompt);
    }
    return new ChatResponse(List.of(new Generation(new AssistantMessage(answers.poll()))));
  }

  /** The last prompt sent. */
  synchronized Prompt lastPrompt() {
    return prompts.get(prompts.size() - 1);
  }
}
