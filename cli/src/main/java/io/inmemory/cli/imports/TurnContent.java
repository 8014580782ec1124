package io.inmemory.bench;

import io.inmemory.bench.LocomoDataset.Turn;
import java.util.Arrays;
import java.util.Locale;

/**
 * How a conversation turn becomes the content of one memory. Each mode is what a generic chat
 * importer could do with any conversation; none relies on knowing the questions.
 */
enum TurnContent {
  /** The words said, nothing else. */
  TEXT,
  /** The words said, then {@code " [image: caption]"} when an image was shared. */
  CAPTION,
  /** {@code "Speaker: "}, the words said and the image caption as in {@link #CAPTION}. */
  SPEAKER;

  /**
   * The memory content of a turn: blank exactly when the mode keeps nothing of it, so that every
   * mode skips the same empty turns.
   */
  String form(Turn turn) {
    String said = turn.text().strip();
    if (this != TEXT && turn.caption() != null) {
      said = (said + " [image: " + turn.caption() + "]").strip();
    }
    return this == SPEAKER && !said.isEmpty() ? turn.speaker() + ": " + said : said;
  }

  /** The mode's option value, such as {@code caption}. */
  String optionName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The mode named by an option value.
   *
   * @throws IllegalArgumentException naming the valid values when there is no such mode
   */
  static TurnContent fromOption(String value) {
    return Arrays.stream(values()).filter(mode -> mode.optionName().equals(value)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("--content must be one of "
            + Arrays.stream(values()).map(TurnContent::optionName).toList() + ", was " + value));
  }
}
