package io.inmemory.store.mongo;

import com.mongodb.ConnectionString;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Parsing MongoDB connection strings without ever repeating their credentials. */
final class ConnectionStrings {
  /**
   * The user information of a connection string: everything between "://" and the last "@"
   * before a space or a quote — not only up to the first '/', '?' or '#', which a password
   * written without percent-encoding may hold (the driver then refuses the string, and the
   * message would show the rest of the password).
   */
  private static final Pattern USER_INFO = Pattern.compile("://([^\\s'\"]*)@");

  private ConnectionStrings() {}

  /**
   * Parses {@code uri}.
   *
   * @throws IllegalArgumentException saying what is wrong, with any credentials masked
   */
  static ConnectionString parse(String uri) {
    try {
      return new ConnectionString(uri.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + mask(uri, uri) + "' is not a MongoDB connection"
          + " string such as mongodb://host:27017/inmemory: " + mask(uri, e.getMessage()));
    }
  }

  /** {@code text} with the user information of {@code uri} (and its password alone) masked. */
  static @Nullable String mask(String uri, @Nullable String text) {
    Matcher userInfo = USER_INFO.matcher(uri);
    if (text == null || !userInfo.find()) {
      return text;
    }
    String info = userInfo.group(1);
    String masked = text.replace(info, "***");
    int colon = info.indexOf(':');
    String password = colon < 0 ? "" : info.substring(colon + 1);
    return password.isEmpty() ? masked : masked.replace(password, "***");
  }
}
