package io.inmemory.engine.lexical;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AnalyzerTest {

  @Test
  void splitsOnWhitespaceAndPunctuationAndLowerCases() {
    assertThat(Analyzer.terms("Hiking,SWIMMING;(climbing)! kayak-tours"))
        .containsExactly("hike", "swim", "climb", "kayak", "tour");
  }

  @Test
  void splitsCompoundsAtHyphensUnderscoresAndDotsButNotContractions() {
    assertThat(Analyzer.terms("e-mail state-of-the-art foo_bar example.com kayak\u2014tours"))
        .containsExactly("mail", "state", "art", "foo", "bar", "exampl", "com", "kayak", "tour");
    assertThat(Analyzer.terms("rock'n'roll 2024-05-01 10:30"))
        .containsExactly("rock'n'rol", "2024", "05", "01", "10", "30");
  }

  @Test
  void keepsNumbersWithTheirDecimalsAndWithoutGroupingCommas() {
    assertThat(Analyzer.terms("Flight 447 took 3.5 hours, 1,000 km in 2022 at 3pm"))
        .containsExactly("flight", "447", "took", "3.5", "hour", "1000", "km", "2022", "3pm");
    assertThat(Analyzer.terms("7")).containsExactly("7");
  }

  @Test
  void dropsStopWordsSingleLettersAndPossessives() {
    assertThat(Analyzer.terms("What is the name of my pet?")).containsExactly("name", "pet");
    assertThat(Analyzer.terms("I don't think it's a car")).containsExactly("think", "car");
    assertThat(Analyzer.terms("Caroline's dog and Caroline\u2019s cat"))
        .containsExactly("carolin", "dog", "carolin", "cat");
  }

  @Test
  void stemsInflectionsToOneTerm() {
    assertThat(Analyzer.terms("painting paints painted paint")).containsOnly("paint");
    assertThat(Analyzer.terms("stories story")).containsOnly("stori");
    assertThat(Analyzer.terms("runs running")).containsOnly("run");
  }

  @Test
  void foldsCaseAndCompatibilityFormsBeyondAscii() {
    assertThat(Analyzer.terms("ÉCOLE école")).hasSize(2).containsOnly("école");
    assertThat(Analyzer.terms("ＡＢＣ１２ abc12")).containsOnly("abc12");
    assertThat(Analyzer.terms("\uFB01sh FISH")).containsOnly("fish");
    assertThat(Analyzer.terms("ΣΟΦΙΑ σοφια")).containsOnly("σοφια");
  }

  @Test
  void segmentsScriptsWrittenWithoutSpacesAndKeepsTheirSingleCharacters() {
    assertThat(Analyzer.terms("東京タワーに行った")).contains("東京", "タワー", "行");
    assertThat(Analyzer.terms("в Москве")).containsExactly("москве");
  }

  @Test
  void textWithoutWordsHasNoTerms() {
    assertThat(Analyzer.terms("")).isEmpty();
    assertThat(Analyzer.terms("  ...!!! -- ")).isEmpty();
    assertThat(Analyzer.terms("the a of I")).isEmpty();
  }
}
