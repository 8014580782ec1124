package io.inmemory.spring.boot;

import io.inmemory.ConfigurationException;
import io.inmemory.InMemoryConfig;
import io.inmemory.Limits;
import io.inmemory.MemoryClient;
import io.inmemory.springai.LongTermMemoryAdvisor;
import io.inmemory.springai.MemoryClientChatMemoryRepository;
import java.util.concurrent.Executor;
import org.springframework.ai.chat.memory.ChatMemoryRepository;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * Registers InMemory's Spring AI beans over the application's {@link MemoryClient}: a
 * {@link ChatMemoryRepository} ({@link MemoryClientChatMemoryRepository}; ordered before Spring
 * AI's chat memory auto-configuration, so its volatile repository backs off and its
 * {@code MessageWindowChatMemory} keeps the window in InMemory) and a
 * {@link LongTermMemoryAdvisor} built from the {@link SpringAiSettings} keys. The advisor is not
 * attached to any {@code ChatClient} by itself: the application adds it with
 * {@code ChatClient.builder(model).defaultAdvisors(advisor)}, Spring AI's own idiom.
 *
 * <p>Each bean backs off when the application defines one of its type, or when its
 * {@code enabled} key is false. Nothing is registered without Spring AI's chat client classes, nor
 * when the context holds several {@code MemoryClient}s none of which is {@code @Primary}.
 */
@AutoConfiguration(after = InMemoryAutoConfiguration.class,
    beforeName = "org.springframework.ai.model.chat.memory.autoconfigure.ChatMemoryAutoConfiguration")
@ConditionalOnClass({ChatMemoryRepository.class, LongTermMemoryAdvisor.class})
@ConditionalOnSingleCandidate(MemoryClient.class)
public class InMemorySpringAiAutoConfiguration {
  /** The executor of asynchronous ingestion: Spring Boot's application task executor. */
  static final String TASK_EXECUTOR = "applicationTaskExecutor";

  /** Instantiated by Spring. */
  public InMemorySpringAiAutoConfiguration() {}

  /** Chat transcripts kept by InMemory, in the configured agent's own memories. */
  @Bean
  @ConditionalOnMissingBean(ChatMemoryRepository.class)
  @Conditional(SettingCondition.ChatMemoryEnabled.class)
  public MemoryClientChatMemoryRepository inMemoryChatMemoryRepository(MemoryClient memoryClient,
      InMemoryConfig inMemoryConfig) {
    // every starter key's problem at once, whichever bean is made first
    inMemoryConfig.validate(SpringAiSettings.keys());
    return MemoryClientChatMemoryRepository.builder(memoryClient)
        .agentId(inMemoryConfig.get(SpringAiSettings.CHAT_MEMORY_AGENT_ID)).build();
  }

  /** The long-term memory advisor, configured by {@code inmemory.spring-ai.advisor.*}. */
  @Bean
  @ConditionalOnMissingBean
  @Conditional(SettingCondition.AdvisorEnabled.class)
  public LongTermMemoryAdvisor longTermMemoryAdvisor(MemoryClient memoryClient,
      InMemoryConfig inMemoryConfig,
      @Qualifier(TASK_EXECUTOR) ObjectProvider<Executor> taskExecutor,
      ConfigurableApplicationContext context) {
    inMemoryConfig.validate(SpringAiSettings.keys());
    LongTermMemoryAdvisor.Ingestion ingestion =
        inMemoryConfig.get(SpringAiSettings.ADVISOR_INGESTION);
    IngestionDrain drain = null;
    if (ingestion == LongTermMemoryAdvisor.Ingestion.ASYNC) {
      drain = new IngestionDrain(taskExecutor.getIfAvailable(() -> {
        throw new ConfigurationException(SpringAiSettings.ADVISOR_INGESTION.name()
            + "=async needs an Executor bean named " + TASK_EXECUTOR + " (Spring Boot's"
            + " task execution auto-configuration defines it), which runs the ingestion");
      }), context);
      // the exchanges handed over are ingested before the context closes the client
      context.addApplicationListener(drain);
    }
    return LongTermMemoryAdvisor.builder(memoryClient)
        .executor(drain)
        .userId(inMemoryConfig.find(SpringAiSettings.ADVISOR_USER_ID).orElse(null))
        .agentId(inMemoryConfig.find(SpringAiSettings.ADVISOR_AGENT_ID).orElse(null))
        .limit(inMemoryConfig.get(SpringAiSettings.ADVISOR_LIMIT))
        .threshold(inMemoryConfig.find(SpringAiSettings.ADVISOR_THRESHOLD).orElse(null))
        .filter(inMemoryConfig.find(SpringAiSettings.ADVISOR_FILTER).orElse(null))
        .recallAcrossAgents(inMemoryConfig.get(SpringAiSettings.ADVISOR_RECALL_ACROSS_AGENTS))
        .ingestion(ingestion)
        .infer(inMemoryConfig.find(SpringAiSettings.ADVISOR_INFER).orElse(null))
        .failOpen(inMemoryConfig.get(SpringAiSettings.ADVISOR_FAIL_OPEN))
        .order(inMemoryConfig.get(SpringAiSettings.ADVISOR_ORDER))
        // recall by the prefix of a long message the runtime accepts, not a refused search
        .maxQueryLength(inMemoryConfig.get(Limits.MAX_QUERY_LENGTH))
        .build();
  }
}
