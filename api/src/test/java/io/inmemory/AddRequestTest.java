package io.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class AddRequestTest {

  private static List<String> fields(InvalidRequestException e) {
    return e.violations().stream().map(InvalidRequestException.Violation::field).toList();
  }

  @Test
  void ofMakesAPlainRequest() {
    AddRequest request = AddRequest.of("I love pizza", "alice");

    assertThat(request.content()).isEqualTo("I love pizza");
    assertThat(request.userId()).isEqualTo("alice");
    assertThat(request.tags()).isEmpty();
    assertThat(request.people()).isEmpty();
    assertThat(request.topic()).isNull();
    assertThat(request.metadata()).isEmpty();
    assertThat(request.createdAt()).isNull();
  }

  @Test
  void contentIsKeptVerbatim() {
    assertThat(AddRequest.of("  padded\n", "u").content()).isEqualTo("  padded\n");
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {" ", "\t\n"})
  void blankContentIsRejected(String content) {
    InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class,
        () -> AddRequest.of(content, "alice"));

    assertThat(fields(e)).containsExactly("content");
    assertThat(e.getMessage()).contains("content: must not be blank");
  }

  @Test
  void tagsAreTrimmedLowerCasedAndDeduplicatedInFirstSeenOrder() {
    AddRequest request = AddRequest.builder("x", "u").tags(" Work", "food ", "WORK", "Food", "a b")
        .build();

    assertThat(request.tags()).containsExactly("work", "food", "a b");
  }

  @Test
  void tagsUseRootLocaleLowerCasing() {
    assertThat(AddRequest.builder("x", "u").tags("TITLE").build().tags())
        .containsExactly("title");
  }

  @Test
  void blankTagsAreRejectedOnce() {
    assertThat(fields(catchThrowableOfType(InvalidRequestException.class,
        () -> AddRequest.builder("x", "u").tags(Arrays.asList("ok", null)).build())))
        .containsExactly("tags");
    assertThat(fields(catchThrowableOfType(InvalidRequestException.class,
        () -> AddRequest.builder("x", "u").tags("ok", "  ", " ", "").build())))
        .containsExactly("tags");
  }

  @Test
  void sizesAreLeftToTheClientsLimits() {
    List<String> many = IntStream.range(0, 1000).mapToObj(i -> "t" + i).toList();
    AddRequest request = AddRequest.builder("x", "u").tags(many).people(many)
        .topic("t".repeat(1000)).build();

    assertThat(request.tags()).hasSize(1000);
    assertThat(request.people()).hasSize(1000);
    assertThat(request.topic()).hasSize(1000);
  }

  @Test
  void aHundredThousandBlankTagsAreOneViolation() {
    List<String> blanks = Collections.nCopies(100_000, " ");

    InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class,
        () -> AddRequest.builder("x", "u").tags(blanks).people(blanks).build());

    assertThat(fields(e)).containsExactly("tags", "people");
  }

  @Test
  void peopleKeepTheFirstSpellingAndAreDeduplicatedIgnoringCase() {
    AddRequest request = AddRequest.builder("x", "u")
        .people("Bob", " carol ", "BOB", "Carol", "bob").build();

    assertThat(request.people()).containsExactly("Bob", "carol");
  }

  @Test
  void blankPeopleAreRejected() {
    assertThat(fields(catchThrowableOfType(InvalidRequestException.class,
        () -> AddRequest.builder("x", "u").people("Bob", " ").build()))).containsExactly("people");
  }

  @Test
  void topicIsTrimmedAndLowerCasedAndBlankMeansNone() {
    assertThat(AddRequest.builder("x", "u").topic("  Q4 Planning ").build().topic())
        .isEqualTo("q4 planning");
    assertThat(AddRequest.builder("x", "u").topic("   ").build().topic()).isNull();
  }

  @Test
  void nullListsMeanNone() {
    AddRequest request = new AddRequest("x", "u", null, null, null, null, null);

    assertThat(request.tags()).isEmpty();
    assertThat(request.people()).isEmpty();
    assertThat(request.metadata()).isEmpty();
  }

  @Test
  void listsAreUnmodifiableCopies() {
    List<String> tags = new ArrayList<>(List.of("a"));
    AddRequest request = AddRequest.builder("x", "u").tags(tags).build();
    tags.add("b");

    assertThat(request.tags()).containsExactly("a");
    assertThatThrownBy(() -> request.tags().add("c"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> request.people().add("c"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void createdAtIsTruncatedToMilliseconds() {
    AddRequest request = AddRequest.builder("x", "u")
        .createdAt(Instant.parse("2024-01-02T03:04:05.678912345Z")).build();

    assertThat(request.createdAt()).isEqualTo(Instant.parse("2024-01-02T03:04:05.678Z"));
  }

  @Test
  void everyProblemIsListedAtOnce() {
    InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class,
        () -> AddRequest.builder("", "bad id").tags("", "t").people(" ")
            .metadata(Map.of("k", new Object())).build());

    assertThat(fields(e)).containsExactly("content", "userId", "tags", "people", "metadata.k");
  }
}
