package io.inmemory.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.InMemoryConfig;
import io.inmemory.engine.tenant.WebhookEventType;
import io.inmemory.engine.tenant.WebhookRecord;
import io.inmemory.engine.tenant.WebhookTable;
import io.inmemory.server.WebhookReceiver.Received;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher over a heap webhook store shared by two dispatchers, as replicas share a store:
 * leases keep one sender per hook, and a URL that comes to resolve to a refused address disables
 * its hook before anything is sent.
 */
class WebhookDispatcherTest {
  private final WebhookTable store = new WebhookTable(WebhookTable.NO_JOURNAL);
  private final WebhookReceiver receiver = new WebhookReceiver();
  private final AtomicReference<String> address = new AtomicReference<>("127.0.0.1");
  private final WebhookTargets targets = new WebhookTargets(List.of(Cidr.parse("127.0.0.0/8")),
      host -> host.equals("hooks.test")
          ? new InetAddress[] {InetAddress.getByName(address.get())}
          : InetAddress.getAllByName(host));
  private final WebhookSettings settings = WebhookSettings.from(InMemoryConfig.builder()
      .isolated().set(WebhookSettings.POLL_MS.name(), "20")
      .set(WebhookSettings.BACKOFF_BASE_MS.name(), "20")
      .set(WebhookSettings.BACKOFF_MAX_SECONDS.name(), "1").build());
  private final Webhooks webhooks = new Webhooks(store, settings, targets, Clock.systemUTC(),
      () -> { });
  private final List<WebhookDispatcher> dispatchers = new ArrayList<>();

  @AfterEach
  void stop() {
    dispatchers.forEach(WebhookDispatcher::close);
    receiver.close();
  }

  private void startDispatchers(int count) {
    for (int i = 0; i < count; i++) {
      WebhookDispatcher dispatcher = new WebhookDispatcher(store, settings, targets,
          WebhookMeters.NONE, Clock.systemUTC(), "replica-" + i);
      dispatchers.add(dispatcher);
      dispatcher.start();
    }
  }

  @Test
  void twoDispatchersSendEachDeliveryOnceInOrder() throws Exception {
    String hook = webhooks.create("acme", receiver.url("/in"),
        Set.of(WebhookEventType.IMPORT_FINISHED), null, true).hook().id();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      webhooks.announce("acme", WebhookEventType.IMPORT_FINISHED, "evt_" + i, Map.of("n", i));
      ids.add("evt_" + i);
    }
    startDispatchers(2);

    List<Received> requests = receiver.await(20);
    Thread.sleep(100);
    assertThat(receiver.received()).extracting(r -> r.header("webhook-id"))
        .containsExactlyElementsOf(ids);
    WebhooksTest.eventually(() -> webhooks.deliveries("acme", hook, null, null, 50).items()
        .stream().allMatch(delivery -> delivery.attempts() == 1));
    assertThat(requests).hasSize(20);
  }

  @Test
  void aNameThatNowResolvesToAPrivateAddressDisablesItsHookUnsent() throws Exception {
    String url = "http://hooks.test:" + receiver.url("/").split(":")[2];
    WebhookRecord hook = webhooks.create("acme", url, Set.of(WebhookEventType.IMPORT_FINISHED),
        null, true).hook();
    address.set("10.0.0.7");
    webhooks.test("acme", hook.id());
    startDispatchers(1);

    WebhooksTest.eventually(() -> !webhooks.get("acme", hook.id()).enabled());
    WebhookRecord disabled = webhooks.get("acme", hook.id());
    assertThat(disabled.disabledReason()).contains("10.0.0.7").contains("private");
    assertThat(receiver.received()).isEmpty();
    assertThat(webhooks.deliveries("acme", hook.id(), null, null, 10).items().get(0).lastError())
        .contains("refused");
  }
}
