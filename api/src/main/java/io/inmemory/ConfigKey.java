package io.inmemory;

import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * One configuration key: its property name, how its text value is parsed, its default
 * ({@code null} for a key without one) and the environment variable names it is also read from.
 * Immutable and thread-safe.
 *
 * <p>The environment variable is the name upper-cased with dots and dashes turned into
 * underscores ({@code inmemory.max-memory-size} → {@code INMEMORY_MAX_MEMORY_SIZE}); aliases are
 * further environment variable names (such as the seed's {@code INMEMORY_STORAGE_TYPE}).
 *
 * @param <T> the parsed type
 */
public final class ConfigKey<T> {
  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

  private final String name;
  private final Function<String, T> parser;
  private final @Nullable T defaultValue;
  private final String description;
  private final List<String> aliases;

  private ConfigKey(
      String name, Function<String, T> parser, @Nullable T defaultValue, String description,
      List<String> aliases) {
    if (!name.matches("[a-z0-9]+([.-][a-z0-9]+)*")) {
      throw new IllegalArgumentException("config key names are lower-case words joined by . or -: "
          + name);
    }
    this.name = name;
    this.parser = Objects.requireNonNull(parser, "parser");
    this.defaultValue = defaultValue;
    this.description = Objects.requireNonNull(description, "description");
    this.aliases = List.copyOf(aliases);
  }

  /**
   * A key of any type, parsed by {@code parser}, which throws {@link IllegalArgumentException}
   * with a message saying what is wrong and what is accepted.
   */
  public static <T> ConfigKey<T> of(String name, @Nullable T defaultValue,
      Function<String, T> parser, String description, String... aliases) {
    return new ConfigKey<>(name, parser, defaultValue, description, List.of(aliases));
  }

  /** A text key. */
  public static ConfigKey<String> string(
      String name, @Nullable String defaultValue, String description, String... aliases) {
    return new ConfigKey<>(name, value -> value, defaultValue, description, List.of(aliases));
  }

  /** An integer key accepting values in {@code [min, max]}. */
  public static ConfigKey<Integer> integer(
      String name, @Nullable Integer defaultValue, int min, int max, String description,
      String... aliases) {
    return new ConfigKey<>(name, value -> {
      int parsed;
      try {
        parsed = Integer.parseInt(value.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + value + "' is not a whole number");
      }
      if (parsed < min || parsed > max) {
        throw new IllegalArgumentException(parsed + " is not between " + min + " and " + max);
      }
      return parsed;
    }, defaultValue, description, List.of(aliases));
  }

  /**
   * A decimal key accepting values in {@code [min, max]}; NaN and infinities are rejected as out
   * of range.
   */
  public static ConfigKey<Double> decimal(String name, @Nullable Double defaultValue, double min,
      double max, String description, String... aliases) {
    return new ConfigKey<>(name, value -> {
      double parsed;
      try {
        parsed = Double.parseDouble(value.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + value + "' is not a number");
      }
      if (!(parsed >= min && parsed <= max)) {
        throw new IllegalArgumentException(value.trim() + " is not between " + min + " and " + max);
      }
      return parsed;
    }, defaultValue, description, List.of(aliases));
  }

  /**
   * A key naming one constant of {@code type}, ignoring case and surrounding blanks; a rejected
   * value's message lists the accepted names.
   */
  public static <E extends Enum<E>> ConfigKey<E> enumeration(String name, Class<E> type,
      @Nullable E defaultValue, String description, String... aliases) {
    E[] constants = type.getEnumConstants();
    List<String> names = Stream.of(constants).map(c -> c.name().toLowerCase(Locale.ROOT)).toList();
    int last = names.size() - 1;
    String accepted = last == 0 ? names.get(0)
        : String.join(", ", names.subList(0, last)) + " or " + names.get(last);
    return new ConfigKey<>(name, value -> {
      for (E constant : constants) {
        if (constant.name().equalsIgnoreCase(value.trim())) {
          return constant;
        }
      }
      throw new IllegalArgumentException("'" + value + "' is not " + accepted);
    }, defaultValue, description, List.of(aliases));
  }

  /**
   * A size in bytes: a whole number, optionally followed by KB, MB or GB (powers of 1024; KiB,
   * MiB and GiB are accepted too), at least {@code min}.
   */
  public static ConfigKey<Long> bytes(
      String name, @Nullable Long defaultValue, long min, String description, String... aliases) {
    return new ConfigKey<>(name, value -> {
      long parsed = parseBytes(value);
      if (parsed < min) {
        throw new IllegalArgumentException(parsed + " bytes is below the minimum of " + min);
      }
      return parsed;
    }, defaultValue, description, List.of(aliases));
  }

  /**
   * A duration key: {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h} or ISO-8601 such as
   * {@code PT10S}, between {@code min} and {@code max} (both positive).
   */
  public static ConfigKey<Duration> duration(String name, @Nullable Duration defaultValue,
      Duration min, Duration max, String description, String... aliases) {
    if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
      throw new IllegalArgumentException("a duration key's bounds are positive and ordered: "
          + min + ", " + max);
    }
    return new ConfigKey<>(name, value -> {
      Duration parsed = parseDuration(value);
      if (parsed.compareTo(min) < 0 || parsed.compareTo(max) > 0) {
        throw new IllegalArgumentException("'" + value + "' is not between " + describe(min)
            + " and " + describe(max));
      }
      return parsed;
    }, defaultValue, description, List.of(aliases));
  }

  /** A boolean key: true/false, yes/no, on/off, 1/0. */
  public static ConfigKey<Boolean> bool(
      String name, @Nullable Boolean defaultValue, String description, String... aliases) {
    return new ConfigKey<>(name, value -> switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0" -> false;
      default -> throw new IllegalArgumentException("'" + value + "' is not true or false");
    }, defaultValue, description, List.of(aliases));
  }

  /** A time zone id such as {@code Europe/Paris} or {@code UTC}. */
  public static ConfigKey<ZoneId> zone(
      String name, @Nullable ZoneId defaultValue, String description, String... aliases) {
    return new ConfigKey<>(name, value -> {
      try {
        return ZoneId.of(value.trim());
      } catch (DateTimeException e) {
        throw new IllegalArgumentException("'" + value + "' is not a time zone id such as UTC or"
            + " Europe/Paris");
      }
    }, defaultValue, description, List.of(aliases));
  }

  /** A file system path; a leading {@code ~} means the user's home directory. */
  public static ConfigKey<Path> path(
      String name, @Nullable Path defaultValue, String description, String... aliases) {
    return new ConfigKey<>(name, value -> {
      String trimmed = value.trim();
      if (trimmed.equals("~") || trimmed.startsWith("~/")) {
        trimmed = System.getProperty("user.home") + trimmed.substring(1);
      }
      return Path.of(trimmed);
    }, defaultValue, description, List.of(aliases));
  }

  /** The property name, such as {@code inmemory.store}. */
  public String name() {
    return name;
  }

  /** The environment variable read for this key. */
  public String envName() {
    return name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** Further environment variable names read for this key, in order, after {@link #envName()}. */
  public List<String> aliases() {
    return aliases;
  }

  /** The value used when no source sets the key, if any. */
  public Optional<T> defaultValue() {
    return Optional.ofNullable(defaultValue);
  }

  /** What the key controls, for documentation and error messages. */
  public String description() {
    return description;
  }

  /**
   * Parses a text value.
   *
   * @throws IllegalArgumentException with a message saying what is wrong
   */
  public T parse(String value) {
    return parser.apply(value);
  }

  @Override
  public String toString() {
    return name;
  }

  private static long parseBytes(String value) {
    String text = value.trim().toUpperCase(Locale.ROOT).replace(" ", "");
    long unit = 1;
    for (String[] suffix : new String[][] {
        {"KIB", "1024"}, {"MIB", "1048576"}, {"GIB", "1073741824"},
        {"KB", "1024"}, {"MB", "1048576"}, {"GB", "1073741824"}, {"B", "1"}}) {
      if (text.endsWith(suffix[0])) {
        unit = Long.parseLong(suffix[1]);
        text = text.substring(0, text.length() - suffix[0].length());
        break;
      }
    }
    try {
      return Math.multiplyExact(Long.parseLong(text), unit);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException("'" + value + "' is not a size such as 1048576, 512KB"
          + " or 1MB");
    }
  }

  private static Duration parseDuration(String value) {
    String text = value.trim().toLowerCase(Locale.ROOT);
    Matcher matcher = SHORT_DURATION.matcher(text);
    if (matcher.matches()) {
      long amount = Long.parseLong(matcher.group(1));
      return switch (matcher.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        default -> Duration.ofHours(amount);
      };
    }
    try {
      return Duration.parse(text.toUpperCase(Locale.ROOT));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'" + value + "' is not a duration such as 500ms, 10s,"
          + " 2m or PT10S");
    }
  }

  private static String describe(Duration duration) {
    return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
  }
}
