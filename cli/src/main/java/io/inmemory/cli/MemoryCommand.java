package io.inmemory.cli;

import io.inmemory.InMemoryConfig;
import io.inmemory.Limits;
import io.inmemory.MemoryClient;
import io.inmemory.MemoryClients;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * A command over the memories the connection options name: opens the runtime, runs, closes it
 * (flushing a local store) whatever happens. Prints one JSON document with {@code --json} (the
 * REST API's answer to the same request), else lines for people. Failures are thrown and become
 * one line and an exit status in {@link InMemoryCli}. One instance per run; not thread-safe.
 */
@Command(mixinStandardHelpOptions = true)
abstract class MemoryCommand implements Callable<Integer> {
  @ParentCommand
  @Nullable InMemoryCli cli;

  @Spec
  @Nullable CommandSpec spec;

  private @Nullable Limits limits;

  @Override
  public final Integer call() {
    InMemoryConfig config = cli().connection.config(cli().sources());
    limits = Limits.from(config);
    try (MemoryClient client = MemoryClients.create(config)) {
      return run(client);
    }
  }

  /** Does the work; returns the exit status (failures are thrown). */
  abstract int run(MemoryClient client);

  /** The size limits of the configuration, for what the command reads itself (filters). */
  Limits limits() {
    return Objects.requireNonNull(limits, "limits before call()");
  }

  /** Prints {@code document} with {@code --json}, else {@code human}'s lines. */
  void print(Map<String, Object> document, Runnable human) {
    if (cli().json) {
      out().println(Json.write(document));
    } else {
      human.run();
    }
    out().flush();
  }

  private InMemoryCli cli() {
    return Objects.requireNonNull(cli, "run as a subcommand of InMemoryCli");
  }

  PrintWriter out() {
    return Objects.requireNonNull(spec).commandLine().getOut();
  }
}
