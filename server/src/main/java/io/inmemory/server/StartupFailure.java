package io.inmemory.server;

import io.inmemory.ConfigurationException;
import io.inmemory.InMemoryException;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * Why the runnable server did not start: one line saying what failed and what to do, and the exit
 * status — {@value #CONFIGURATION} for a wrong setting, {@value #ENVIRONMENT} when the machine
 * refused (a port in use, a store that is locked or cannot be written). A failure the server
 * cannot explain keeps its stack trace. Immutable.
 */
final class StartupFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The exit status of an invalid configuration (as of an unknown argument). */
  static final int CONFIGURATION = 2;
  /** The exit status of a start-up refused by the machine: port, store, files. */
  static final int ENVIRONMENT = 1;

  private final int status;
  private final boolean explained;

  private StartupFailure(String message, int status, @Nullable Throwable cause,
      boolean explained) {
    super(message, cause, false, false);
    this.status = status;
    this.explained = explained;
  }

  /** The process's exit status. */
  int status() {
    return status;
  }

  /**
   * What {@code failure}, thrown while starting, means for the person starting the server.
   *
   * @param settings the settings the server started with, or null when they were invalid
   */
  static StartupFailure of(RuntimeException failure, @Nullable ServerSettings settings) {
    if (failure instanceof StartupFailure known) {
      return known;
    }
    if (failure instanceof ConfigurationException invalid) {
      return new StartupFailure(String.join("; ", invalid.problems()), CONFIGURATION, failure,
          true);
    }
    for (Throwable cause = failure; cause != null && settings != null;
        cause = cause.getCause()) {
      if (cause instanceof BindException bind) {
        return cannotListen(settings.host(), settings.port(), bind);
      }
      if (cause instanceof UnresolvedAddressException) {
        return unknownHost(settings.host());
      }
    }
    if (failure instanceof InMemoryException known) {
      return new StartupFailure(known.getMessage(), ENVIRONMENT, failure, true);
    }
    return new StartupFailure(failure.toString(), ENVIRONMENT, failure, false);
  }

  /**
   * Checks that the server can listen on {@code host} and {@code port} before anything slow or
   * exclusive happens (loading the model, opening and locking the store), by binding once and
   * letting go. Port 0 always can.
   *
   * @throws StartupFailure when the host is unknown or the address cannot be bound
   */
  static void requireListenable(String host, int port) {
    InetAddress address;
    try {
      address = InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw unknownHost(host);
    }
    if (port == 0) {
      return;
    }
    try (ServerSocket probe = new ServerSocket()) {
      // as Jetty binds: an address in TIME_WAIT after a restart is free
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(address, port));
    } catch (IOException e) {
      throw cannotListen(host, port, e);
    }
  }

  /**
   * Logs the failure as one line at ERROR (with the stack trace only when unexplained, and at
   * DEBUG otherwise), or prints it on standard error when the log is off, so it is never silent.
   */
  void report(Logger log) {
    String line = "The InMemory server did not start: " + getMessage();
    if (!log.isErrorEnabled()) {
      System.err.println(line);
    } else if (explained) {
      log.error(line);
      log.debug("What failed to start", getCause());
    } else {
      log.error(line, getCause());
    }
  }

  private static StartupFailure unknownHost(String host) {
    return new StartupFailure(ServerSettings.HOST.envName() + "=" + host + " is not a known host"
        + " name or address. Set it to an address of this machine: 0.0.0.0 for every interface,"
        + " 127.0.0.1 for this machine only.", CONFIGURATION, null, true);
  }

  private static StartupFailure cannotListen(String host, int port, IOException e) {
    String reason = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    String advice;
    if (reason.contains("in use")) {
      advice = "another process listens there. Stop it, or set "
          + ServerSettings.PORT.envName() + " to a free port (0 picks one)";
    } else if (reason.contains("assign")) {
      advice = host + " is not an address of this machine. Set "
          + ServerSettings.HOST.envName() + " to one of its addresses (0.0.0.0 for every"
          + " interface)";
    } else if (reason.contains("permission") || reason.contains("access")) {
      advice = "permission denied (ports below 1024 need privileges). Set "
          + ServerSettings.PORT.envName() + " to 1024 or above";
    } else {
      advice = e.getMessage() + ". Check " + ServerSettings.HOST.envName() + " and "
          + ServerSettings.PORT.envName();
    }
    return new StartupFailure("Cannot listen on " + host + ":" + port + ": " + advice + ".",
        ENVIRONMENT, e, true);
  }
}
