package io.inmemory.samples.springai;

import io.inmemory.ConfigurationException;
import io.inmemory.InMemoryException;
import io.inmemory.springai.LongTermMemoryAdvisor;
import io.inmemory.springai.MemoryClientChatMemoryRepository;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.advisor.MessageChatMemoryAdvisor;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.memory.MessageWindowChatMemory;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A chat assistant with long-term memory: a Spring Boot application whose {@link ChatClient}
 * talks to any OpenAI-compatible endpoint (OpenAI, Ollama, vLLM, LM Studio…) given by the
 * environment, with the InMemory starter's {@link LongTermMemoryAdvisor} (what the user said in
 * earlier runs is recalled into the prompt) and Spring AI's chat memory window kept by the
 * starter's {@link MemoryClientChatMemoryRepository}. It chats on standard input, one line a
 * message, as the user {@code --assistant.user} (default {@code demo-user}); each run is a new
 * conversation.
 *
 * <p>Without {@code OPENAI_API_KEY} and {@code OPENAI_MODEL} it says what it needs and exits with
 * status 2 before Spring starts.
 */
@SpringBootApplication
public class SpringAiAssistant {
  static final String BASE_URL = "OPENAI_BASE_URL";
  static final String API_KEY = "OPENAI_API_KEY";
  static final String MODEL = "OPENAI_MODEL";
  static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";

  /** The endpoint and model, from the environment. */
  record ModelSettings(String baseUrl, String apiKey, String model) {}

  /** Where the chat reads the user's lines, writes the answers, and reports failed turns. */
  record Terminal(InputStream in, PrintStream out, PrintStream err) {}

  public static void main(String[] args) {
    int status = run(args, System.getenv(), new Terminal(System.in, System.out, System.err));
    if (status != 0) {
      System.exit(status);
    }
  }

  /**
   * Runs the assistant: checks the environment, then starts Spring and chats until the input
   * ends. Returns the exit status: 0; 2 when a variable is missing (Spring never starts) or an
   * {@code inmemory.*} setting is invalid (the problems printed); 1 when Spring fails to start
   * otherwise (its error printed). A
   * turn that fails (the endpoint cannot be reached, refuses the key…) is reported on the
   * terminal's error stream and the conversation goes on.
   */
  static int run(String[] args, Map<String, String> environment, Terminal terminal) {
    List<String> missing = List.of(API_KEY, MODEL).stream()
        .filter(name -> isBlank(environment.get(name))).toList();
    if (!missing.isEmpty()) {
      terminal.err().print(usage(missing));
      return 2;
    }
    ModelSettings settings = new ModelSettings(
        isBlank(environment.get(BASE_URL)) ? DEFAULT_BASE_URL : environment.get(BASE_URL),
        environment.get(API_KEY), environment.get(MODEL));
    SpringApplication application = new SpringApplication(SpringAiAssistant.class);
    application.addInitializers(context -> {
      context.getBeanFactory().registerSingleton("modelSettings", settings);
      context.getBeanFactory().registerSingleton("terminal", terminal);
    });
    try {
      // the chat runs in the command-line runner; closing the context closes the memory client
      application.run(args).close();
      return 0;
    } catch (RuntimeException e) {
      // Spring Boot logs why it could not start at a level the sample's logging never shows
      // InMemory's own message (a setting, a store in use…), not Spring's chain of bean names
      for (Throwable cause = e; cause != null; cause = cause.getCause()) {
        if (cause instanceof InMemoryException memory) {
          terminal.err().println("The assistant could not start: " + memory.getMessage());
          return memory instanceof ConfigurationException ? 2 : 1;
        }
      }
      terminal.err().println("The assistant could not start: " + e.getMessage());
      return 1;
    }
  }

  static final String IN_MEMORY_SETTINGS = "InMemory failed; check its settings: the inmemory.*"
      + " keys or INMEMORY_* variables, such as inmemory.mode and inmemory.base-url";

  static String usage(List<String> missing) {
    return "The assistant needs an OpenAI-compatible chat endpoint; missing: "
        + String.join(", ", missing) + "\n"
        + "  " + API_KEY + "   the API key (any text for a local server such as Ollama)\n"
        + "  " + MODEL + "     the chat model, such as gpt-4o-mini or llama3.1:8b\n"
        + "  " + BASE_URL + "  optional, default " + DEFAULT_BASE_URL + "\n"
        + "Example (Ollama):\n"
        + "  " + BASE_URL + "=http://localhost:11434/v1 " + API_KEY + "=ollama " + MODEL
        + "=llama3.1:8b \\\n"
        + "    java -jar samples-spring-ai/target/inmemory-spring-ai-assistant.jar"
        + " --assistant.user=alice\n";
  }

  /**
   * What a failed turn says: every distinct message of the cause chain, and what to check (the
   * model's variables, or InMemory's settings when memory failed).
   */
  static String failedTurn(Throwable failure, ModelSettings settings) {
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
    String check = inMemory ? IN_MEMORY_SETTINGS : "endpoint " + settings.baseUrl() + ", model "
        + settings.model() + "; check " + BASE_URL + ", " + API_KEY + " and " + MODEL;
    return "The turn failed: " + String.join(": ", messages) + " (" + check + ")";
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }

  /** The chat model of the configured endpoint. */
  @Bean
  OpenAiChatModel chatModel(ModelSettings settings) {
    return OpenAiChatModel.builder().options(OpenAiChatOptions.builder()
        .baseUrl(settings.baseUrl()).apiKey(settings.apiKey()).model(settings.model())
        .build()).build();
  }

  /**
   * The chat client: Spring AI's chat memory window (the conversation so far, kept by InMemory)
   * and InMemory's long-term memory (what the user said in earlier conversations).
   */
  @Bean
  ChatClient chatClient(OpenAiChatModel chatModel, MemoryClientChatMemoryRepository repository,
      LongTermMemoryAdvisor longTermMemory) {
    ChatMemory window = MessageWindowChatMemory.builder().chatMemoryRepository(repository)
        .maxMessages(20).build();
    return ChatClient.builder(chatModel)
        .defaultSystem("You are a helpful assistant. Be brief.")
        .defaultAdvisors(MessageChatMemoryAdvisor.builder(window).build(), longTermMemory)
        .build();
  }

  /** The chat: each line of input is a message of the user, answered on the output. */
  @Bean
  CommandLineRunner chat(ChatClient chatClient, Terminal terminal, ModelSettings settings,
      @Value("${assistant.user:demo-user}") String user) {
    return args -> {
      String conversation = UUID.randomUUID().toString();
      PrintStream out = terminal.out();
      out.printf("Chatting as %s (conversation %s). One message a line; end with Ctrl-D.%n",
          user, conversation);
      BufferedReader lines = new BufferedReader(
          new InputStreamReader(terminal.in(), StandardCharsets.UTF_8));
      try {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          if (line.isBlank()) {
            continue;
          }
          try {
            String answer = chatClient.prompt().user(line)
                .advisors(a -> a.param(LongTermMemoryAdvisor.USER_ID, user)
                    .param(ChatMemory.CONVERSATION_ID, conversation))
                .call().content();
            out.println("assistant> " + answer);
          } catch (RuntimeException e) {
            // the runner's exception would end the run with no word: Spring Boot logs it at a
            // level the sample's warn-only logging never shows
            terminal.err().println(failedTurn(e, settings));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }
}
