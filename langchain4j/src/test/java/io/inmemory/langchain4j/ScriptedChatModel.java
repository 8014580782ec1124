package io.inmemory.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.FinishReason;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;

/**
 * A LangChain4j {@link ChatModel} (no model runs here): it answers each request with the next step
 * of its script and records every request it saw, so that tests read the prompts AiServices built.
 * {@link #streaming()} serves the same script as a {@link StreamingChatModel}. Thread-safe.
 */
final class ScriptedChatModel implements ChatModel {

  private final Deque<Function<ChatRequest, AiMessage>> script = new ArrayDeque<>();
  private final List<ChatRequest> requests = new ArrayList<>();

  /** Next, answer {@code text}. */
  synchronized ScriptedChatModel answer(String text) {
    script.add(request -> AiMessage.from(text));
    return this;
  }

  /** Next, answer what {@code answer} makes of the request. */
  synchronized ScriptedChatModel answer(Function<ChatRequest, String> answer) {
    script.add(request -> AiMessage.from(answer.apply(request)));
    return this;
  }

  /** Next, ask for the tool {@code name} with JSON {@code arguments}. */
  synchronized ScriptedChatModel callTool(String name, String arguments) {
    script.add(request -> AiMessage.from(ToolExecutionRequest.builder()
        .id("call-" + requests.size()).name(name).arguments(arguments).build()));
    return this;
  }

  /** Next, fail as a model call can. */
  synchronized ScriptedChatModel fail(RuntimeException error) {
    script.add(request -> {
      throw error;
    });
    return this;
  }

  @Override
  public ChatResponse doChat(ChatRequest request) {
    Function<ChatRequest, AiMessage> step;
    synchronized (this) {
      requests.add(request);
      step = script.poll();
    }
    if (step == null) {
      throw new IllegalStateException("the script has no answer left for " + request.messages());
    }
    AiMessage message = step.apply(request);
    return ChatResponse.builder().aiMessage(message)
        .finishReason(message.hasToolExecutionRequests() ? FinishReason.TOOL_EXECUTION
            : FinishReason.STOP)
        .build();
  }

  /** Every request so far, oldest first. */
  synchronized List<ChatRequest> requests() {
    return List.copyOf(requests);
  }

  /** The last request's messages. */
  synchronized List<ChatMessage> lastPrompt() {
    return requests.get(requests.size() - 1).messages();
  }

  /** The text of the last request's last user message (the prompt RAG augmented). */
  synchronized String lastUserText() {
    List<ChatMessage> messages = lastPrompt();
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (messages.get(i) instanceof UserMessage user) {
        return user.singleText();
      }
    }
    throw new IllegalStateException("no user message in " + messages);
  }

  /** The texts of the tool results in the last request. */
  synchronized List<String> lastToolResults() {
    return lastPrompt().stream().filter(ToolExecutionResultMessage.class::isInstance)
        .map(m -> ((ToolExecutionResultMessage) m).text()).toList();
  }

  /** The same script, streamed: each answer as one partial response, then complete. */
  StreamingChatModel streaming() {
    return new StreamingChatModel() {
      @Override
      public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
        ChatResponse response;
        try {
          response = ScriptedChatModel.this.doChat(request);
        } catch (RuntimeException e) {
          handler.onError(e);
          return;
        }
        if (response.aiMessage().text() != null) {
          handler.onPartialResponse(response.aiMessage().text());
        }
        handler.onCompleteResponse(response);
      }
    };
  }
}
