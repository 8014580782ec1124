package io.inmemory.server;

import io.inmemory.ConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;

/**
 * The interactive documentation: a Swagger UI page over {@code /openapi.json}, its assets served
 * from the {@code org.webjars:swagger-ui} jar on the classpath (never fetched from the network).
 * Only the assets the page uses are served. Thread-safe.
 */
final class Docs {
  private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";
  private static final Map<String, String> ASSETS = Map.of(
      "swagger-ui.css", "text/css",
      "index.css", "text/css",
      "swagger-ui-bundle.js", "text/javascript",
      "swagger-ui-standalone-preset.js", "text/javascript",
      "favicon-16x16.png", "image/png",
      "favicon-32x32.png", "image/png");
  private static final String PAGE = """
      <!DOCTYPE html>
      <html lang="en">
      <head>
        <meta charset="UTF-8">
        <title>InMemory API</title>
        <link rel="stylesheet" href="/docs/swagger-ui.css">
        <link rel="stylesheet" href="/docs/index.css">
        <link rel="icon" type="image/png" href="/docs/favicon-32x32.png" sizes="32x32">
      </head>
      <body>
        <div id="swagger-ui"></div>
        <script src="/docs/swagger-ui-bundle.js"></script>
        <script src="/docs/swagger-ui-standalone-preset.js"></script>
        <script>
          window.ui = SwaggerUIBundle({url: "/openapi.json", dom_id: "#swagger-ui",
            presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
            layout: "StandaloneLayout"});
        </script>
      </body>
      </html>
      """;

  private final StaticAssets assets;

  /** @throws ConfigurationException when the Swagger UI webjar is not on the classpath */
  Docs() {
    this.assets = new StaticAssets("documentation", WEBJAR + webjarVersion() + "/", ASSETS,
        Map.of("Cache-Control", "public, max-age=86400"));
  }

  private static String webjarVersion() {
    try (InputStream in = StaticAssets.resource(
        "META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
      if (in == null) {
        throw new ConfigurationException("The Swagger UI webjar (org.webjars:swagger-ui) is not"
            + " on the classpath: add it or set INMEMORY_ENABLE_DOCS=false");
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Reply page() {
    return new Reply(200, "text/html; charset=utf-8", PAGE.getBytes(StandardCharsets.UTF_8),
        Map.of());
  }

  Reply asset(String name) {
    return assets.asset(name);
  }
}
