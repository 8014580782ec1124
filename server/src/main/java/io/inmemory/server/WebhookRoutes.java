package io.inmemory.server;

import io.inmemory.InvalidRequestException;
import io.inmemory.engine.tenant.DeliveryState;
import io.inmemory.engine.tenant.WebhookEventType;
import io.inmemory.engine.tenant.WebhookStore;
import io.inmemory.server.Route.Access;
import io.inmemory.server.Route.Param;
import io.inmemory.wire.JsonBody;
import io.inmemory.wire.ResultJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code /v1/webhooks} routes over {@link Webhooks}: keys with the {@code webhooks} scope
 * manage their project's hooks; admin keys any project's, named by {@code project_id}. (A hook
 * can send a whole project's memories elsewhere, so {@code read} and {@code write} keys cannot
 * make one.) Stateless; thread-safe.
 */
final class WebhookRoutes {
  private static final String TAG = "webhooks";
  private static final String HOOK = "/v1/webhooks/{webhook_id}";
  private static final Param PROJECT = new Param(KeysJson.PROJECT_ID.name(), "string", false,
      "The project (admin keys only); default the caller's.");
  private static final Param STATE = new Param("state", "string", false,
      "Only deliveries in this state: pending, delivered or expired.");
  private static final Param LIMIT = new Param("limit", "integer", false,
      "The most deliveries to return, 1 to 1000 (default 50).");
  private static final Param BEFORE = new Param("before", "integer", false,
      "Only deliveries with a lower sequence: the last one of the previous page.");
  private static final int DEFAULT_LIMIT = 50;

  private final Webhooks webhooks;

  WebhookRoutes(Webhooks webhooks) {
    this.webhooks = webhooks;
  }

  List<Route> routes() {
    List<Param> project = List.of(PROJECT);
    return List.of(
        new Route("POST", "/v1/webhooks", "createWebhook",
            "Creates a webhook: the URL gets the project's events, signed with a secret shown"
                + " once.", TAG, Access.WEBHOOKS, project, "CreateWebhookRequest", 201,
            "WebhookCreated", this::create),
        new Route("GET", "/v1/webhooks", "listWebhooks", "The project's webhooks, oldest first.",
            TAG, Access.WEBHOOKS, project, null, 200, "WebhookList", this::list),
        new Route("GET", HOOK, "getWebhook", "A webhook, with why it is disabled if it is.",
            TAG, Access.WEBHOOKS, project, null, 200, "Webhook",
            call -> WebhooksJson.hook(webhooks.get(project(call), id(call)))),
        new Route("PUT", HOOK, "updateWebhook",
            "Changes a webhook's URL, events, description or include_content; absent members"
                + " stay.", TAG, Access.WEBHOOKS, project, "UpdateWebhookRequest", 200,
            "Webhook", this::update),
        new Route("DELETE", HOOK, "deleteWebhook", "Deletes a webhook and its delivery log.",
            TAG, Access.WEBHOOKS, project, null, 200, "Deleted", call -> {
              webhooks.delete(project(call), id(call));
              return ResultJson.deleted(true);
            }),
        new Route("POST", HOOK + "/enable", "enableWebhook",
            "Enables a webhook: failures are forgotten and its queued deliveries sent in order.",
            TAG, Access.WEBHOOKS, project, null, 200, "Webhook",
            call -> WebhooksJson.hook(webhooks.enable(project(call), id(call)))),
        new Route("POST", HOOK + "/disable", "disableWebhook",
            "Disables a webhook; its events are still queued for it.", TAG, Access.WEBHOOKS,
            project, null, 200, "Webhook",
            call -> WebhooksJson.hook(webhooks.disable(project(call), id(call)))),
        new Route("POST", HOOK + "/rotate-secret", "rotateWebhookSecret",
            "A new signing secret, shown once; the old one also signs for 24 hours.", TAG,
            Access.WEBHOOKS, project, null, 200, "WebhookCreated",
            call -> WebhooksJson.created(webhooks.rotateSecret(project(call), id(call)))),
        new Route("POST", HOOK + "/test", "testWebhook",
            "Queues a webhook.test event to the webhook, after those queued before.", TAG,
            Access.WEBHOOKS, project, null, 202, "WebhookDelivery",
            call -> WebhooksJson.delivery(webhooks.test(project(call), id(call)))),
        new Route("GET", HOOK + "/deliveries", "listWebhookDeliveries",
            "The webhook's delivery log, newest first, with each one's attempts and last"
                + " error.", TAG, Access.WEBHOOKS, List.of(PROJECT, STATE, LIMIT, BEFORE), null,
            200, "DeliveryList", this::deliveries));
  }

  /**
   * {@code routes} with every write route (a 2xx answer) nudging the dispatcher, so a memory
   * change is delivered at once rather than at the next poll.
   */
  static List<Route> nudging(List<Route> routes, Runnable nudge) {
    List<Route> out = new ArrayList<>(routes.size());
    for (Route route : routes) {
      Route.Handler handler = route.handler();
      out.add(route.access() != Access.WRITE ? route : new Route(route.method(),
          route.template(), route.operationId(), route.summary(), route.tag(), route.access(),
          route.query(), route.requestSchema(), route.status(), route.responseSchema(), call -> {
            Object answer = handler.handle(call);
            nudge.run();
            return answer;
          }, route.idempotent()));
    }
    return out;
  }

  private Object create(Call call) {
    JsonBody body = call.body();
    String url = body.string(WebhooksJson.URL);
    Set<WebhookEventType> events = WebhooksJson.events(body,
        body.strings(WebhooksJson.EVENTS));
    String description = body.string(WebhooksJson.DESCRIPTION);
    Boolean includeContent = body.bool(WebhooksJson.INCLUDE_CONTENT);
    if (url == null) {
      body.invalid(WebhooksJson.URL.field(), "is required");
    }
    if (events == null) {
      body.invalid(WebhooksJson.EVENTS.field(), "is required: a list of event types");
    }
    body.build(() -> null);
    return WebhooksJson.created(webhooks.create(project(call), url, events, description,
        includeContent == null || includeContent));
  }

  private Object list(Call call) {
    return Map.of(WebhooksJson.ITEMS.name(), webhooks.list(project(call)).stream()
        .map(WebhooksJson::hook).toList());
  }

  private Object update(Call call) {
    JsonBody body = call.body();
    Webhooks.Changes changes = new Webhooks.Changes(body.string(WebhooksJson.URL),
        WebhooksJson.events(body, body.strings(WebhooksJson.EVENTS)),
        body.string(WebhooksJson.DESCRIPTION), body.bool(WebhooksJson.INCLUDE_CONTENT));
    body.build(() -> null);
    return WebhooksJson.hook(webhooks.update(project(call), id(call), changes));
  }

  private Object deliveries(Call call) {
    List<InvalidRequestException.Violation> problems = new ArrayList<>();
    Integer limit = call.queryInt(LIMIT.name(), "limit", problems);
    String before = call.query(BEFORE.name());
    Long beforeSequence = null;
    if (before != null) {
      try {
        beforeSequence = Long.parseLong(before.trim());
      } catch (NumberFormatException e) {
        problems.add(new InvalidRequestException.Violation("before",
            "must be a whole number, was " + JsonBody.quoted(before)));
      }
    }
    if (limit != null && (limit < 1 || limit > WebhookStore.MAX_LIMIT)) {
      problems.add(new InvalidRequestException.Violation("limit", "must be 1 to "
          + WebhookStore.MAX_LIMIT + ", was " + limit));
    }
    if (!problems.isEmpty()) {
      throw new InvalidRequestException(problems);
    }
    DeliveryState state = WebhooksJson.state(call.query(STATE.name()));
    Webhooks.Page page = webhooks.deliveries(project(call), id(call), state, beforeSequence,
        limit == null ? DEFAULT_LIMIT : limit);
    return Map.of(WebhooksJson.DELIVERY_ITEMS.name(), page.items().stream()
        .map(WebhooksJson::delivery).toList(), WebhooksJson.HAS_MORE.name(), page.hasMore());
  }

  private static String id(Call call) {
    return call.path("webhook_id");
  }

  /** The project a call manages: the key's own, or (admin keys) the one project_id names. */
  private static String project(Call call) {
    return call.principal().project(call.query(PROJECT.name()),
        "manage another project's webhooks");
  }
}
