package io.inmemory.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** A command about one memory: its id and the scope that holds it. */
abstract class OneMemoryCommand extends MemoryCommand {
  @Parameters(paramLabel = "ID", description = "The memory's id.")
  String id = "";

  @Mixin
  ScopeOptions scope = new ScopeOptions();
}
