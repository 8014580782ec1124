package io.inmemory.springai.testing;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import reactor.core.publisher.Flux;

/**
 * A Spring AI {@link ChatModel} that answers from a script and records every prompt it is sent:
 * no model runs in the tests of this module and of the starter (this module's test-jar). An
 * answer may call tools, which Spring AI's tool loop runs. Thread-safe.
 */
public final class ScriptedChatModel implements ChatModel {
  private final Deque<AssistantMessage> answers = new ArrayDeque<>();
  private final List<Prompt> prompts = new ArrayList<>();

  /** Queues the answers of the next calls, in order. */
  public synchronized ScriptedChatModel answer(String... texts) {
    for (String text : texts) {
      answers.add(new AssistantMessage(text));
    }
    return this;
  }

  /** Queues answers of the next calls, in order: tool calls among them. */
  public synchronized ScriptedChatModel answer(AssistantMessage... messages) {
    answers.addAll(List.of(messages));
    return this;
  }

  /** Tool-calling options, as a real model's: Spring AI's tool loop runs only with them. */
  @Override
  public ChatOptions getOptions() {
    return ToolCallingChatOptions.builder().build();
  }

  @Override
  public synchronized ChatResponse call(Prompt prompt) {
    prompts.add(prompt);
    if (answers.isEmpty()) {
      throw new IllegalStateException("the script has no answer left for " + prompt);
    }
    return new ChatResponse(List.of(new Generation(answers.poll())));
  }

  /**
   * The next answer in two chunks (split at its middle), the finish reason on the last, as a
   * streaming model sends them.
   */
  @Override
  public Flux<ChatResponse> stream(Prompt prompt) {
    String text = call(prompt).getResult().getOutput().getText();
    int middle = text.length() / 2;
    return Flux.just(
        new ChatResponse(List.of(new Generation(new AssistantMessage(text.substring(0, middle))))),
        new ChatResponse(List.of(new Generation(new AssistantMessage(text.substring(middle)),
            ChatGenerationMetadata.builder().finishReason("STOP").build()))));
  }

  /** The prompts sent so far, in order. */
  public synchronized List<Prompt> prompts() {
    return List.copyOf(prompts);
  }

  /** The last prompt sent. */
  public synchronized Prompt lastPrompt() {
    return prompts.get(prompts.size() - 1);
  }
}
