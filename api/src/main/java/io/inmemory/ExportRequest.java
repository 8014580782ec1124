package io.inmemory;

import org.jspecify.annotations.Nullable;

/**
 * What an export covers. Immutable.
 *
 * @param scope the memories of one scope, or {@code null} for every owner the client's project
 *     (or the local store's namespace) holds
 * @param deleted whether deleted memories' histories are included
 * @param embeddings whether memories' embeddings are included
 * @param history whether memories' histories are included; without them a restore records one add
 *     per memory, and deleted memories are left out whatever {@code deleted} says
 */
public record ExportRequest(@Nullable Scope scope, boolean deleted, boolean embeddings,
    boolean history) {

  /** Everything: every owner, deleted memories, embeddings and histories. */
  public static ExportRequest all() {
    return new ExportRequest(null, true, true, true);
  }

  /** Everything of one scope. */
  public static ExportRequest of(Scope scope) {
    return new ExportRequest(scope, true, true, true);
  }

  /** Whether deleted memories are exported: asked for, and histories with them. */
  public boolean includesDeleted() {
    return deleted && history;
  }
}
