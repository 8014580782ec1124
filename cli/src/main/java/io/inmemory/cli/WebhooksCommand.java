package io.inmemory.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.inmemory.ConfigurationException;
import io.inmemory.MemoryClient;
import io.inmemory.transport.http.Inmry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code inmemory webhooks …}: a server's webhooks over its {@code /v1/webhooks} routes, with a
 * key holding the webhooks scope (or an admin key naming {@code --project}). Webhooks are kept and
 * delivered by a server, so a local store is refused (exit 2) with what to give instead. A new or
 * rotated signing secret is printed once.
 */
@Command(name = "webhooks", mixinStandardHelpOptions = true,
    description = "Create, list, change and inspect a server's webhooks and their deliveries.",
    subcommands = {WebhooksCommand.Create.class, WebhooksCommand.ListHooks.class,
        WebhooksCommand.Get.class, WebhooksCommand.Update.class, WebhooksCommand.Delete.class,
        WebhooksCommand.Enable.class, WebhooksCommand.Disable.class,
        WebhooksCommand.RotateSecret.class, WebhooksCommand.Test.class,
        WebhooksCommand.Deliveries.class})
final class WebhooksCommand implements Runnable {
  private static final String EVENTS = "memory.added, memory.updated, memory.superseded,"
      + " memory.deleted, import.finished (comma-separated)";

  @Spec
  @Nullable CommandSpec spec;

  /** Without a subcommand: a usage error. */
  @Override
  public void run() {
    throw new ParameterException(Objects.requireNonNull(spec).commandLine(), "Missing a webhooks"
        + " command: create, list, get, update, delete, enable, disable, rotate-secret, test or"
        + " deliveries");
  }

  /** A webhooks command: calls on the configured server, printed as the server answered. */
  abstract static class HookCommand extends MemoryCommand {
    @Option(names = "--project", paramLabel = "ID",
        description = "The project (an admin key only; default the calling key's own).")
    @Nullable String project;

    @Override
    final int run(MemoryClient client) {
      if (!(client instanceof Inmry managed)) {
        throw new ConfigurationException("Webhooks are kept and delivered by a server: give"
            + " --server URL and --api-key KEY (a key with the webhooks scope)");
      }
      return run(new ServerCalls(managed));
    }

    abstract int run(ServerCalls server);

    /** {@code path} with the project, when one is named, in its query. */
    String path(String path) {
      return project == null ? path : path + (path.contains("?") ? "&" : "?") + "project_id="
          + ServerCalls.query(project);
    }

    /** Prints a webhook as the server answered it: one line, or the document with --json. */
    int printHook(JsonNode hook) {
      Map<String, Object> document = ServerCalls.document(hook);
      print(document, () -> {
        if (hook.hasNonNull("secret")) {
          out().println(hook.get("secret").asText());
        }
        out().println(hook.path("id").asText() + "  " + hook.path("url").asText() + "  events "
            + hook.path("events") + "  " + (hook.path("enabled").asBoolean() ? "enabled"
            : "DISABLED (" + hook.path("disabled_reason").asText() + ")") + "  failures in a row "
            + hook.path("consecutive_failures").asInt() + "  secret " + hook.path("secret_hint")
            .asText());
        if (hook.hasNonNull("secret")) {
          out().println("(the secret is shown once: keep it to verify the signatures)");
        }
      });
      return ExitCodes.OK;
    }
  }

  /** A command on one webhook, named by its id. */
  abstract static class OneHookCommand extends HookCommand {
    @Parameters(paramLabel = "WEBHOOK_ID", description = "The webhook's id.")
    String id = "";

    String hookPath(String rest) {
      return path("/v1/webhooks/" + ServerCalls.query(id) + rest);
    }
  }

  @Command(name = "create", description = "Create a webhook; its signing secret is printed once.")
  static final class Create extends HookCommand {
    @Parameters(paramLabel = "URL", description = "Where deliveries are posted (https).")
    String url = "";

    @Option(names = "--event", paramLabel = "TYPE", split = ",", required = true,
        description = EVENTS)
    List<String> events = List.of();

    @Option(names = "--description", paramLabel = "TEXT", description = "What the hook is for.")
    @Nullable String description;

    @Option(names = "--content", negatable = true, defaultValue = "true",
        description = "Whether deliveries carry the memories' contents (default: they do).")
    boolean content = true;

    @Override
    int run(ServerCalls server) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("url", url);
      body.put("events", events);
      if (description != null) {
        body.put("description", description);
      }
      body.put("include_content", content);
      return printHook(server.send("POST", path("/v1/webhooks"), body));
    }
  }

  @Command(name = "list", description = "The project's webhooks, oldest first.")
  static final class ListHooks extends HookCommand {
    @Override
    int run(ServerCalls server) {
      JsonNode hooks = server.get(path("/v1/webhooks"));
      print(ServerCalls.document(hooks), () -> hooks.path("items").forEach(hook ->
          out().println(hook.path("id").asText() + "  " + hook.path("url").asText() + "  "
              + (hook.path("enabled").asBoolean() ? "enabled" : "DISABLED ("
              + hook.path("disabled_reason").asText() + ")"))));
      return ExitCodes.OK;
    }
  }

  @Command(name = "get", description = "A webhook, with why it is disabled if it is.")
  static final class Get extends OneHookCommand {
    @Override
    int run(ServerCalls server) {
      return printHook(server.get(hookPath("")));
    }
  }

  @Command(name = "update", description = "Change a webhook's URL, events, description or"
      + " whether deliveries carry contents.")
  static final class Update extends OneHookCommand {
    @Option(names = "--url", paramLabel = "URL", description = "Its new URL (https).")
    @Nullable String url;

    @Option(names = "--event", paramLabel = "TYPE", split = ",", description = EVENTS)
    @Nullable List<String> events;

    @Option(names = "--description", paramLabel = "TEXT", description = "What the hook is for.")
    @Nullable String description;

    @Option(names = "--content", negatable = true, description = "Whether deliveries carry the"
        + " memories' contents.")
    @Nullable Boolean content;

    @Override
    int run(ServerCalls server) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("url", url);
      body.put("events", events);
      body.put("description", description);
      body.put("include_content", content);
      body.values().removeIf(Objects::isNull);
      if (body.isEmpty()) {
        throw new ParameterException(Objects.requireNonNull(spec).commandLine(),
            "Nothing to change: give --url, --event, --description or --[no-]content");
      }
      return printHook(server.send("PUT", hookPath(""), body));
    }
  }

  @Command(name = "delete", description = "Delete a webhook and its delivery log.")
  static final class Delete extends OneHookCommand {
    @Override
    int run(ServerCalls server) {
      JsonNode answer = server.delete(hookPath(""));
      print(ServerCalls.document(answer), () -> out().println("deleted " + id));
      return ExitCodes.OK;
    }
  }

  @Command(name = "enable", description = "Enable a webhook: what was queued is sent, in order.")
  static final class Enable extends OneHookCommand {
    @Override
    int run(ServerCalls server) {
      return printHook(server.send("POST", hookPath("/enable"), null));
    }
  }

  @Command(name = "disable", description = "Disable a webhook: events are queued, not sent.")
  static final class Disable extends OneHookCommand {
    @Override
    int run(ServerCalls server) {
      return printHook(server.send("POST", hookPath("/disable"), null));
    }
  }

  @Command(name = "rotate-secret", description = "A new signing secret, printed once; the old one"
      + " still signs beside it for a day.")
  static final class RotateSecret extends OneHookCommand {
    @Override
    int run(ServerCalls server) {
      return printHook(server.send("POST", hookPath("/rotate-secret"), null));
    }
  }

  @Command(name = "test", description = "Queue a webhook.test delivery to the hook.")
  static final class Test extends OneHookCommand {
    @Override
    int run(ServerCalls server) {
      JsonNode delivery = server.send("POST", hookPath("/test"), null);
      print(ServerCalls.document(delivery), () -> out().println("queued "
          + delivery.path("id").asText() + " (" + delivery.path("type").asText() + ")"));
      return ExitCodes.OK;
    }
  }

  @Command(name = "deliveries", description = "A webhook's delivery log, newest first.")
  static final class Deliveries extends OneHookCommand {
    @Option(names = "--state", paramLabel = "STATE", description = "pending, delivered or expired.")
    @Nullable String state;

    @Option(names = "--limit", paramLabel = "N", description = "How many (default the server's).")
    @Nullable Integer limit;

    @Option(names = "--before", paramLabel = "SEQUENCE",
        description = "Only deliveries older than this sequence (the next page).")
    @Nullable Long before;

    @Override
    int run(ServerCalls server) {
      StringBuilder query = new StringBuilder();
      if (state != null) {
        query.append("&state=").append(ServerCalls.query(state));
      }
      if (limit != null) {
        query.append("&limit=").append(limit);
      }
      if (before != null) {
        query.append("&before=").append(before);
      }
      JsonNode log = server.get(hookPath("/deliveries"
          + (query.isEmpty() ? "" : "?" + query.substring(1))));
      print(ServerCalls.document(log), () -> {
        log.path("items").forEach(delivery -> out().println(delivery.path("sequence").asText()
            + "  " + delivery.path("type").asText() + "  " + delivery.path("state").asText()
            + "  attempts " + delivery.path("attempts").asInt()
            + (delivery.hasNonNull("last_status") ? "  HTTP " + delivery.get("last_status")
                .asText() : "")
            + (delivery.hasNonNull("last_error") ? "  " + delivery.get("last_error").asText()
                : "")));
        if (log.path("has_more").asBoolean()) {
          out().println("(more: --before " + log.path("items").get(log.path("items").size() - 1)
              .path("sequence").asText() + ")");
        }
      });
      return ExitCodes.OK;
    }
  }
}
