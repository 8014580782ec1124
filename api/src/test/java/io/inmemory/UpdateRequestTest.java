package io.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UpdateRequestTest {

  @Test
  void unsetFieldsStayNull() {
    UpdateRequest request = UpdateRequest.builder().content("new").build();

    assertThat(request.content()).isEqualTo("new");
    assertThat(request.tags()).isNull();
    assertThat(request.people()).isNull();
    assertThat(request.topic()).isNull();
    assertThat(request.metadata()).isNull();
  }

  @Test
  void anEmptyRequestIsRejected() {
    InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class,
        () -> UpdateRequest.builder().build());

    assertThat(e.violations()).extracting(InvalidRequestException.Violation::field)
        .containsExactly("request");
    assertThat(e.getMessage()).contains("content, tags, people, topic or metadata");
  }

  @Test
  void emptyValuesMeanClear() {
    UpdateRequest request = UpdateRequest.builder().tags(List.of()).people(List.of()).topic("  ")
        .metadata(Map.of()).build();

    assertThat(request.tags()).isEmpty();
    assertThat(request.people()).isEmpty();
    assertThat(request.topic()).isEmpty();
    assertThat(request.metadata()).isEmpty();
  }

  @Test
  void valuesAreNormalizedLikeAnAdd() {
    UpdateRequest request = UpdateRequest.builder().tags(" A", "a", "B").people("Bob", "BOB")
        .topic(" Work ").metadata(Map.of("n", 1)).build();

    assertThat(request.tags()).containsExactly("a", "b");
    assertThat(request.people()).containsExactly("Bob");
    assertThat(request.topic()).isEqualTo("work");
    assertThat(request.metadata()).isEqualTo(Map.of("n", 1L));
  }

  @Test
  void everyProblemIsListed() {
    InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class,
        () -> UpdateRequest.builder().content(" ").tags("").people("")
            .metadata(Map.of("k", new Object())).build());

    assertThat(e.violations()).extracting(InvalidRequestException.Violation::field)
        .containsExactly("content", "tags", "people", "metadata.k");
  }
}
