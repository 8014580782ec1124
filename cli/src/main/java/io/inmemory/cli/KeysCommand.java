package io.inmemory.cli;

import io.inmemory.ConfigurationException;
import io.inmemory.MemoryClient;
import io.inmemory.engine.Memory;
import io.inmemory.transport.http.Inmry;
import java.time.Instant;
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
 * {@code inmemory keys create|list|revoke}: the API keys of a server ({@code --server URL
 * --api-key KEY}, a key with the keys scope) or of a local store (made as the server makes them,
 * for a server started on that store later). A new key's secret is printed once.
 */
@Command(name = "keys", mixinStandardHelpOptions = true,
    description = "Create, list and revoke API keys (of a server, or of a local store).",
    subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class,
        KeysCommand.Revoke.class})
final class KeysCommand implements Runnable {
  @Spec
  @Nullable CommandSpec spec;

  /** Without a subcommand: a usage error. */
  @Override
  public void run() {
    throw new ParameterException(Objects.requireNonNull(spec).commandLine(),
        "Missing a keys command: create, list or revoke");
  }

  /** A keys command: the key ring of the runtime the connection options name. */
  abstract static class KeyCommand extends MemoryCommand {
    @Override
    final int run(MemoryClient client) {
      if (client instanceof Memory memory) {
        return run(new LocalKeyRing(memory, config()));
      }
      if (client instanceof Inmry managed) {
        return run(new RemoteKeyRing(managed));
      }
      throw new ConfigurationException("Keys are kept by a local store or a server; the runtime "
          + client.getClass().getName() + " is neither");
    }

    abstract int run(KeyRing keys);

    void printKey(Map<String, Object> key) {
      out().println(key.get("key_id") + "  project " + key.get("project_id") + "  scopes "
          + key.get("scopes") + "  name '" + key.get("name") + "'  hint " + key.get("hint")
          + (key.get("revoked_at") == null ? "" : "  revoked " + key.get("revoked_at"))
          + (key.get("expires_at") == null ? "" : "  expires " + key.get("expires_at"))
          + "  used " + key.get("usage_count"));
    }
  }

  @Command(name = "create", description = "Create a key; its secret is printed once.")
  static final class Create extends KeyCommand {
    @Option(names = "--project", paramLabel = "ID",
        description = "Its project (created when absent; default: the calling key's own).")
    @Nullable String project;

    @Option(names = "--project-name", paramLabel = "NAME",
        description = "The name of the project created (without --project: a new project).")
    @Nullable String projectName;

    @Option(names = "--name", paramLabel = "NAME", description = "What the key is for.")
    @Nullable String name;

    @Option(names = "--scope", paramLabel = "SCOPE", split = ",",
        description = "read, write, keys, admin, webhooks (comma-separated; default read,write).")
    @Nullable List<String> scopes;

    @Option(names = "--expires", paramLabel = "INSTANT",
        description = "When it stops working (ISO-8601); default never.")
    @Nullable Instant expires;

    @Override
    int run(KeyRing keys) {
      Map<String, Object> key = keys.create(project, projectName, name, scopes, expires);
      print(key, () -> {
        out().println(key.get("key"));
        printKey(key);
        out().println("(the key is shown once: only its hash is stored)");
      });
      return ExitCodes.OK;
    }
  }

  @Command(name = "list", description = "List a project's keys, revoked ones included.")
  static final class ListKeys extends KeyCommand {
    @Option(names = "--project", paramLabel = "ID",
        description = "The project (required on a local store; default the calling key's own).")
    @Nullable String project;

    @Override
    int run(KeyRing keys) {
      List<Map<String, Object>> all = keys.list(project);
      print(Map.of("keys", all), () -> all.forEach(this::printKey));
      return ExitCodes.OK;
    }
  }

  @Command(name = "revoke", description = "Revoke a key, effective on its next request.")
  static final class Revoke extends KeyCommand {
    @Parameters(paramLabel = "KEY_ID", description = "The key's id (key_…), not its secret.")
    String keyId = "";

    @Override
    int run(KeyRing keys) {
      Map<String, Object> key = keys.revoke(keyId);
      print(key, () -> printKey(key));
      return ExitCodes.OK;
    }
  }
}
