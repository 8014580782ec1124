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
import picocli.CommandLine.Spec;

/**
 * A command over the memories the connection options name: opens the runtime, runs, closes it
 * (flushing a local store) whatever happens, also when the process is interrupted (Ctrl-C: exit
 * status 130). Prints one JSON document with {@code --json} (the
 * REST API's answer to the same request), else lines for people. Failures are thrown and become
 * one line and an exit status in {@link InMemoryCli}. One instance per run; not thread-safe.
 */
@Command(mixinStandardHelpOptions = true)
abstract class MemoryCommand implements Callable<Integer> {
  @Spec
  @Nullable CommandSpec spec;

  private @Nullable Limits limits;
  private @Nullable InMemoryConfig config;

  @Override
  public final Integer call() {
    InMemoryConfig config = cli().connection.config();
    this.config = config;
    limits = Limits.from(config);
    MemoryClient client = MemoryClients.create(config);
    // Ctrl-C: the JVM exits with 130 after its shutdown hooks, this one closing the runtime, so a
    // local store is flushed and closed as on a normal exit
    Thread closer = new Thread(client::close, "inmemory-interrupted");
    Runtime.getRuntime().addShutdownHook(closer);
    try {
      return run(client);
    } finally {
      if (removed(closer)) {
        client.close();
      }
    }
  }

  /** Whether {@code hook} was removed: false once the JVM is stopping and runs it. */
  private static boolean removed(Thread hook) {
    try {
      return Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException stopping) {
      return false;
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

  /** The configuration the command runs with. */
  InMemoryConfig config() {
    return Objects.requireNonNull(config, "config before call()");
  }

  /** The top command, whose options (connection, {@code --json}) every command inherits. */
  private InMemoryCli cli() {
    return (InMemoryCli) Objects.requireNonNull(spec).root().userObject();
  }

  /** Where progress and warnings go. */
  PrintWriter err() {
    return Objects.requireNonNull(spec).commandLine().getErr();
  }

  PrintWriter out() {
    return Objects.requireNonNull(spec).commandLine().getOut();
  }
}
