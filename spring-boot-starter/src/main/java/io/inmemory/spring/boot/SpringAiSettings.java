package io.inmemory.spring.boot;

import io.inmemory.ConfigKey;
import io.inmemory.InvalidRequestException;
import io.inmemory.MemoryFilter;
import io.inmemory.Scope;
import io.inmemory.springai.LongTermMemoryAdvisor;
import io.inmemory.springai.MemoryClientChatMemoryRepository;
import io.inmemory.springai.SpringAiFilters;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The keys of the starter's Spring AI beans, under {@code inmemory.spring-ai.}: whether the
 * {@link MemoryClientChatMemoryRepository} and the {@link LongTermMemoryAdvisor} are registered,
 * and how the advisor is built. They are read like every other key (the Spring
 * {@code Environment} first, then InMemory's own sources); an invalid value fails startup with a
 * {@link io.inmemory.ConfigurationException} naming the key. Constants only; thread-safe.
 */
public final class SpringAiSettings {
  private static final String PREFIX = "inmemory.spring-ai.";

  /** Whether the chat memory repository bean is registered. */
  public static final ConfigKey<Boolean> CHAT_MEMORY_ENABLED = ConfigKey.bool(
      PREFIX + "chat-memory.enabled", true, "Whether the starter registers InMemory's Spring AI"
          + " ChatMemoryRepository (chat transcripts kept by InMemory). false: Spring AI's own"
          + " repository, if its auto-configuration is present.");

  /** The agent whose own memories hold the chat transcripts. */
  public static final ConfigKey<String> CHAT_MEMORY_AGENT_ID = ConfigKey.of(
      PREFIX + "chat-memory.agent-id", MemoryClientChatMemoryRepository.DEFAULT_AGENT_ID,
      SpringAiSettings::agentId, "The agent whose own memories hold the chat transcripts of the"
          + " ChatMemoryRepository (one session per conversation id).");

  /** Whether the long-term memory advisor bean is registered. */
  public static final ConfigKey<Boolean> ADVISOR_ENABLED = ConfigKey.bool(
      PREFIX + "advisor.enabled", true, "Whether the starter registers the LongTermMemoryAdvisor"
          + " bean (recall before the call, conversation ingestion after it).");

  /** The user of calls whose advisor context names none. */
  public static final ConfigKey<String> ADVISOR_USER_ID = ConfigKey.of(
      PREFIX + "advisor.user-id", null, SpringAiSettings::userId, "The user of chat calls whose"
          + " advisor context names none (LongTermMemoryAdvisor.USER_ID). Unset: every call must"
          + " name its user.");

  /** The agent of calls whose advisor context names none. */
  public static final ConfigKey<String> ADVISOR_AGENT_ID = ConfigKey.of(
      PREFIX + "advisor.agent-id", null, SpringAiSettings::agentId, "The agent of chat calls"
          + " whose advisor context names none (LongTermMemoryAdvisor.AGENT_ID).");

  /** How many memories the advisor recalls. */
  public static final ConfigKey<Integer> ADVISOR_LIMIT = ConfigKey.integer(
      PREFIX + "advisor.limit", 5, 1, io.inmemory.SearchRequest.MAX_LIMIT,
      "How many memories the advisor recalls into the prompt.");

  /** The least score a recalled memory has. */
  public static final ConfigKey<Double> ADVISOR_THRESHOLD = ConfigKey.decimal(
      PREFIX + "advisor.threshold", null, -1, 1, "The least score (-1 to 1) a memory needs to be"
          + " recalled. Unset: the best ones, whatever their score.");

  /** A filter every recall applies, in Spring AI's filter expression language. */
  public static final ConfigKey<MemoryFilter> ADVISOR_FILTER = ConfigKey.of(
      PREFIX + "advisor.filter", null, SpringAiSettings::parseFilter, "A filter every recall"
          + " applies, in Spring AI's filter expression language, such as"
          + " \"tags in ['work'] && topic != 'health'\" (a call's own filter is added to it).");

  /** Whether recall spans the user's memories of every agent. */
  public static final ConfigKey<Boolean> ADVISOR_RECALL_ACROSS_AGENTS = ConfigKey.bool(
      PREFIX + "advisor.recall-across-agents", true, "Whether recall spans the user's memories"
          + " of every agent (true) or only those of the call's agent.");

  /** Whether the exchange is handed to conversation ingestion. */
  public static final ConfigKey<LongTermMemoryAdvisor.Ingestion> ADVISOR_INGESTION =
      ConfigKey.enumeration(PREFIX + "advisor.ingestion", LongTermMemoryAdvisor.Ingestion.class,
          LongTermMemoryAdvisor.Ingestion.SYNC, "Whether and when the advisor hands each"
              + " exchange to conversation ingestion: sync (in the call, after the answer), async"
              + " (on the applicationTaskExecutor bean, the answer returned at once) or off"
              + " (recall only).");

  /** Whether ingestion extracts facts with the configured extractor. */
  public static final ConfigKey<Boolean> ADVISOR_INFER = ConfigKey.bool(
      PREFIX + "advisor.infer", null, "Whether ingestion turns the exchange into facts with the"
          + " configured extractor (inmemory.extractor). Unset: when an extractor is configured;"
          + " otherwise the messages are stored as they are.");

  /** Whether an InMemory failure lets the chat proceed without memory. */
  public static final ConfigKey<Boolean> ADVISOR_FAIL_OPEN = ConfigKey.bool(
      PREFIX + "advisor.fail-open", false, "Whether an InMemory failure during recall or"
          + " ingestion is logged and the chat proceeds without memory (true) or fails the call"
          + " (false).");

  /** The advisor's order in the chain. */
  public static final ConfigKey<Integer> ADVISOR_ORDER = ConfigKey.integer(
      PREFIX + "advisor.order", LongTermMemoryAdvisor.DEFAULT_CHAT_MEMORY_PRECEDENCE_ORDER,
      Integer.MIN_VALUE, Integer.MAX_VALUE, "The advisor's order in a ChatClient's advisor chain;"
          + " the default wraps the tool-calling loop, so memory is recalled once per user call.");

  private SpringAiSettings() {}

  /** Every key of this class. */
  public static List<ConfigKey<?>> keys() {
    return List.of(CHAT_MEMORY_ENABLED, CHAT_MEMORY_AGENT_ID, ADVISOR_ENABLED, ADVISOR_USER_ID,
        ADVISOR_AGENT_ID, ADVISOR_LIMIT, ADVISOR_THRESHOLD, ADVISOR_FILTER,
        ADVISOR_RECALL_ACROSS_AGENTS, ADVISOR_INGESTION, ADVISOR_INFER, ADVISOR_FAIL_OPEN,
        ADVISOR_ORDER);
  }

  /** Parsed at startup, so that a filter the advisor cannot apply stops the application. */
  private static MemoryFilter parseFilter(String text) {
    return checked(() -> SpringAiFilters.parse(text));
  }

  /** Checked at startup, so that an id every call would refuse stops the application. */
  private static String userId(String text) {
    return checked(() -> Scope.user(text).userId());
  }

  private static String agentId(String text) {
    return checked(() -> Scope.agent(text).agentId());
  }

  /** The value, or the request's violations as the problem of the key being parsed. */
  private static <T> T checked(Supplier<T> parse) {
    try {
      return parse.get();
    } catch (InvalidRequestException e) {
      throw new IllegalArgumentException(e.violations().stream()
          .map(InvalidRequestException.Violation::problem)
          .collect(Collectors.joining("; ")), e);
    }
  }
}
