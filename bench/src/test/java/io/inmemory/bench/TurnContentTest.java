package io.inmemory.bench;

import io.inmemory.cli.imports.LocomoConversations.Turn;
import io.inmemory.cli.imports.LocomoConversations.TurnContent;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;

class TurnContentTest {
  private static final Turn PLAIN = new Turn("Ana", "D1:1", " I bought a boat. ", null);
  private static final Turn WITH_IMAGE = new Turn("Ana", "D1:2", "Look!", "a red boat");
  private static final Turn IMAGE_ONLY = new Turn("Ben", "D1:3", "", "a cello");

  @Test
  void textKeepsOnlyTheWords() {
    assertThat(TurnContent.TEXT.form(PLAIN)).isEqualTo("I bought a boat.");
    assertThat(TurnContent.TEXT.form(WITH_IMAGE)).isEqualTo("Look!");
    assertThat(TurnContent.TEXT.form(IMAGE_ONLY)).isEmpty();
  }

  @Test
  void captionAppendsTheImage() {
    assertThat(TurnContent.CAPTION.form(PLAIN)).isEqualTo("I bought a boat.");
    assertThat(TurnContent.CAPTION.form(WITH_IMAGE)).isEqualTo("Look! [image: a red boat]");
    assertThat(TurnContent.CAPTION.form(IMAGE_ONLY)).isEqualTo("[image: a cello]");
  }

  @Test
  void speakerPrefixesTheName() {
    assertThat(TurnContent.SPEAKER.form(PLAIN)).isEqualTo("Ana: I bought a boat.");
    assertThat(TurnContent.SPEAKER.form(WITH_IMAGE)).isEqualTo("Ana: Look! [image: a red boat]");
    assertThat(TurnContent.SPEAKER.form(IMAGE_ONLY)).isEqualTo("Ben: [image: a cello]");
  }

  @Test
  void aTurnWithNeitherTextNorImageIsBlankInEveryMode() {
    Turn empty = new Turn("Ben", "D1:4", " ", null);
    for (TurnContent mode : TurnContent.values()) {
      assertThat(mode.form(empty)).as(mode.optionName()).isBlank();
    }
  }

  @Test
  void optionNamesRoundTrip() {
    for (TurnContent mode : TurnContent.values()) {
      assertThat(TurnContent.fromOption(mode.optionName())).isEqualTo(mode);
    }
  }
}
