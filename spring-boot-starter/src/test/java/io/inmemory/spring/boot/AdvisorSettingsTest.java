package io.inmemory.spring.boot;

import static io.inmemory.spring.boot.ManagedRunner.managed;
import static io.inmemory.spring.boot.ManagedRunner.unreachable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inmemory.AddRequest;
import io.inmemory.MemoryClient;
import io.inmemory.MemoryRecord;
import io.inmemory.Scope;
import io.inmemory.TransportException;
import io.inmemory.springai.LongTermMemoryAdvisor;
import io.inmemory.springai.testing.ScriptedChatModel;
import io.inmemory.springai.testing.SharedServer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The {@code inmemory.spring-ai.advisor.*} keys change what the auto-configured advisor does in a
 * real chat (a {@link ChatClient} over a scripted model): the default user, the filter, the limit,
 * the threshold, the agent and recall across agents, ingestion off, asynchronous ingestion (and
 * the context's close waiting for it), fail-open against a server that cannot be reached, and the
 * runtime's query limit.
 */
class AdvisorSettingsTest {
  private final SharedServer shared = SharedServer.get();
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(InMemoryAutoConfiguration.class,
          InMemorySpringAiAutoConfiguration.class))
      .withBean(ScriptedChatModel.class, ScriptedChatModel::new);

  @Test
  void theDefaultUserAndTheFilterShapeEveryRecall() {
    chat(managed(runner).withPropertyValues("inmemory.spring-ai.advisor.user-id=carol",
        "inmemory.spring-ai.advisor.filter=tags in ['work']"), context -> {
          MemoryClient client = context.getBean(MemoryClient.class);
          client.add(AddRequest.builder("Standup is at nine every morning", "carol")
              .tags(List.of("work")).build());
          client.add(AddRequest.builder("Dentist appointment every morning this week", "carol")
              .tags(List.of("health")).build());
          ScriptedChatModel model = context.getBean(ScriptedChatModel.class);
          model.answer("At nine.");

          // no user in the call's context: the configured one
          chatClient(context).prompt().user("What happens every morning?").call().content();

          assertThat(model.lastPrompt().getSystemMessage().getText())
              .contains("Standup is at nine").doesNotContain("Dentist");
        });
  }

  @Test
  void theLimitTheThresholdAndTheAgentKeysShapeEveryRecall() {
    chat(managed(runner).withPropertyValues("inmemory.spring-ai.advisor.limit=1",
        "inmemory.spring-ai.advisor.agent-id=planner",
        "inmemory.spring-ai.advisor.recall-across-agents=false"), context -> {
          MemoryClient client = context.getBean(MemoryClient.class);
          client.add(AddRequest.builder("Hugo flies to Rome on Monday", new Scope("hugo",
              "planner", null)).build());
          client.add(AddRequest.builder("Hugo flies to Lima on Friday", new Scope("hugo",
              "planner", null)).build());
          client.add(AddRequest.builder("Hugo flies to Oslo on Sunday", new Scope("hugo",
              "other-agent", null)).build());
          ScriptedChatModel model = context.getBean(ScriptedChatModel.class);
          model.answer("Soon.");

          askAs(context, "hugo", "When does Hugo fly?");

          String system = model.lastPrompt().getSystemMessage().getText();
          // one memory, of the configured agent only
          assertThat(Stream.of("Rome", "Lima").filter(system::contains)).hasSize(1);
          assertThat(system).doesNotContain("Oslo");
        });
    chat(managed(runner).withPropertyValues("inmemory.spring-ai.advisor.threshold=1"),
        context -> {
          context.getBean(MemoryClient.class).add("Iris likes green tea", "iris");
          ScriptedChatModel model = context.getBean(ScriptedChatModel.class);
          model.answer("Tea.");
          askAs(context, "iris", "What does Iris like?");
          // no memory scores the most a score can be
          assertThat(model.lastPrompt().getSystemMessage().getText()).doesNotContain("green tea");
        });
  }

  @Test
  void ingestionOffRecallsButStoresNothing() {
    chat(managed(runner).withPropertyValues("inmemory.spring-ai.advisor.ingestion=off"),
        context -> {
          context.getBean(ScriptedChatModel.class).answer("Hello Dave.");
          askAs(context, "dave-off", "Hi, I am Dave.");
          assertThat(shared.memories().getAll("dave-off", 10, 0).items()).isEmpty();
        });
    chat(managed(runner), context -> {
      context.getBean(ScriptedChatModel.class).answer("Hello Dave.");
      askAs(context, "dave-sync", "Hi, I am Dave.");
      assertThat(shared.memories().getAll("dave-sync", 10, 0).items())
          .extracting(MemoryRecord::content)
          .containsExactlyInAnyOrder("Hi, I am Dave.", "Hello Dave.");
    });
  }

  @Test
  void asyncIngestionRunsOnTheApplicationTaskExecutorAndWithoutOneStartupFails() {
    List<Runnable> handedOver = new java.util.concurrent.CopyOnWriteArrayList<>();
    chat(managed(runner).withPropertyValues("inmemory.spring-ai.advisor.ingestion=async")
        .withBean("applicationTaskExecutor", java.util.concurrent.Executor.class,
            () -> handedOver::add), context -> {
          context.getBean(ScriptedChatModel.class).answer("Hello Fay.");
          askAs(context, "fay-async", "Hi, I am Fay.");
          assertThat(shared.memories().getAll("fay-async", 10, 0).items()).isEmpty();
          assertThat(handedOver).hasSize(1);
          handedOver.get(0).run();
          assertThat(shared.memories().getAll("fay-async", 10, 0).items())
              .extracting(MemoryRecord::content)
              .containsExactlyInAnyOrder("Hi, I am Fay.", "Hello Fay.");
        });
    managed(runner).withPropertyValues("inmemory.spring-ai.advisor.ingestion=async")
        .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
            .isInstanceOf(io.inmemory.ConfigurationException.class)
            .hasMessage("inmemory.spring-ai.advisor.ingestion=async needs an Executor bean named"
                + " applicationTaskExecutor (Spring Boot's task execution auto-configuration"
                + " defines it), which runs the ingestion"));
  }

  @Test
  void closingTheContextIngestsTheExchangesStillQueuedBeforeTheClientCloses() {
    CountDownLatch busy = new CountDownLatch(1);
    chat(managed(runner).withPropertyValues("inmemory.spring-ai.advisor.ingestion=async")
        .withBean("applicationTaskExecutor", ThreadPoolTaskExecutor.class,
            ThreadPoolTaskExecutor::new), context -> {
          // the executor's one thread is busy: the exchanges wait in its queue at the close
          context.getBean(ThreadPoolTaskExecutor.class).execute(() -> {
            try {
              busy.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
          context.getBean(ScriptedChatModel.class).answer("Hello Ida.", "Noted, Ida.");
          askAs(context, "ida-close", "Hi, I am Ida.");
          askAs(context, "ida-close", "I live in Oslo.");
          // freed while the context closes (a close takes milliseconds, not the delay)
          new Thread(() -> {
            try {
              Thread.sleep(300);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            busy.countDown();
          }).start();
        });
    assertThat(shared.memories().getAll("ida-close", 10, 0).items())
        .extracting(MemoryRecord::content).containsExactlyInAnyOrder("Hi, I am Ida.",
            "Hello Ida.", "I live in Oslo.", "Noted, Ida.");
  }

  @Test
  void failOpenLetsTheChatProceedWithoutMemoryAndOtherwiseTheCallFails() {
    chat(unreachable(runner).withPropertyValues("inmemory.spring-ai.advisor.fail-open=yes"),
        context -> {
          context.getBean(ScriptedChatModel.class).answer("Still here.");
          assertThat(askAs(context, "erin", "Are you there?")).isEqualTo("Still here.");
        });
    chat(unreachable(runner), context -> {
      context.getBean(ScriptedChatModel.class).answer("Never sent.");
      assertThatThrownBy(() -> askAs(context, "erin", "Are you there?"))
          .isInstanceOf(TransportException.class).hasMessageContaining("could not connect");
    });
  }

  @Test
  void aMessageOverTheRuntimesQueryLimitIsRecalledByItsPrefixRatherThanFailingTheCall(
      @TempDir Path dir) {
    chat(runner.withPropertyValues("inmemory.mode=local", "inmemory.store=file",
        "inmemory.store.file.dir=" + dir, "inmemory.max-query-length=40"), context -> {
          context.getBean(ScriptedChatModel.class).answer("Noted.");
          String longMessage = "Here is my whole travel plan for the summer: "
              + "Lisbon, then Porto, then the Douro valley by train. ".repeat(5);

          assertThat(askAs(context, "gina", longMessage)).isEqualTo("Noted.");
          assertThat(context.getBean(MemoryClient.class).getAll("gina", 10, 0).items())
              .extracting(MemoryRecord::content).contains(longMessage);
        });
  }

  private static void chat(ApplicationContextRunner runner,
      Consumer<ApplicationContext> conversation) {
    runner.run(context -> {
      assertThat(context).hasNotFailed();
      conversation.accept(context);
    });
  }

  private static ChatClient chatClient(ApplicationContext context) {
    return ChatClient.builder(context.getBean(ScriptedChatModel.class))
        .defaultAdvisors(context.getBean(LongTermMemoryAdvisor.class)).build();
  }

  private static String askAs(ApplicationContext context, String user, String text) {
    return chatClient(context).prompt().user(text)
        .advisors(a -> a.param(LongTermMemoryAdvisor.USER_ID, user)).call().content();
  }
}
