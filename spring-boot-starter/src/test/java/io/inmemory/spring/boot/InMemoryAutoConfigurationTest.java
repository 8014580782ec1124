package io.inmemory.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.ConfigurationException;
import io.inmemory.InMemoryConfig;
import io.inmemory.ListRequest;
import io.inmemory.MemoryClient;
import io.inmemory.MemoryClientProvider;
import io.inmemory.MemoryClients;
import io.inmemory.MemoryRecord;
import io.inmemory.Scope;
import io.inmemory.engine.Memory;
import io.inmemory.springai.LongTermMemoryAdvisor;
import io.inmemory.springai.MemoryClientChatMemoryRepository;
import io.inmemory.springai.testing.SharedServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.memory.ChatMemoryRepository;
import org.springframework.ai.chat.memory.InMemoryChatMemoryRepository;
import org.springframework.ai.chat.memory.MessageWindowChatMemory;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.model.chat.memory.autoconfigure.ChatMemoryAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * The starter's auto-configuration in real Spring application contexts: the local runtime on a
 * file store, the managed runtime against a loopback server, the user's beans winning, beans
 * absent without their classes, the health indicator, and configuration errors failing startup.
 */
class InMemoryAutoConfigurationTest {
  private final SharedServer shared = SharedServer.get();
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(InMemoryAutoConfiguration.class,
          InMemorySpringAiAutoConfiguration.class, InMemoryHealthAutoConfiguration.class,
          ChatMemoryAutoConfiguration.class));

  /** The managed runtime against the loopback server, as a user configures it. */
  private ApplicationContextRunner managed() {
    return ManagedRunner.managed(runner);
  }

  @Test
  void theLocalRuntimeKeepsMemoriesInTheConfiguredFileStoreAndIsClosedWithTheContext(
      @TempDir Path dir) {
    ApplicationContextRunner local = runner.withPropertyValues("inmemory.mode=local",
        "inmemory.store=file", "inmemory.store.file.dir=" + dir);
    local.run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(MemoryClient.class);
      context.getBean(MemoryClient.class).add("I keep bees on the roof", "alice");
    });
    // a second context opens the same store: the first closed its client (and the store's lock)
    local.run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBean(MemoryClient.class).getAll("alice", 10, 0).items())
          .extracting(MemoryRecord::content).containsExactly("I keep bees on the roof");
    });
  }

  @Test
  void aSecondApplicationOnTheSameFileStoreFailsStartupRatherThanSharingIt(@TempDir Path dir) {
    ApplicationContextRunner local = runner.withPropertyValues("inmemory.mode=local",
        "inmemory.store=file", "inmemory.store.file.dir=" + dir);
    local.run(first -> {
      assertThat(first).hasNotFailed();
      local.run(second -> {
        assertThat(second).hasFailed();
        assertThat(second.getStartupFailure()).rootCause().hasMessageContaining(dir.toString());
      });
      // the first one is unharmed
      first.getBean(MemoryClient.class).add("still writable", "alice");
    });
  }

  @Test
  void theManagedRuntimeTalksToTheServerWithTheKeyFromAPlaceholder() {
    runner.withPropertyValues("inmemory.mode=managed",
            "inmemory.base-url=" + shared.baseUrl(),
            "inmemory.api-key=${test.inmemory.key}", "test.inmemory.key=" + shared.apiKey())
        .run(context -> {
          assertThat(context).hasNotFailed();
          context.getBean(MemoryClient.class).add("Managed from Spring", "starter-managed");
          assertThat(shared.memories().getAll("starter-managed", 10, 0).items())
              .extracting(MemoryRecord::content).containsExactly("Managed from Spring");
        });
  }

  @Test
  void theSpringAiBeansAreRegisteredOverTheClientAndSpringAisVolatileRepositoryBacksOff() {
    managed().run(context -> {
      assertThat(context).hasNotFailed()
          .hasSingleBean(LongTermMemoryAdvisor.class)
          .hasSingleBean(ChatMemoryRepository.class)
          .getBean(ChatMemoryRepository.class).isInstanceOf(MemoryClientChatMemoryRepository.class);
      ChatMemory chatMemory = context.getBean(ChatMemory.class);
      assertThat(chatMemory).isInstanceOf(MessageWindowChatMemory.class);
      chatMemory.add("starter-conversation", new UserMessage("kept by InMemory"));
      assertThat(context.getBean(MemoryClientChatMemoryRepository.class)
          .findByConversationId("starter-conversation"))
          .extracting(message -> message.getText()).containsExactly("kept by InMemory");
    });
  }

  @Test
  void theStarterKeysConfigureTheRepositoryAndTheAdvisor() {
    managed().withPropertyValues("inmemory.spring-ai.chat-memory.agent-id=transcripts",
            "inmemory.spring-ai.advisor.order=42")
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(MemoryClientChatMemoryRepository.class).agentId())
              .isEqualTo("transcripts");
          assertThat(context.getBean(LongTermMemoryAdvisor.class).getOrder()).isEqualTo(42);
        });
  }

  @Test
  void disabledChatMemoryLeavesSpringAisOwnRepositoryAndDisabledAdvisorRegistersNone() {
    managed().withPropertyValues("inmemory.spring-ai.chat-memory.enabled=no",
            "inmemory.spring-ai.advisor.enabled=off")
        .run(context -> {
          assertThat(context).hasNotFailed()
              .hasSingleBean(MemoryClient.class)
              .doesNotHaveBean(LongTermMemoryAdvisor.class)
              .getBean(ChatMemoryRepository.class)
              .isInstanceOf(InMemoryChatMemoryRepository.class);
        });
  }

  @Test
  void theApplicationsOwnBeansWinAndNothingIsRegisteredTwice() {
    MemoryClient own = MemoryClients.create(
        shared.server().managedConfig(SharedServer.PROJECT).build());
    ChatMemoryRepository ownRepository = new InMemoryChatMemoryRepository();
    LongTermMemoryAdvisor ownAdvisor = LongTermMemoryAdvisor.builder(own).userId("own").build();
    try {
      runner.withBean("ownClient", MemoryClient.class, () -> own)
          .withBean("ownRepository", ChatMemoryRepository.class, () -> ownRepository)
          .withBean("ownAdvisor", LongTermMemoryAdvisor.class, () -> ownAdvisor)
          .run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(MemoryClient.class)).isSameAs(own);
            assertThat(context.getBean(ChatMemoryRepository.class)).isSameAs(ownRepository);
            assertThat(context.getBean(LongTermMemoryAdvisor.class)).isSameAs(ownAdvisor);
          });
      // the user's client alone: the Spring AI beans are built over it
      runner.withBean("ownClient", MemoryClient.class, () -> own).run(context -> {
        assertThat(context).hasNotFailed().hasSingleBean(MemoryClient.class)
            .hasSingleBean(MemoryClientChatMemoryRepository.class)
            .hasSingleBean(LongTermMemoryAdvisor.class);
        assertThat(context.getBean(MemoryClient.class)).isSameAs(own);
      });
    } finally {
      own.close();
    }
  }

  @Test
  void theApplicationsConfigAndHealthIndicatorWinButTheEnabledSwitchesComeFromTheEnvironment() {
    InMemoryConfig own = shared.server().managedConfig(SharedServer.PROJECT)
        .set(SpringAiSettings.ADVISOR_ENABLED.name(), "false")
        .set(SpringAiSettings.CHAT_MEMORY_AGENT_ID.name(), "own-transcripts").build();
    try (Memory checked = SharedServer.volatileEngine()) {
      InMemoryHealthIndicator ownIndicator = new InMemoryHealthIndicator(checked);
      // the environment names a runtime that would fail: the application's config is used
      runner.withPropertyValues("inmemory.mode=managed", "inmemory.base-url=http://127.0.0.1:1")
          .withBean("ownConfig", InMemoryConfig.class, () -> own)
          .withBean("inMemoryHealthIndicator", InMemoryHealthIndicator.class, () -> ownIndicator)
          .run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(InMemoryConfig.class)
                .hasSingleBean(InMemoryHealthIndicator.class)
                // the switch of the application's config is not read: only the environment's
                .hasSingleBean(LongTermMemoryAdvisor.class);
            assertThat(context.getBean(InMemoryHealthIndicator.class)).isSameAs(ownIndicator);
            assertThat(context.getBean(MemoryClientChatMemoryRepository.class).agentId())
                .isEqualTo("own-transcripts");
            context.getBean(MemoryClient.class).add("Through the application's config", "own-cfg");
            assertThat(shared.memories().getAll("own-cfg", 10, 0).items())
                .extracting(MemoryRecord::content)
                .containsExactly("Through the application's config");
          });
    }
  }

  @Test
  void amongSeveralClientsTheBeansUseThePrimaryOneAndWithoutOneTheyAreNotRegistered() {
    try (Memory primary = SharedServer.volatileEngine();
        Memory other = SharedServer.volatileEngine()) {
      runner.withBean("primaryClient", MemoryClient.class, () -> primary, bean ->
              bean.setPrimary(true))
          .withBean("otherClient", MemoryClient.class, () -> other)
          .run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(InMemoryHealthIndicator.class);
            context.getBean(MemoryClientChatMemoryRepository.class)
                .saveAll("several", List.of(new UserMessage("through the primary client")));
            assertThat(primary.list(ListRequest.builder(new Scope(null,
                MemoryClientChatMemoryRepository.DEFAULT_AGENT_ID, "several")).build()).items())
                .extracting(MemoryRecord::content).containsExactly("through the primary client");
          });
      runner.withBean("oneClient", MemoryClient.class, () -> primary)
          .withBean("otherClient", MemoryClient.class, () -> other)
          .run(context -> assertThat(context).hasNotFailed()
              .doesNotHaveBean(LongTermMemoryAdvisor.class)
              .doesNotHaveBean(MemoryClientChatMemoryRepository.class)
              .doesNotHaveBean(InMemoryHealthIndicator.class));
    }
  }

  @Test
  void aChildContextUsesItsParentsBeansRatherThanRegisteringItsOwn() {
    managed().run(parent -> runner.withParent(parent).run(child -> {
      assertThat(child).hasNotFailed();
      assertThat(child.getBeansOfType(MemoryClient.class)).isEmpty();
      assertThat(child.getBeansOfType(LongTermMemoryAdvisor.class)).isEmpty();
      assertThat(child.getBean(MemoryClient.class)).isSameAs(parent.getBean(MemoryClient.class));
    }));
  }

  @Test
  void withoutSpringAiOrBootHealthOnTheClassPathOnlyTheClientIsRegistered() {
    managed().withClassLoader(new FilteredClassLoader(ChatMemoryRepository.class,
            HealthIndicator.class))
        .run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(MemoryClient.class)
              .doesNotHaveBean(LongTermMemoryAdvisor.class)
              .doesNotHaveBean(MemoryClientChatMemoryRepository.class)
              .doesNotHaveBean(InMemoryHealthIndicator.class);
        });
  }

  @Test
  void theHealthIndicatorIsUpWhenTheServerAnswersAndCanBeTurnedOff() {
    managed().run(context -> {
      assertThat(context).hasSingleBean(InMemoryHealthIndicator.class);
      org.springframework.boot.health.contributor.Health health =
          context.getBean(InMemoryHealthIndicator.class).health();
      assertThat(health.getStatus()).isEqualTo(Status.UP);
      assertThat(health.getDetails()).containsKeys("version", "components");
    });
    managed().withPropertyValues("management.health.inmemory.enabled=false")
        .run(context -> assertThat(context).hasNotFailed()
            .doesNotHaveBean(InMemoryHealthIndicator.class));
  }

  @Test
  void theHealthIndicatorIsDownWhenTheServerCannotBeReached() {
    ManagedRunner.unreachable(runner).run(context -> {
          assertThat(context).hasNotFailed();
          org.springframework.boot.health.contributor.Health health =
              context.getBean(InMemoryHealthIndicator.class).health();
          assertThat(health.getStatus()).isEqualTo(Status.DOWN);
          assertThat(health.getDetails().get("components")).asString()
              .contains("server").contains("could not connect");
        });
  }

  @Test
  void anEnvironmentVariableOutranksApplicationPropertiesAsForSpringsOwnKeys() {
    managed().withInitializer(context -> {
          var sources = context.getEnvironment().getPropertySources();
          sources.addLast(new SystemEnvironmentPropertySource("systemEnvironment",
              Map.of("INMEMORY_MAX_MEMORY_SIZE", "2KB")));
          sources.addLast(new MapPropertySource("applicationProperties",
              Map.of("inmemory.max-memory-size", "4KB")));
        })
        .run(context -> {
          InMemoryConfig config = context.getBean(InMemoryConfig.class);
          assertThat(config.get(InMemoryConfig.MAX_MEMORY_SIZE)).isEqualTo(2048L);
          assertThat(config.sourceOf(InMemoryConfig.MAX_MEMORY_SIZE)).isEqualTo("the builder");
        });
  }

  @Test
  void everyRelaxedFormOfAnEnvironmentVariableThatSpringAcceptsIsRead() {
    managed().withInitializer(context -> {
          context.getEnvironment().getPropertySources().addLast(new SystemEnvironmentPropertySource(
              "systemEnvironment", Map.of("inmemory_max_memory_size", "2KB",
                  "INMEMORY_SPRINGAI_ADVISOR_LIMIT", "7", "INMEMORY_MAXQUERYLENGTH", "77")));
          // as SpringApplication does: Spring's relaxed names resolve through this source
          ConfigurationPropertySources.attach(context.getEnvironment());
        })
        .run(context -> {
          InMemoryConfig config = context.getBean(InMemoryConfig.class);
          assertThat(config.get(InMemoryConfig.MAX_MEMORY_SIZE)).isEqualTo(2048L);
          assertThat(config.get(SpringAiSettings.ADVISOR_LIMIT)).isEqualTo(7);
          assertThat(config.get(io.inmemory.Limits.MAX_QUERY_LENGTH)).isEqualTo(77);
        });
  }

  @Test
  void anInvalidValueFailsStartupNamingTheKeyAndWhereItCameFrom() {
    managed().withPropertyValues("inmemory.max-memory-size=lots").run(context ->
        assertThat(startupProblems(context)).containsExactly("inmemory.max-memory-size (from the"
            + " builder): 'lots' is not a size such as 1048576, 512KB or 1MB"));
  }

  @Test
  void aKeySpringWouldBindLooselyIsRefusedWithTheNameToWrite() {
    managed().withPropertyValues("inmemory.maxMemorySize=2KB", "inmemory.store_file_dir=/tmp/x",
            "InMemory.Store=file")
        .run(context -> assertThat(startupProblems(context)).containsExactly(
            "InMemory.Store is not read: InMemory keys are lower-case words joined by dots and"
                + " dashes; write inmemory.store",
            "inmemory.maxMemorySize is not read: InMemory keys are lower-case words joined by dots"
                + " and dashes; write inmemory.max-memory-size",
            "inmemory.store_file_dir is not read: InMemory keys are lower-case words joined by"
                + " dots and dashes; write inmemory.store-file-dir"));
  }

  @Test
  void anUnresolvablePlaceholderFailsStartupNamingTheKey() {
    managed().withPropertyValues("inmemory.store.file.dir=${no.such.property}").run(context ->
        assertThat(startupProblems(context)).singleElement().asString()
            .startsWith("inmemory.store.file.dir: Could not resolve placeholder 'no.such.property'"));
  }

  @Test
  void anUnresolvablePlaceholderInASecretNeverShowsTheSecret() {
    managed().withPropertyValues("inmemory.api-key=im_" + "s3cr3t${no.such.suffix}")
        .run(context -> assertThat(startupProblems(context)).containsExactly("inmemory.api-key:"
            + " Could not resolve placeholder 'no.such.suffix'; define it, or give a default:"
            + " ${no.such.suffix:…}"));
  }

  @Test
  void invalidStarterKeysFailStartupNamingTheKey() {
    managed().withPropertyValues("inmemory.spring-ai.advisor.limit=0",
            "inmemory.spring-ai.advisor.filter=tags in [",
            "inmemory.spring-ai.advisor.ingestion=later")
        .run(context -> assertThat(String.join("\n", startupProblems(context)))
            .contains("inmemory.spring-ai.advisor.limit (from the builder): 0 is not between 1 and")
            .contains("inmemory.spring-ai.advisor.filter (from the builder): cannot parse filter"
                + " 'tags in [': ")
            // the accepted names are the advisor's Ingestion constants
            .contains("inmemory.spring-ai.advisor.ingestion (from the builder): 'later' is not"
                + " sync"));
    managed().withPropertyValues("inmemory.spring-ai.advisor.user-id=alice smith",
            "inmemory.spring-ai.advisor.agent-id=-bot",
            "inmemory.spring-ai.chat-memory.agent-id=chat log")
        .run(context -> assertThat(String.join("\n", startupProblems(context)))
            // ids every call would refuse, named by their keys
            .contains("inmemory.spring-ai.advisor.user-id (from the builder): must start with a"
                + " letter or digit")
            .contains("inmemory.spring-ai.advisor.agent-id (from the builder): must start with a"
                + " letter or digit")
            .contains("inmemory.spring-ai.chat-memory.agent-id (from the builder): must start"
                + " with a letter or digit"));
    managed().withPropertyValues("inmemory.spring-ai.chat-memory.enabled=maybe").run(context ->
        assertThat(startupProblems(context)).containsExactly("inmemory.spring-ai.chat-memory"
            + ".enabled (from the builder): 'maybe' is not true or false"));
  }

  @Test
  void noRuntimeOnTheClassPathFailsStartupSayingWhatToAdd() {
    // ServiceLoader finds runtimes by their service files: hidden, no runtime is present
    runner.withClassLoader(new FilteredClassLoader(
            new ClassPathResource("META-INF/services/" + MemoryClientProvider.class.getName())))
        .run(context -> assertThat(String.join("\n", startupProblems(context)))
            .contains("inmemory-engine").contains("inmemory-transport-http"));
  }

  /** The problems of the ConfigurationException that failed the context's startup. */
  private static List<String> startupProblems(AssertableApplicationContext context) {
    assertThat(context).hasFailed();
    Throwable cause = context.getStartupFailure();
    while (cause != null && !(cause instanceof ConfigurationException)) {
      cause = cause.getCause();
    }
    assertThat(cause).as("a ConfigurationException caused %s", context.getStartupFailure())
        .isInstanceOf(ConfigurationException.class);
    return ((ConfigurationException) cause).problems();
  }
}
