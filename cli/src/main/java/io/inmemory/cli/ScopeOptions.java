package io.inmemory.cli;

import io.inmemory.Scope;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Whose memories a command reads or writes: a picocli mixin; not thread-safe. */
final class ScopeOptions {
  @Spec(Spec.Target.MIXEE)
  @Nullable CommandSpec command;

  @Option(names = {"-u", "--user"}, paramLabel = "USER", description = "The user's memories.")
  @Nullable String user;

  @Option(names = "--agent", paramLabel = "AGENT",
      description = "The agent: with --user, memories it recorded; alone, its own memories.")
  @Nullable String agent;

  @Option(names = "--session", paramLabel = "SESSION",
      description = "Only the memories of this session.")
  @Nullable String session;

  /**
   * The scope the options name.
   *
   * @throws ParameterException (a usage error) when neither a user nor an agent is given
   * @throws io.inmemory.InvalidRequestException when an id is not valid
   */
  Scope scope() {
    if (user == null && agent == null) {
      throw new ParameterException(java.util.Objects.requireNonNull(command).commandLine(),
          "Missing --user (or --agent, for an agent's own memories)");
    }
    return new Scope(user, agent, session);
  }
}
