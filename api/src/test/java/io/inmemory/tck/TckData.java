package io.inmemory.tck;

import java.util.List;
import java.util.Map;

/**
 * Data shared by the contract suites: malformed identifiers and a small corpus whose memories
 * are about clearly different things, with questions that each mean exactly one of them.
 */
public final class TckData {
  private TckData() {}

  /**
   * User ids every client must reject: empty, blank, padded, containing spaces, slashes, control
   * or non-ASCII characters, starting with a symbol, or longer than 128 characters.
   */
  public static final List<String> BAD_USER_IDS = List.of(
      "", "   ", " alice", "alice ", "al ice", "alice/bob", "alice\n", "-alice", ".alice",
      "ali\u00e7e", "ali*ce", "a".repeat(129));

  /** Memory ids every client must reject as malformed (not merely unknown). */
  public static final List<String> MALFORMED_MEMORY_IDS = List.of(
      "", " ", "has space", "../etc/passwd", "id/with/slash", "id?x=1", "-leading-dash",
      "x".repeat(65));

  /** Memories about unrelated subjects, for meaning-based search. */
  public static final List<String> CORPUS = List.of(
      "I love pizza but hate broccoli",
      "Meeting with Bob and Carol about Q4 planning tomorrow at 3pm",
      "My dog is called Rex",
      "I work as a software engineer at a bank",
      "My sister lives in Barcelona",
      "I am learning to play the piano",
      "I go running every morning before work",
      "My favourite movie is The Matrix");

  /** Questions whose answer is exactly one memory of {@link #CORPUS}: question → memory. */
  public static final Map<String, String> QUESTIONS = Map.of(
      "What food does John like?", "I love pizza but hate broccoli",
      "What is the name of my pet?", "My dog is called Rex",
      "When is the planning meeting?",
          "Meeting with Bob and Carol about Q4 planning tomorrow at 3pm",
      "Which musical instrument am I studying?", "I am learning to play the piano",
      "Which city does my sister live in?", "My sister lives in Barcelona",
      "What is my job?", "I work as a software engineer at a bank",
      "What is my morning workout?", "I go running every morning before work",
      "Which film do I like best?", "My favourite movie is The Matrix");
}
