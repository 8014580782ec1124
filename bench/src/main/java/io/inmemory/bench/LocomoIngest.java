package io.inmemory.bench;

import java.util.Arrays;
import java.util.Locale;

/** How the {@code locomo} benchmark hands a sample's conversation to the client. */
enum LocomoIngest {
  /** One memory per turn, stored with {@code addAll} in batches: the requests an importer makes. */
  ADD,
  /**
   * Each session as one conversation ({@code add(ConversationRequest)}) of the sample's user and
   * the session, each turn a message with its speaker's name: what an agent hands over.
   */
  MESSAGES,
  /**
   * The conversations of {@link #MESSAGES} through the engine's {@code openai} extractor against
   * a scripted model ({@link LocomoFactModel}) that answers each session's LoCoMo observations as
   * its facts: fact memory through the real extraction pipeline.
   */
  FACTS;

  /** The mode's option value, such as {@code messages}. */
  String optionName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The mode named by an option value.
   *
   * @throws IllegalArgumentException naming the valid values when there is no such mode
   */
  static LocomoIngest fromOption(String value) {
    return Arrays.stream(values()).filter(mode -> mode.optionName().equals(value)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("--ingest must be one of "
            + Arrays.stream(values()).map(LocomoIngest::optionName).toList() + ", was " + value));
  }
}
