package io.inmemory.tck;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The answers of the language model behind a client under test, set by each test of
 * {@link SupersedeContract}: a runner implements it over whatever serves the model (a scripted
 * OpenAI-compatible endpoint on a loopback port), so that the contract runs the real extraction
 * path — HTTP, JSON, checks — locally and through a server alike.
 */
public interface ModelScript {

  /** The next extraction call answers these facts. */
  void nextFacts(List<ScriptedFact> facts);

  /**
   * The next reconciliation call answers what {@code decide} returns for the memories it shows
   * the model (in the order shown).
   */
  void nextDecisions(Function<List<Shown>, List<ScriptedDecision>> decide);

  /** The next model call fails with this HTTP status, which the client does not retry. */
  void failNext(int status);

  /** The next {@code times} model calls answer text that is not JSON. */
  void malformedNext(int times);

  /** Forgets answers a test set but did not use, so that the next test starts clean. */
  void reset();

  /**
   * A fact as the model states it.
   *
   * @param when the time phrase of the fact as the model wrote it, or {@code null}
   * @param sources indexes of the messages the fact comes from
   */
  record ScriptedFact(String content, List<String> people, @Nullable String topic,
      List<String> tags, @Nullable String when, List<Integer> sources) {
    public ScriptedFact {
      Objects.requireNonNull(content, "content");
      people = List.copyOf(people);
      tags = List.copyOf(tags);
      sources = List.copyOf(sources);
    }

    /** A fact from the first message with no labels and no time phrase. */
    public static ScriptedFact of(String content) {
      return new ScriptedFact(content, List.of(), null, List.of(), null, List.of(0));
    }

    /** This fact with a time phrase. */
    public ScriptedFact when(String phrase) {
      return new ScriptedFact(content, people, topic, tags, phrase, sources);
    }
  }

  /** A memory shown to the model under its reference. */
  record Shown(String ref, String content) {
  }

  /**
   * A decision as the model states it.
   *
   * @param action {@code ADD}, {@code NONE}, {@code UPDATE} or {@code SUPERSEDE}
   * @param ref the shown memory concerned, or {@code null} for {@code ADD}
   * @param content an update's new text, or {@code null}
   */
  record ScriptedDecision(int fact, String action, @Nullable String ref,
      @Nullable String content) {

    public static ScriptedDecision add(int fact) {
      return new ScriptedDecision(fact, "ADD", null, null);
    }

    public static ScriptedDecision none(int fact, String ref) {
      return new ScriptedDecision(fact, "NONE", ref, null);
    }

    public static ScriptedDecision update(int fact, String ref, String content) {
      return new ScriptedDecision(fact, "UPDATE", ref, content);
    }

    public static ScriptedDecision supersede(int fact, String ref) {
      return new ScriptedDecision(fact, "SUPERSEDE", ref, null);
    }
  }
}
