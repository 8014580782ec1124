package io.inmemory.engine.tenant;

import io.inmemory.ConflictException;
import io.inmemory.NotFoundException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An {@link AccessStore} held in the heap, for stores that keep their access records in memory
 * and persist each change themselves (the volatile store; the file store's log). Every change is
 * expressed as whole records to put — a new or changed project or key — handed to the
 * {@link Journal} after validation and before the table changes, so a journal that throws leaves
 * the table as it was.
 *
 * <p>Thread-safe: every method runs under the table's monitor, journal calls included, so the
 * journal sees changes in the order the table applies them. After {@link #close()} every method
 * throws {@link IllegalStateException}.
 * */
public final class AccessTable implements AccessStore {
  private static final Comparator<Project> PROJECT_ORDER =
      Comparator.comparing(Project::createdAt).thenComparing(Project::id);
  private static final Comparator<ApiKeyRecord> KEY_ORDER =
      Comparator.comparing(ApiKeyRecord::createdAt).thenComparing(ApiKeyRecord::id);

  /** Persists changes before the table applies them. */
  public interface Journal {
    /** Persists a new project. */
    void putProject(Project project);

    /** Persists new or changed keys, all or none. */
    void putKeys(List<ApiKeyRecord> keys);
  }

  /** A journal that persists nothing, for stores whose records live only in the heap. */
  public static final Journal NO_JOURNAL = new Journal() {
    @Override
    public void putProject(Project project) {}

    @Override
    public void putKeys(List<ApiKeyRecord> keys) {}
  };

  private final Journal journal;
  private final @Nullable WebhookStore webhooks;
  private final Map<String, Project> projects = new HashMap<>();
  private final Map<String, ApiKeyRecord> keysById = new HashMap<>();
  private final Map<String, String> keyIdByHash = new HashMap<>();
  private boolean closed;

  /** A table whose store keeps no webhooks. */
  public AccessTable(Journal journal) {
    this.journal = Objects.requireNonNull(journal, "journal");
    this.webhooks = null;
  }

  /** A table whose {@link #webhooks()} is {@code webhooks}, kept by the same store. */
  public AccessTable(Journal journal, WebhookStore webhooks) {
    this.journal = Objects.requireNonNull(journal, "journal");
    this.webhooks = Objects.requireNonNull(webhooks, "webhooks");
  }

  @Override
  public Optional<WebhookStore> webhooks() {
    return Optional.ofNullable(webhooks);
  }

  /** Puts a project read back from storage, without journaling it. */
  public synchronized void restore(Project project) {
    projects.put(project.id(), project);
  }

  /** Puts a key read back from storage (new or a later version), without journaling it. */
  public synchronized void restore(ApiKeyRecord key) {
    ApiKeyRecord previous = keysById.put(key.id(), key);
    if (previous != null) {
      keyIdByHash.remove(previous.hash());
    }
    keyIdByHash.put(key.hash(), key.id());
  }

  /** Every key of every project, for snapshots. */
  public synchronized List<ApiKeyRecord> allKeys() {
    ensureOpen();
    return keysById.values().stream().sorted(KEY_ORDER).toList();
  }

  @Override
  public synchronized void createProject(Project project) {
    ensureOpen();
    if (projects.containsKey(project.id())) {
      throw new ConflictException("project " + project.id() + " already exists");
    }
    journal.putProject(project);
    projects.put(project.id(), project);
  }

  @Override
  public synchronized Optional<Project> project(String id) {
    ensureOpen();
    return Optional.ofNullable(projects.get(id));
  }

  @Override
  public synchronized List<Project> projects() {
    ensureOpen();
    return projects.values().stream().sorted(PROJECT_ORDER).toList();
  }

  @Override
  public synchronized void createKey(ApiKeyRecord key) {
    ensureOpen();
    if (!projects.containsKey(key.projectId())) {
      throw new NotFoundException("project " + key.projectId() + " does not exist");
    }
    if (keysById.containsKey(key.id())) {
      throw new ConflictException("API key " + key.id() + " already exists");
    }
    if (keyIdByHash.containsKey(key.hash())) {
      throw new ConflictException("an API key with the same hash already exists");
    }
    journal.putKeys(List.of(key));
    restore(key);
  }

  @Override
  public synchronized Optional<ApiKeyRecord> keyByHash(String hash) {
    ensureOpen();
    return Optional.ofNullable(keyIdByHash.get(hash)).map(keysById::get);
  }

  @Override
  public synchronized Optional<ApiKeyRecord> key(String id) {
    ensureOpen();
    return Optional.ofNullable(keysById.get(id));
  }

  @Override
  public synchronized List<ApiKeyRecord> keys(String projectId) {
    ensureOpen();
    return keysById.values().stream().filter(key -> key.projectId().equals(projectId))
        .sorted(KEY_ORDER).toList();
  }

  @Override
  public synchronized Optional<ApiKeyRecord> revokeKey(String id, Instant at) {
    ensureOpen();
    ApiKeyRecord key = keysById.get(id);
    if (key == null) {
      return Optional.empty();
    }
    ApiKeyRecord revoked = key.revokedAt(at);
    if (revoked != key) {
      journal.putKeys(List.of(revoked));
      restore(revoked);
    }
    return Optional.of(revoked);
  }

  @Override
  public synchronized void recordUsage(List<KeyUsage> usages) {
    ensureOpen();
    List<ApiKeyRecord> updated = new ArrayList<>();
    for (KeyUsage usage : KeyUsage.perKey(usages)) {
      ApiKeyRecord key = keysById.get(usage.keyId());
      if (key != null) {
        updated.add(key.plus(usage));
      }
    }
    if (updated.isEmpty()) {
      return;
    }
    journal.putKeys(updated);
    updated.forEach(this::restore);
  }

  /** Makes every later call throw {@link IllegalStateException} and drops the records. */
  public synchronized void close() {
    closed = true;
    projects.clear();
    keysById.clear();
    keyIdByHash.clear();
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the store is closed");
    }
  }
}
