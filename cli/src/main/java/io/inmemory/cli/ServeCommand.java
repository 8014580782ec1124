package io.inmemory.cli;

import io.inmemory.server.InMemoryServer;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code inmemory serve [dev|prod]}: the InMemory server ({@link InMemoryServer#run}) on the store
 * the connection options name, by default the file store in {@code ~/.inmemory/data}; runs until
 * the process is stopped (Ctrl-C or a signal close it gracefully). Logging is the server's own.
 */
@Command(name = ServeCommand.NAME, mixinStandardHelpOptions = true,
    description = "Run the InMemory server (dev: loopback, generated admin key; prod: INMEMORY_HOST,"
        + " INMEMORY_ADMIN_KEY). Configured by INMEMORY_* variables, -D and the store options.")
final class ServeCommand implements Callable<Integer> {
  static final String NAME = "serve";

  @Spec
  @Nullable CommandSpec spec;

  @Parameters(paramLabel = "MODE", arity = "0..1", description = "dev (default) or prod.")
  @Nullable String mode;

  @Override
  public Integer call() throws InterruptedException {
    CommandSpec command = Objects.requireNonNull(spec);
    // the top command's options, which every command inherits
    Connection connection = (Connection) command.root().mixins().get("connection").userObject();
    if (connection.server != null) {
      throw new ParameterException(command.commandLine(),
          "serve runs a server: --server names one to use instead");
    }
    InMemoryServer.run(connection.serverSources(),
        mode == null ? new String[0] : new String[] {mode});
    // the server's threads serve until the JVM stops; its shutdown hook closes it
    Thread.currentThread().join();
    return ExitCodes.OK;
  }
}
