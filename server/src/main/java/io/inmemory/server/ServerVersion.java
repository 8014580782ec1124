package io.inmemory.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The server's version, from the build. */
final class ServerVersion {
  static final String CURRENT = read();

  private ServerVersion() {}

  private static String read() {
    try (InputStream in = ServerVersion.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
