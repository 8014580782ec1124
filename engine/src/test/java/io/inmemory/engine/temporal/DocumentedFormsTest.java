package io.inmemory.engine.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.tck.TimePhrases;
import io.inmemory.tck.TimePhrases.Form;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every form the README documents resolves, in the parser alone, to the range and filters the
 * README states; the client contract suite checks the same table end to end.
 */
class DocumentedFormsTest {
  private static final List<Instant> PROBES = TimePhrases.probes();

  static Stream<Form> forms() {
    return TimePhrases.FORMS.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("forms")
  void resolvesAsDocumented(Form form) {
    TemporalExpression expression =
        new TemporalParser().parse(form.phrase(), TimePhrases.REFERENCE, TimePhrases.ZONE);

    assertThat(expression.bounds()).as("%s", expression).isEqualTo(form.bounds());
    for (Instant probe : PROBES) {
      assertThat(expression.matches(probe)).as("%s at %s", expression, probe)
          .isEqualTo(form.selects(probe));
    }
  }
}
