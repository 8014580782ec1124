package io.inmemory.server;

import io.inmemory.server.Route.Access;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dashboard: one page at {@code /dashboard} and its scripts, styles and icon, served from
 * the jar ({@code io/inmemory/server/dashboard/}). The page holds no data: it signs in with an API
 * key kept in the tab's {@code sessionStorage} and calls the REST API with it. Every reply carries
 * a strict Content-Security-Policy (own scripts and styles only, no inline code, Trusted Types
 * forbidding HTML strings, no framing) and the usual hardening headers, so an injected value
 * cannot run script and read the key. Thread-safe.
 */
final class Dashboard {
  static final String ROOT = "io/inmemory/server/dashboard/";
  /** The policy every dashboard reply carries. */
  static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
      + " img-src 'self' data:; connect-src 'self'; form-action 'none'; frame-ancestors 'none';"
      + " base-uri 'none'; require-trusted-types-for 'script'; trusted-types 'none'";
  static final Map<String, String> ASSETS = Map.of(
      "app.js", "text/javascript; charset=utf-8",
      "api.js", "text/javascript; charset=utf-8",
      "dom.js", "text/javascript; charset=utf-8",
      "views.js", "text/javascript; charset=utf-8",
      "chart.js", "text/javascript; charset=utf-8",
      "dashboard.css", "text/css; charset=utf-8",
      "favicon.svg", "image/svg+xml");

  private final StaticAssets page;
  private final StaticAssets assets;

  Dashboard() {
    // the page may change with the jar, and reveals nothing: never kept; assets revalidated
    this.page = new StaticAssets("dashboard", ROOT,
        Map.of("index.html", "text/html; charset=utf-8"), headers("no-store"));
    this.assets = new StaticAssets("dashboard", ROOT, ASSETS, headers("no-cache"));
  }

  private static Map<String, String> headers(String cacheControl) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Security-Policy", POLICY);
    headers.put("X-Content-Type-Options", "nosniff");
    headers.put("X-Frame-Options", "DENY");
    headers.put("Referrer-Policy", "no-referrer");
    headers.put("Cross-Origin-Opener-Policy", "same-origin");
    headers.put("Cross-Origin-Resource-Policy", "same-origin");
    headers.put("Cache-Control", cacheControl);
    return headers;
  }

  /** The dashboard's routes: the page and its assets, public (the page holds no data). */
  List<Route> routes() {
    return List.of(
        new Route("GET", "/dashboard", "dashboard",
            "The dashboard: a page that signs in with an API key.", "system", Access.PUBLIC,
            List.of(), null, 200, null, call -> page.asset("index.html")),
        new Route("GET", "/dashboard/{asset}", "dashboardAsset",
            "A script, style sheet or icon of the dashboard.", "system", Access.PUBLIC,
            List.of(), null, 200, null, call -> assets.asset(call.path("asset"))));
  }
}
