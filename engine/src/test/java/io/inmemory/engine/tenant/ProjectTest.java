package io.inmemory.engine.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProjectTest {

  @ParameterizedTest
  @ValueSource(strings = {"a", "default", "proj_1.x-y", "9"})
  void wellFormedIdsAreValid(String id) {
    assertThat(Project.isValidId(id)).isTrue();
    assertThat(new Project(id, "", Instant.EPOCH).id()).isEqualTo(id);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "-x", "_x", "a/b", "a b", "é"})
  void malformedIdsAreInvalidAndRejectedByRecords(String id) {
    assertThat(Project.isValidId(id)).isFalse();
    assertThatThrownBy(() -> new Project(id, "", Instant.EPOCH))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(Project.ID_RULE);
  }

  @Test
  void idsAreAtMost64Characters() {
    assertThat(Project.isValidId("x".repeat(64))).isTrue();
    assertThat(Project.isValidId("x".repeat(65))).isFalse();
    assertThat(Project.isValidId(null)).isFalse();
  }
}
