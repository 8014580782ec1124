package io.inmemory.store.h2;

import io.inmemory.ConfigurationException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An H2 JDBC URL as the store uses it: checked to be {@code jdbc:h2:}, completed with the
 * settings the durability contract needs, and shown without secrets. Immutable.
 */
final class H2Url {
  /**
   * The name of the setting URLs come from, {@link H2StoreSettings#URL}'s, which configuration
   * errors start with. Kept here so that the URL, which that setting's parser is, needs nothing of
   * the settings.
   */
  static final String SETTING = "inmemory.store.h2.url";

  private static final String PREFIX = "jdbc:h2:";
  /**
   * Settings appended unless the URL already has them. {@code WRITE_DELAY=0}: H2 then writes each
   * commit to the database file before the commit returns (by default it may wait up to 500 ms, and
   * a process killed meanwhile loses the commit). {@code LOCK_TIMEOUT}: concurrent writers of one
   * row (API key usage) wait for each other instead of failing after H2's default of one second.
   */
  private static final List<String[]> DURABLE_SETTINGS = List.of(
      new String[] {"WRITE_DELAY", "0"},
      new String[] {"LOCK_TIMEOUT", "10000"});

  /** A password setting, in H2's {@code ;PASSWORD=} or another driver's {@code password=}. */
  private static final Pattern SECRET = Pattern.compile("(?i)(password\\s*=)[^;&]*");
  /** A scheme other than {@code file:} (mem, tcp, ssl, nio, split, zip…); not a drive letter. */
  private static final Pattern OTHER_SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9]+:");

  private final String url;
  private final String shown;

  private H2Url(String url) {
    this.url = url;
    this.shown = redact(url);
  }

  /**
   * Checks and completes a URL.
   *
   * @throws ConfigurationException when it is not an H2 URL, or an embedded one sets
   *     {@code CIPHER}
   */
  static H2Url of(String url) {
    String checked;
    try {
      checked = check(url);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(SETTING + ": " + e.getMessage());
    }
    if (isInMemory(checked)) {
      return new H2Url(checked);
    }
    H2Url completed = new H2Url(withDurableSettings(checked));
    if (!completed.server() && settingNames(checked).contains("CIPHER")) {
      // CrashRepair reads the file through H2's storage layer, which needs it unencrypted
      throw new ConfigurationException(SETTING + ": '" + completed.shown()
          + "' sets CIPHER, and H2's file encryption is not supported for an embedded database:"
          + " the store repairs the file after a crash before H2 opens it (see the store's"
          + " durability contract), which it cannot do in an encrypted file. Encrypt the disk or"
          + " the file system instead.");
    }
    return completed;
  }

  /**
   * The URL trimmed.
   *
   * @throws IllegalArgumentException when it is not an H2 URL, saying what is accepted
   */
  static String check(String url) {
    Objects.requireNonNull(url, "url");
    String trimmed = url.trim();
    if (!trimmed.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
        || trimmed.length() == PREFIX.length()) {
      throw new IllegalArgumentException("'" + redact(trimmed) + "' is not an H2 JDBC URL: use "
          + PREFIX + "file:<path> (embedded, such as " + PREFIX + "file:/var/lib/myapp/inmemory)"
          + " or " + PREFIX + "tcp://<host>:<port>/<path> (an H2 server)");
    }
    return trimmed;
  }

  /** The URL of the embedded database {@code inmemory} in {@code dir}. */
  static H2Url inDirectory(Path dir) {
    String path = dir.toAbsolutePath().resolve("inmemory").toString();
    if (path.indexOf(';') >= 0) {
      // H2 would read the rest as URL settings
      throw new IllegalArgumentException("an H2 database directory must not contain ';': " + dir);
    }
    return of(PREFIX + "file:" + path);
  }

  /** The URL to connect with, settings included. */
  String url() {
    return url;
  }

  /** The URL for messages and logs: any password setting is masked. */
  String shown() {
    return shown;
  }

  /**
   * The directory of an embedded file database ({@code jdbc:h2:file:<path>} or
   * {@code jdbc:h2:<path>}, a leading {@code ~} being the home directory), or empty for other URLs
   * (in memory, a server, H2's other file systems) and paths H2 itself will refuse.
   */
  Optional<Path> embeddedDirectory() {
    String rest = url.substring(PREFIX.length());
    int settings = rest.indexOf(';');
    String path = settings < 0 ? rest : rest.substring(0, settings);
    if (path.regionMatches(true, 0, "file:", 0, 5)) {
      path = path.substring(5);
    } else if (OTHER_SCHEME.matcher(path).lookingAt()) {
      return Optional.empty();
    }
    if (path.startsWith("~")) {
      path = System.getProperty("user.home") + path.substring(1);
    }
    try {
      Path file = Path.of(path);
      boolean explicit = file.isAbsolute() || path.startsWith("./") || path.startsWith("../");
      return explicit ? Optional.ofNullable(file.toAbsolutePath().normalize().getParent())
          : Optional.empty();
    } catch (InvalidPathException e) {
      return Optional.empty();
    }
  }

  /** Whether the database lives in this process's memory only ({@code jdbc:h2:mem:}). */
  boolean inMemory() {
    return isInMemory(url);
  }

  /** Whether the database is reached through an H2 server rather than opened in this process. */
  boolean server() {
    String rest = url.substring(PREFIX.length()).toLowerCase(Locale.ROOT);
    return rest.startsWith("tcp:") || rest.startsWith("ssl:");
  }

  /**
   * Whether several processes may use the database at once: through an H2 server, or an embedded
   * file opened with {@code AUTO_SERVER=TRUE} (the first process serves the others).
   */
  boolean shared() {
    return server() || settings(url).stream().anyMatch(
        setting -> setting[0].equals("AUTO_SERVER") && setting[1].equalsIgnoreCase("TRUE"));
  }

  /** Whether this process opens the database from a file itself: neither in memory nor a server. */
  boolean embedded() {
    return !inMemory() && !server();
  }

  private static boolean isInMemory(String url) {
    return url.substring(PREFIX.length()).toLowerCase(Locale.ROOT).startsWith("mem:");
  }

  private static String withDurableSettings(String url) {
    StringBuilder completed = new StringBuilder(url);
    List<String> present = settingNames(url);
    for (String[] setting : DURABLE_SETTINGS) {
      if (!present.contains(setting[0])) {
        completed.append(';').append(setting[0]).append('=').append(setting[1]);
      }
    }
    return completed.toString();
  }

  private static List<String> settingNames(String url) {
    return settings(url).stream().map(setting -> setting[0]).toList();
  }

  /** The URL's settings as {name in upper case, value trimmed} ("" when it has no value). */
  private static List<String[]> settings(String url) {
    List<String[]> settings = new ArrayList<>();
    String[] parts = url.split(";");
    for (int i = 1; i < parts.length; i++) {
      int equals = parts[i].indexOf('=');
      String name = equals < 0 ? parts[i] : parts[i].substring(0, equals);
      String value = equals < 0 ? "" : parts[i].substring(equals + 1);
      settings.add(new String[] {name.trim().toUpperCase(Locale.ROOT), value.trim()});
    }
    return settings;
  }

  /** {@code url} with any password setting masked. */
  static String redact(String url) {
    return SECRET.matcher(url).replaceAll("$1***");
  }

  @Override
  public String toString() {
    return shown;
  }
}
