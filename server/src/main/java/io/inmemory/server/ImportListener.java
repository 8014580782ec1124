package io.inmemory.server;

import io.inmemory.RestoreResult;
import java.util.Map;
import java.util.Objects;

/**
 * Told when an import run finishes: the client marked its last chunk ({@code POST /v1/import?
 * import_run=<id>&final=true}). The hook for webhooks' "import finished" event. Called on the
 * request's thread after the last chunk is stored, before its answer is sent; an implementation
 * must be quick and thread-safe, and must not throw.
 */
interface ImportListener {
  /** Does nothing. */
  ImportListener NONE = (projectId, summary) -> { };

  void finished(String projectId, ImportSummary summary);

  /**
   * What an import run did, as far as this server process saw it: the counts of every chunk of
   * the run it answered (a run whose chunks went to several servers is counted by each).
   *
   * @param importRun the run's id, as the client gave it
   * @param counts how many lines had each outcome
   */
  record ImportSummary(String importRun, Map<RestoreResult.Outcome, Long> counts) {
    public ImportSummary {
      Objects.requireNonNull(importRun, "importRun");
      counts = Map.copyOf(counts);
    }
  }
}
