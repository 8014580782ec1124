package io.inmemory.engine.spi;

import java.util.List;

/**
 * What {@link Extractor#reconcile} reads: new facts and the current memories they may repeat,
 * update or supersede. Immutable; the lists are unmodifiable copies.
 *
 * @param facts the new facts; not empty
 * @param candidates related memories of the scope; possibly empty
 * @param instructions the call's application instructions (the extractor adds its configured
 *     ones before them)
 */
public record ReconciliationInput(List<Fact> facts, List<Candidate> candidates,
    List<String> instructions) {

  public ReconciliationInput {
    facts = List.copyOf(facts);
    if (facts.isEmpty()) {
      throw new IllegalArgumentException("nothing to reconcile: no facts");
    }
    candidates = List.copyOf(candidates);
    instructions = List.copyOf(instructions);
  }
}
