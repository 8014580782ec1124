package io.inmemory.cli;

import io.inmemory.transport.http.Inmry;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A server's keys, over its key routes ({@code POST /v1/auth/generate-key}, {@code GET
 * /v1/auth/keys}, {@code DELETE /v1/auth/revoke-key}) through {@link ServerCalls}. Not
 * thread-safe.
 */
final class RemoteKeyRing implements KeyRing {
  private final ServerCalls server;

  RemoteKeyRing(Inmry client) {
    this.server = new ServerCalls(client);
  }

  @Override
  public Map<String, Object> create(@Nullable String project, @Nullable String projectName,
      @Nullable String name, @Nullable List<String> scopes, @Nullable Instant expiresAt) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("project_id", project);
    body.put("project_name", projectName);
    body.put("name", name);
    body.put("scopes", scopes);
    body.put("expires_at", expiresAt == null ? null : expiresAt.toString());
    body.values().removeIf(value -> value == null);
    return ServerCalls.document(server.send("POST", "/v1/auth/generate-key", body));
  }

  @Override
  public List<Map<String, Object>> list(@Nullable String project) {
    return ServerCalls.documents(server.get("/v1/auth/keys"
        + (project == null ? "" : "?project_id=" + ServerCalls.query(project))).path("keys"));
  }

  @Override
  public Map<String, Object> revoke(String keyId) {
    return ServerCalls.document(server.delete("/v1/auth/revoke-key?key_id="
        + ServerCalls.query(keyId)));
  }
}
