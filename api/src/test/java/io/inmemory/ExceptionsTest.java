package io.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExceptionsTest {

  @Test
  void everyExceptionIsAnUncheckedInMemoryException() {
    List<InMemoryException> all = List.of(
        new InvalidRequestException("f", "p"),
        new ContentTooLargeException("content", 2, 1),
        new NotFoundException("gone"),
        new AuthenticationException("no key"),
        new PermissionDeniedException("no scope"),
        new RateLimitedException("slow down", Duration.ofSeconds(3)),
        new ConflictException("duplicate"),
        new StorageException("disk"),
        new TransportException("refused", new IOException("x")),
        new ConfigurationException("bad"));

    assertThat(all).allSatisfy(e -> assertThat(e).isInstanceOf(RuntimeException.class));
    assertThat(new ContentTooLargeException("content", 2, 1))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void invalidRequestsListEveryViolation() {
    InvalidRequestException e = new InvalidRequestException(List.of(
        new InvalidRequestException.Violation("content", "must not be blank"),
        new InvalidRequestException.Violation("limit", "must be between 1 and 1000, was 0")));

    assertThat(e.violations()).hasSize(2);
    assertThat(e.getMessage()).isEqualTo(
        "Invalid request: content: must not be blank; limit: must be between 1 and 1000, was 0");
    assertThatThrownBy(() -> e.violations().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> new InvalidRequestException(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void contentTooLargeSaysTheSizesAndTheKey() {
    ContentTooLargeException e = new ContentTooLargeException("content", 2_000_000, 1_048_576);

    assertThat(e.size()).isEqualTo(2_000_000);
    assertThat(e.maxSize()).isEqualTo(1_048_576);
    assertThat(e.violations()).singleElement()
        .extracting(InvalidRequestException.Violation::field).isEqualTo("content");
    assertThat(e.getMessage()).contains("2000000 bytes", "1048576", "inmemory.max-memory-size");
  }

  @Test
  void rateLimitsSayWhenToRetry() {
    assertThat(new RateLimitedException("x", Duration.ofSeconds(7)).retryAfter())
        .isEqualTo(Duration.ofSeconds(7));
    assertThatThrownBy(() -> new RateLimitedException("x", null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void transportFailuresCarryTheStatusWhenAResponseArrived() {
    IOException cause = new IOException("refused");

    assertThat(new TransportException("down", cause).status()).isEmpty();
    assertThat(new TransportException("down", cause).getCause()).isSameAs(cause);
    assertThat(new TransportException("bad gateway", 502).status()).hasValue(502);
  }

  @Test
  void configurationErrorsListEveryProblem() {
    ConfigurationException one = new ConfigurationException("only problem");
    ConfigurationException two = new ConfigurationException(List.of("first", "second"));
    ConfigurationException caused = new ConfigurationException("wrapped", new IOException());

    assertThat(one.getMessage()).isEqualTo("only problem");
    assertThat(one.problems()).containsExactly("only problem");
    assertThat(two.getMessage()).contains("first").contains("second");
    assertThat(two.problems()).containsExactly("first", "second");
    assertThat(caused.problems()).containsExactly("wrapped");
    assertThat(caused.getCause()).isInstanceOf(IOException.class);
  }
}
