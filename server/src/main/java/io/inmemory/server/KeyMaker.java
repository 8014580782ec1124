package io.inmemory.server;

import io.inmemory.InvalidRequestException;
import io.inmemory.NotFoundException;
import io.inmemory.PermissionDeniedException;
import io.inmemory.Validation;
import io.inmemory.engine.tenant.AccessStore;
import io.inmemory.engine.tenant.ApiKeyRecord;
import io.inmemory.engine.tenant.KeyScope;
import io.inmemory.engine.tenant.Project;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes, lists and revokes API keys in an {@link AccessStore} for a caller, with the rules of
 * who may do what — the part of {@link ApiKeys} that needs no running server, shared with
 * {@link LocalKeys} so that a key made offline is the same as one made by the server. A key is
 * its prefix followed by 43 base62 characters of {@link SecureRandom}; only its SHA-256 (hex) is
 * stored. Thread-safe (as the access store).
 */
final class KeyMaker {
  private static final Logger LOG = LoggerFactory.getLogger(KeyMaker.class);
  private static final int KEY_CHARS = 43;
  private static final int HINT_CHARS = 4;
  private static final Set<KeyScope> DEFAULT_SCOPES = Set.of(KeyScope.READ, KeyScope.WRITE);

  private final AccessStore access;
  private final String prefix;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  KeyMaker(AccessStore access, String prefix, Clock clock) {
    this.access = access;
    this.prefix = prefix;
    this.clock = clock;
  }

  /** A key's or project's name: at most 200 characters, no control characters, well-formed. */
  private static void checkName(List<InvalidRequestException.Violation> problems, String field,
      String name) {
    if (name.length() > 200 || name.chars().anyMatch(Character::isISOControl)
        || !Validation.isWellFormedText(name)) {
      problems.add(new InvalidRequestException.Violation(field, "must be at most 200"
          + " characters without control characters or lone UTF-16 surrogates"));
    }
  }

  /**
   * Creates a key in {@code projectId} (the caller's own when null); an admin naming a project
   * that does not exist creates it. The caller's scopes are checked by the caller.
   */
  CreatedKey generate(Principal caller, @Nullable String projectId, @Nullable String projectName,
      @Nullable String name, @Nullable Set<KeyScope> scopes, @Nullable Instant expiresAt) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    Set<KeyScope> granted = scopes == null ? DEFAULT_SCOPES : scopes;
    List<InvalidRequestException.Violation> problems = new ArrayList<>();
    if (granted.isEmpty()) {
      problems.add(new InvalidRequestException.Violation("scopes", "must name at least one"
          + " scope"));
    }
    if (expiresAt != null && !expiresAt.isAfter(now)) {
      problems.add(new InvalidRequestException.Violation("expiresAt", "must be in the future"));
    }
    String keyName = name == null ? "" : name;
    checkName(problems, "name", keyName);
    if (projectName != null) {
      checkName(problems, "projectName", projectName);
    }
    String target = projectId != null ? projectId : caller.projectId();
    if (target == null && projectName == null) {
      problems.add(new InvalidRequestException.Violation("projectId", "is required with the"
          + " bootstrap admin key (or give projectName to create a project)"));
    }
    if (projectId != null && !Project.isValidId(projectId)) {
      problems.add(new InvalidRequestException.Violation("projectId", "must be " + Project.ID_RULE));
    }
    if (!problems.isEmpty()) {
      throw new InvalidRequestException(problems);
    }
    if (!caller.isAdmin()) {
      if (!target.equals(caller.projectId())) {
        throw new PermissionDeniedException("Only an admin key can create keys for another"
            + " project");
      }
      if (!caller.scopes().containsAll(granted)) {
        throw new PermissionDeniedException("A key can only grant scopes it holds: "
            + KeysJson.scopes(caller.scopes()));
      }
    }
    if (target == null) {
      target = RandomIds.projectId(random);
    }
    if (access.project(target).isEmpty()) {
      if (!caller.isAdmin()) {
        throw new NotFoundException("No project " + target);
      }
      access.createProject(new Project(target, projectName == null ? target : projectName, now));
      LOG.info("Created project {}", target);
    }
    String secret = prefix + randomBase62(KEY_CHARS);
    String id = "key_" + randomBase62(16);
    String hint = secret.substring(0, Math.min(16, prefix.length() + HINT_CHARS));
    ApiKeyRecord record = ApiKeyRecord.create(id, target, keyName,
        HexFormat.of().formatHex(sha256(secret)), hint, granted, now, expiresAt);
    access.createKey(record);
    LOG.info("Created API key {} in project {} with scopes {}", id, target, granted);
    return new CreatedKey(secret, record);
  }

  /** The keys of a project (the caller's own when null), revoked ones included. */
  List<ApiKeyRecord> list(Principal caller, @Nullable String projectId) {
    return access.keys(caller.project(projectId, "list another project's keys"));
  }

  /**
   * Revokes a key: the caller's own key always, another key of its project with the keys scope,
   * any key with the admin scope. A key of another project is reported as not found.
   */
  ApiKeyRecord revoke(Principal caller, String keyId) {
    Optional<ApiKeyRecord> found = Project.isValidId(keyId) ? access.key(keyId) : Optional.empty();
    if (found.isEmpty()
        || (!caller.isAdmin() && !found.get().projectId().equals(caller.projectId()))) {
      throw new NotFoundException("No API key " + keyId);
    }
    if (!keyId.equals(caller.keyId())) {
      require(caller, KeyScope.KEYS);
    }
    ApiKeyRecord revoked = access.revokeKey(keyId, clock.instant())
        .orElseThrow(() -> new NotFoundException("No API key " + keyId));
    LOG.info("Revoked API key {}", keyId);
    return revoked;
  }

  /**
   * Checks {@code caller} holds {@code scope}.
   *
   * @throws PermissionDeniedException when it does not
   */
  static void require(Principal caller, KeyScope scope) {
    if (!caller.has(scope)) {
      throw new PermissionDeniedException("This API key lacks the '"
          + scope.name().toLowerCase(Locale.ROOT) + "' scope");
    }
  }
  /** The SHA-256 of a key: only this is stored. */
  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
  private String randomBase62(int length) {
    return RandomIds.base62(random, length);
  }
}
