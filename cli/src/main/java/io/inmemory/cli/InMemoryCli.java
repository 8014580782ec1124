package io.inmemory.cli;

import io.inmemory.ConfigurationException;
import io.inmemory.InMemoryConfig;
import io.inmemory.InMemoryException;
import io.inmemory.MemoryClients;
import java.io.PrintWriter;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code inmemory} command: {@code add}, {@code search}, {@code list}, {@code get},
 * {@code history}, {@code stats} and {@code delete} memories, on the local engine (by default a
 * file store in {@code ~/.inmemory/data}; {@code --dir}, {@code --store-url}) or on a server
 * ({@code --server URL --api-key KEY}), or as the configuration keys say
 * ({@code inmemory.mode}, {@code inmemory.store}, …, {@code -Dkey=value}).
 *
 * <p>Standard output carries the result only: lines for people, or with {@code --json} the REST
 * API's JSON document on one line. A failure is one line {@code inmemory: <message>} on standard
 * error, never a stack trace, and a documented exit status (see {@code inmemory --help}): 0 done,
 * 1 failure, 2 usage or configuration, 3 invalid request, 4 not found, 5 authentication or
 * permission, 6 some items failed, 7 rate limited.
 *
 * <p>Each run opens the runtime, does one thing and closes it, so a local store is flushed when
 * the command returns. Not thread-safe: one instance per run.
 */
@Command(name = "inmemory", mixinStandardHelpOptions = true,
    versionProvider = InMemoryCli.Version.class,
    description = "Long-term memory for AI agents, from the command line.",
    exitCodeListHeading = "%nExit codes:%n",
    subcommands = {AddCommand.class, SearchCommand.class, ListCommand.class, GetCommand.class,
        HistoryCommand.class, StatsCommand.class, DeleteCommand.class, ExportCommand.class,
        ImportCommand.class,
        KeysCommand.class, WebhooksCommand.class,
        ServeCommand.class,
        CommandLine.HelpCommand.class})
public final class InMemoryCli implements Runnable {
  /** Where the commands' logging is configured: warnings and errors, on standard error. */
  static final String LOGGING = "io/inmemory/cli/logback-cli.xml";
  private static final String LOGBACK_CONFIGURATION = "logback.configurationFile";
  private static final String PREFIX = "inmemory: ";

  @Spec
  @Nullable CommandSpec spec;

  /** Where the memories are; every command inherits these options. */
  @Mixin
  final Connection connection;

  @Option(names = "--json", scope = ScopeType.INHERIT,
      description = "Print the REST API's JSON document on one line (for scripts).")
  boolean json;

  private InMemoryCli(Supplier<InMemoryConfig.Builder> sources) {
    this.connection = new Connection(sources);
  }

  /** Runs the command {@code args} name and exits with its status. */
  public static void main(String[] args) {
    CommandLine line = commandLine(InMemoryConfig::builder);
    // before anything logs: the engine's INFO lines would otherwise mix with the output; the
    // server logs as it does on its own
    if (System.getProperty(LOGBACK_CONFIGURATION) == null && !serves(line, args)) {
      System.setProperty(LOGBACK_CONFIGURATION, LOGGING);
    }
    System.exit(line.execute(args));
  }

  /** Whether {@code args} run {@code serve} (parsing logs nothing; execute parses again). */
  private static boolean serves(CommandLine line, String[] args) {
    try {
      CommandLine.ParseResult command = line.parseArgs(args).subcommand();
      return command != null && command.commandSpec().name().equals(ServeCommand.NAME);
    } catch (CommandLine.ParameterException e) {
      return false;
    }
  }

  /**
   * The command, reading the configuration from {@code sources} beneath its options (tests pass
   * isolated builders), printing on picocli's out and err writers.
   */
  static CommandLine commandLine(Supplier<InMemoryConfig.Builder> sources) {
    CommandLine line = new CommandLine(new InMemoryCli(sources));
    line.setCaseInsensitiveEnumValuesAllowed(true);
    line.getCommandSpec().usageMessage().exitCodeList(ExitCodes.HELP);
    line.setExecutionExceptionHandler((failure, command, parsed) -> {
      PrintWriter err = command.getErr();
      err.println(PREFIX + message(failure));
      err.flush();
      return ExitCodes.of(failure);
    });
    line.setParameterExceptionHandler((failure, args) -> {
      CommandLine command = failure.getCommandLine();
      PrintWriter err = command.getErr();
      err.println(PREFIX + failure.getMessage());
      err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help'.");
      err.flush();
      return ExitCodes.USAGE;
    });
    return line;
  }

  /** Without a subcommand: the usage, as a usage error. */
  @Override
  public void run() {
    throw new CommandLine.ParameterException(Objects.requireNonNull(spec).commandLine(),
        "Missing a command");
  }

  /** The one line of a failure: what went wrong, and for an unexpected one, of what kind. */
  static String message(Throwable failure) {
    if (failure instanceof ConfigurationException configuration) {
      return String.join("; ", configuration.problems());
    }
    String message = failure.getMessage();
    if (failure instanceof InMemoryException && message != null) {
      return message;
    }
    return message == null ? failure.getClass().getSimpleName()
        : failure.getClass().getSimpleName() + ": " + message;
  }

  /** {@code --version}: the version of the InMemory runtime. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"inmemory " + MemoryClients.version()};
    }
  }
}
