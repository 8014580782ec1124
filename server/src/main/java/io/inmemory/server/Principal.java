package io.inmemory.server;

import io.inmemory.InvalidRequestException;
import io.inmemory.PermissionDeniedException;
import io.inmemory.engine.tenant.KeyScope;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Who is calling: an authenticated key. The bootstrap admin key from the environment has no
 * project ({@code projectId} null) and can manage projects and keys but reach no memories.
 *
 * @param keyId the key's id ({@value #BOOTSTRAP_ID} for the bootstrap admin key)
 * @param projectId the key's project, or {@code null} for the bootstrap admin key
 * @param scopes what the key may do
 */
record Principal(String keyId, @Nullable String projectId, Set<KeyScope> scopes) {
  static final String BOOTSTRAP_ID = "bootstrap-admin";

  Principal {
    scopes = Set.copyOf(scopes);
  }

  static Principal bootstrapAdmin() {
    return new Principal(BOOTSTRAP_ID, null, Set.of(KeyScope.ADMIN));
  }

  boolean isAdmin() {
    return scopes.contains(KeyScope.ADMIN);
  }

  /**
   * The project a call acts on: {@code named} (its {@code project_id} parameter), else the key's
   * own; another project only with an admin key.
   *
   * @param action what the call does there, for the refusal, such as "list another project's
   *     keys"
   * @throws InvalidRequestException when neither names a project (the bootstrap admin key)
   * @throws PermissionDeniedException when a key without admin names another project
   */
  String project(@Nullable String named, String action) {
    String target = named != null ? named : projectId;
    if (target == null) {
      throw new InvalidRequestException("projectId", "is required with the bootstrap admin key");
    }
    if (!isAdmin() && !target.equals(projectId)) {
      throw new PermissionDeniedException("Only an admin key can " + action);
    }
    return target;
  }

  /** Whether the key holds {@code scope}; {@link KeyScope#ADMIN} holds every scope. */
  boolean has(KeyScope scope) {
    return isAdmin() || scopes.contains(scope);
  }
}
