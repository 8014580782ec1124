package io.inmemory.cli;

import io.inmemory.AuthenticationException;
import io.inmemory.ConfigurationException;
import io.inmemory.InvalidRequestException;
import io.inmemory.NotFoundException;
import io.inmemory.PermissionDeniedException;
import io.inmemory.RateLimitedException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The exit statuses of {@code inmemory}, as its help lists them: scripts branch on them, so each
 * is a documented kind of outcome, never an accident of where an exception was thrown.
 */
final class ExitCodes {
  static final int OK = 0;
  /** Storage, transport or anything unexpected. */
  static final int FAILURE = 1;
  /** A usage error (unknown option, missing argument) or an invalid configuration. */
  static final int USAGE = 2;
  /** The request itself is invalid: a bad filter, time phrase, limit or content. */
  static final int INVALID = 3;
  static final int NOT_FOUND = 4;
  /** The key is missing, unknown, expired or lacks the scope. */
  static final int DENIED = 5;
  /** Finished, but some items failed (several ids to delete, some absent). */
  static final int PARTIAL = 6;
  /** The server still refused after the client's retries. */
  static final int RATE_LIMITED = 7;
  /** Interrupted (Ctrl-C): the JVM's status for SIGINT, after the runtime was closed. */
  static final int INTERRUPTED = 130;

  /** Each status and what it means, for {@code --help}. */
  static final Map<String, String> HELP = help();

  private ExitCodes() {}

  private static Map<String, String> help() {
    Map<String, String> help = new LinkedHashMap<>();
    help.put(OK + "", "done");
    help.put(FAILURE + "", "failure (storage, server unreachable, unexpected)");
    help.put(USAGE + "", "usage error or invalid configuration");
    help.put(INVALID + "", "invalid request (filter, time phrase, content, limits)");
    help.put(NOT_FOUND + "", "memory not found");
    help.put(DENIED + "", "authentication or permission refused");
    help.put(PARTIAL + "", "finished with some items failed");
    help.put(RATE_LIMITED + "", "rate limited after retries");
    help.put(INTERRUPTED + "", "interrupted (Ctrl-C); the store was closed cleanly");
    return Collections.unmodifiableMap(help);
  }

  /** The status a command that threw {@code failure} ends with. */
  static int of(Throwable failure) {
    if (failure instanceof ConfigurationException) {
      return USAGE;
    }
    if (failure instanceof InvalidRequestException) {
      return INVALID;
    }
    if (failure instanceof NotFoundException) {
      return NOT_FOUND;
    }
    if (failure instanceof AuthenticationException
        || failure instanceof PermissionDeniedException) {
      return DENIED;
    }
    if (failure instanceof RateLimitedException) {
      return RATE_LIMITED;
    }
    return FAILURE;
  }
}
