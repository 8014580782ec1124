package io.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderSelectionTest {

  private static final String ADVICE = "add io.inmemory:inmemory-store-file";

  /** A named candidate; a record so that its class name shows in messages. */
  record Candidate(String name) {}

  /** A second class, to tell candidates of the same name apart in messages. */
  record OtherCandidate(String name) {}

  private static final Candidate FILE = new Candidate("file");
  private static final Candidate H2 = new Candidate("h2");

  private static InMemoryConfig config(String store) {
    InMemoryConfig.Builder builder = InMemoryConfig.builder().isolated();
    return store == null ? builder.build() : builder.set(InMemoryConfig.STORE, store).build();
  }

  private static <P> P select(List<P> candidates, java.util.function.Function<P, String> name,
      InMemoryConfig config) {
    return ProviderSelection.select(candidates, "memory store", name, config,
        InMemoryConfig.STORE, ADVICE);
  }

  private static ConfigurationException fails(List<Candidate> candidates, InMemoryConfig config) {
    return catchThrowableOfType(ConfigurationException.class,
        () -> select(candidates, Candidate::name, config));
  }

  @Test
  void theConfiguredNameWinsAmongSeveral() {
    assertThat(select(List.of(FILE, H2), Candidate::name, config("h2"))).isSameAs(H2);
    assertThat(select(List.of(FILE, H2), Candidate::name, config(" file "))).isSameAs(FILE);
  }

  @Test
  void theOnlyCandidateIsUsedWhenNoNameIsConfigured() {
    assertThat(select(List.of(H2), Candidate::name, config(null))).isSameAs(H2);
  }

  @Test
  void severalCandidatesWithoutANameAreAnErrorNamingThemAndTheKey() {
    ConfigurationException e = fails(List.of(FILE, H2), config(null));

    assertThat(e.getMessage())
        .contains("Several memory store providers")
        .contains("'file' (" + Candidate.class.getName() + ")")
        .contains("'h2' (" + Candidate.class.getName() + ")")
        .contains("inmemory.store")
        .contains("INMEMORY_STORE");
  }

  @Test
  void noCandidateIsAnErrorSayingWhatToAdd() {
    assertThat(fails(List.of(), config(null)).getMessage())
        .contains("No memory store on the classpath").contains(ADVICE);
    assertThat(fails(List.of(), config("file")).getMessage())
        .contains("No memory store named 'file'").contains(ADVICE);
  }

  @Test
  void anUnknownNameIsAnErrorListingTheCandidatesAndTheSource() {
    InMemoryConfig config = InMemoryConfig.builder().systemProperties(Map.of())
        .environment(Map.of("INMEMORY_STORAGE_TYPE", "mongo")).classpathProperties(false).build();

    ConfigurationException e = fails(List.of(FILE, H2), config);

    assertThat(e.getMessage())
        .contains("No memory store named 'mongo'")
        .contains("environment variable INMEMORY_STORAGE_TYPE")
        .contains("'file'", "'h2'")
        .contains("inmemory.store");
  }

  @Test
  void twoCandidatesOfTheSameNameAreAnErrorEvenWhenConfigured() {
    List<Object> candidates = List.of(FILE, new OtherCandidate("file"));
    java.util.function.Function<Object, String> name = candidate ->
        candidate instanceof Candidate c ? c.name() : ((OtherCandidate) candidate).name();

    ConfigurationException e = catchThrowableOfType(ConfigurationException.class,
        () -> select(candidates, name, config("file")));

    assertThat(e.getMessage()).contains("both named 'file'")
        .contains(Candidate.class.getName()).contains(OtherCandidate.class.getName());
  }

  @Test
  void serviceLoaderFindsNothingForAnUnregisteredType() {
    assertThat(ProviderSelection.load(Runnable.class)).isEmpty();
  }
}
