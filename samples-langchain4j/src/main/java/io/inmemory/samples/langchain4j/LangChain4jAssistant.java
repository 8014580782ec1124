package io.inmemory.samples.langchain4j;

import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.SystemMessage;
import dev.langchain4j.service.UserMessage;
import io.inmemory.ConfigurationException;
import io.inmemory.InMemoryConfig;
import io.inmemory.InMemoryException;
import io.inmemory.InvalidRequestException;
import io.inmemory.MemoryClient;
import io.inmemory.MemoryClients;
import io.inmemory.Scope;
import io.inmemory.langchain4j.InMemoryChatMemoryStore;
import io.inmemory.langchain4j.InMemoryContentRetriever;
import io.inmemory.langchain4j.InMemoryConversationRecorder;
import io.inmemory.langchain4j.InMemoryTools;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A LangChain4j assistant with long-term memory, over any OpenAI-compatible chat endpoint: each
 * line read from standard input is a user message, each answer is printed. What the user says is
 * remembered across runs (each run is a new conversation of the same user) and recalled into the
 * prompts of later ones; the model may also call the {@code remember}, {@code recall} and
 * {@code forget} tools.
 *
 * <p>Environment: {@code OPENAI_API_KEY} and {@code OPENAI_MODEL} (required),
 * {@code OPENAI_BASE_URL} (optional; OpenAI's by default — Ollama, vLLM, LM Studio and llama.cpp
 * serve the same API). Arguments: the user id (default: {@code ASSISTANT_USER}, else {@code me}),
 * then optionally a conversation id to continue (default: a new one per run). Memory: whatever
 * {@code MemoryClients.create()} selects, by default the embedded engine on the file store in
 * {@code ~/.inmemory}; {@code -Dinmemory.mode=managed} with {@code inmemory.base-url} and
 * {@code INMEM_API_KEY} uses a server instead.
 *
 * <p>Exit status: 0 at the end of input; 2 when a required variable or the user id is missing or
 * invalid, or an {@code inmemory.*} setting is (what is needed is printed to standard error); 1
 * when InMemory cannot open its store (the reason printed). A failed turn is reported on standard
 * error and the conversation goes on.
 */
public final class LangChain4jAssistant {

  /** The assistant's AI service: one chat memory id, {@code user/conversation}, per call. */
  interface Assistant {
    @SystemMessage("You are a helpful assistant with long-term memory of the user. Use what you"
        + " recall about the user when it matters; do not mention memory otherwise.")
    String chat(@MemoryId String chat, @UserMessage String text);
  }

  static final String USAGE = """
      LangChain4jAssistant needs an OpenAI-compatible chat model. Set:
        OPENAI_API_KEY   the endpoint's API key (any text for a local server that needs none)
        OPENAI_MODEL     the model name
        OPENAI_BASE_URL  optional: the endpoint, default https://api.openai.com/v1
      For example:
        OPENAI_API_KEY=sk-... OPENAI_MODEL=gpt-4o-mini java -jar inmemory-langchain4j-assistant.jar alice
        OPENAI_BASE_URL=http://localhost:11434/v1 OPENAI_API_KEY=ollama OPENAI_MODEL=llama3.2 \\
          java -jar inmemory-langchain4j-assistant.jar alice
      Arguments: [user id, default $ASSISTANT_USER or "me"] [conversation id, default a new one]""";

  static final String IN_MEMORY_SETTINGS = "InMemory failed; check its settings: the inmemory.*"
      + " keys or INMEMORY_* variables, such as inmemory.mode and inmemory.base-url";

  private static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";

  private LangChain4jAssistant() {}

  public static void main(String[] args) {
    int status = run(args, System.getenv(), InMemoryConfig.load(), System.in, System.out,
        System.err);
    if (status != 0) {
      System.exit(status);
    }
  }

  /**
   * The whole program, its surroundings given: returns the exit status.
   *
   * @param env the environment variables
   * @param config the InMemory configuration ({@code InMemoryConfig.load()} in {@code main})
   */
  static int run(String[] args, Map<String, String> env, InMemoryConfig config, InputStream in,
      PrintStream out, PrintStream err) {
    List<String> missing = new ArrayList<>();
    for (String variable : List.of("OPENAI_API_KEY", "OPENAI_MODEL")) {
      if (blank(env.get(variable))) {
        missing.add(variable);
      }
    }
    if (!missing.isEmpty()) {
      err.println("Missing environment variable" + (missing.size() > 1 ? "s " : " ")
          + String.join(" and ", missing) + ".");
      err.println(USAGE);
      return 2;
    }
    String user = args.length > 0 ? args[0]
        : blank(env.get("ASSISTANT_USER")) ? "me" : env.get("ASSISTANT_USER");
    String conversation = args.length > 1 ? args[1]
        : "chat-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    try {
      Scope.user(user);
    } catch (InvalidRequestException e) {
      err.println("Invalid user id '" + user + "': " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    String baseUrl = blank(env.get("OPENAI_BASE_URL")) ? DEFAULT_BASE_URL
        : env.get("OPENAI_BASE_URL");
    ChatModel model = OpenAiChatModel.builder()
        .baseUrl(baseUrl)
        .apiKey(env.get("OPENAI_API_KEY"))
        .modelName(env.get("OPENAI_MODEL"))
        .build();
    String endpoint = "endpoint " + baseUrl + ", model " + env.get("OPENAI_MODEL");
    MemoryClient opened;
    try {
      opened = MemoryClients.create(config);
    } catch (InMemoryException e) {
      // a setting InMemory refuses, or a store it cannot open (in use by another process…)
      err.println("InMemory could not start: " + e.getMessage());
      return e instanceof ConfigurationException ? 2 : 1;
    }
    try (MemoryClient memory = opened) {
      Assistant assistant = assistant(model, memory);
      String chat = user + "/" + conversation;
      out.println("Assistant for " + user + ", conversation " + conversation
          + ". Type a message; end of input quits.");
      converse(assistant, chat, endpoint, in, out, err);
    }
    return 0;
  }

  /** The wiring a LangChain4j application adds for long-term memory. */
  static Assistant assistant(ChatModel model, MemoryClient memory) {
    InMemoryChatMemoryStore windows = InMemoryChatMemoryStore.of(memory);
    return AiServices.builder(Assistant.class)
        .chatModel(model)
        .chatMemoryProvider(id -> MessageWindowChatMemory.builder().id(id).maxMessages(20)
            .chatMemoryStore(windows).build())
        .contentRetriever(InMemoryContentRetriever.builder(memory).maxResults(5).build())
        // the window keeps what the user said, not the memories recalled for it
        .storeRetrievedContentInChatMemory(false)
        .registerListeners(InMemoryConversationRecorder.of(memory).listeners())
        .tools(new InMemoryTools(memory))
        .build();
  }

  private static void converse(Assistant assistant, String chat, String endpoint, InputStream in,
      PrintStream out, PrintStream err) {
    BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    try {
      for (String line = prompt(lines, out); line != null; line = prompt(lines, out)) {
        if (line.isBlank()) {
          continue;
        }
        try {
          out.println("assistant> " + assistant.chat(chat, line));
        } catch (RuntimeException e) {
          err.println(failedTurn(e, endpoint));
        }
      }
      // end of input: close the prompt's line
      out.println();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * What a failed turn says: every distinct message of the cause chain (the JDK's connection
   * errors have none of their own), and what to check: the endpoint, model and their variables,
   * or InMemory's settings when memory failed.
   */
  static String failedTurn(Throwable failure, String endpoint) {
    List<String> messages = new ArrayList<>();
    boolean inMemory = false;
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      inMemory |= cause instanceof InMemoryException;
      String text = cause.getMessage() == null ? cause.getClass().getSimpleName()
          : cause.getMessage();
      // a wrapper whose message is only its cause's name adds nothing
      boolean wrapperOnly = cause.getCause() != null
          && text.equals(cause.getCause().toString());
      if (!wrapperOnly && !messages.contains(text)) {
        messages.add(text);
      }
    }
    String check = inMemory ? IN_MEMORY_SETTINGS
        : endpoint + "; check OPENAI_BASE_URL, OPENAI_API_KEY and OPENAI_MODEL";
    return "The turn failed: " + String.join(": ", messages) + " (" + check + ")";
  }

  private static String prompt(BufferedReader lines, PrintStream out) throws IOException {
    out.print("you> ");
    out.flush();
    return lines.readLine();
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }
}
