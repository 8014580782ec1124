package io.inmemory.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.inmemory.AddRequest;
import io.inmemory.ContentTooLargeException;
import io.inmemory.InvalidRequestException;
import io.inmemory.Limits;
import io.inmemory.MemoryClient;
import io.inmemory.MemoryRecord;
import io.inmemory.SearchHit;
import io.inmemory.SearchRequest;
import io.inmemory.SearchResult;
import io.inmemory.UpdateRequest;
import java.util.List;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The lifecycle and helpers shared by the synchronous contract suites: one client per test class,
 * created by {@link #createClient()} before the first test and closed after the last. Every test
 * works on fresh random user ids, so tests are independent of each other, of their order and of
 * data left by earlier runs in a durable store.
 *
 * <p>Subclasses in implementation modules only implement {@link #createClient()} (and
 * {@link #maxMemorySize()} or {@link #limits()} when the client is configured with non-default
 * limits).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ClientContractSupport {

  /** The default of {@code inmemory.max-memory-size}: 1 MiB. */
  protected static final long DEFAULT_MAX_MEMORY_SIZE = 1024L * 1024;

  /** The client under test, open for the whole class. */
  protected MemoryClient client;

  /**
   * Creates a client. Called once per test class for the shared {@link #client}, and again by the
   * tests of {@code close()}, which close what they get: every call must return a new, open client.
   * The client may share its store with earlier runs: the suite never relies on an empty store.
   */
  protected abstract MemoryClient createClient();

  /** The maximum content size in UTF-8 bytes the client was configured with. */
  protected long maxMemorySize() {
    return DEFAULT_MAX_MEMORY_SIZE;
  }

  /** The size limits the client (or its server) was configured with. */
  protected Limits limits() {
    return Limits.defaults().withMaxMemorySize(maxMemorySize());
  }

  @BeforeAll
  final void openClient() {
    client = createClient();
    assertThat(client).as("createClient()").isNotNull();
  }

  @AfterAll
  final void closeClient() {
    if (client != null) {
      client.close();
    }
  }

  /** A user id no earlier test or run has used. */
  protected static String newUserId() {
    return "tck-" + UUID.randomUUID();
  }

  /** A well-formed memory id that no memory has. */
  protected static String unknownMemoryId() {
    return UUID.randomUUID().toString();
  }

  /** The ids of a result's hits, in order. */
  protected static List<String> ids(SearchResult result) {
    return result.hits().stream().map(hit -> hit.memory().id()).toList();
  }

  /** The ids of records, in order. */
  protected static List<String> ids(List<MemoryRecord> records) {
    return records.stream().map(MemoryRecord::id).toList();
  }

  /** The contents of a result's hits, in order. */
  protected static List<String> contents(SearchResult result) {
    return result.hits().stream().map(hit -> hit.memory().content()).toList();
  }

  /** The scores of a result's hits, in order. */
  protected static List<Double> scores(SearchResult result) {
    return result.hits().stream().map(SearchHit::score).toList();
  }

  /**
   * Asserts that {@code call} is rejected exactly as {@link #limits()} reject {@code request}: the
   * same {@link ContentTooLargeException} violations, size, limit and message, whichever runtime
   * the client is.
   */
  protected ContentTooLargeException assertOverLimits(ThrowingCallable call, Object request) {
    return assertOverLimits(call, () -> {
      if (request instanceof AddRequest add) {
        limits().check(add);
      } else if (request instanceof SearchRequest search) {
        limits().check(search);
      } else {
        limits().check((UpdateRequest) request);
      }
    });
  }

  /** As {@link #assertOverLimits(ThrowingCallable, Object)}, with the limits' own check. */
  protected static ContentTooLargeException assertOverLimits(ThrowingCallable call,
      ThrowingCallable limitsCheck) {
    Throwable expected = catchThrowable(limitsCheck);
    assertThat(expected).as("the limits' own verdict").isInstanceOf(ContentTooLargeException.class);
    Throwable thrown = catchThrowable(call);
    assertThat(thrown).isInstanceOf(ContentTooLargeException.class);
    ContentTooLargeException want = (ContentTooLargeException) expected;
    ContentTooLargeException actual = (ContentTooLargeException) thrown;
    assertThat(actual.violations()).isEqualTo(want.violations());
    assertThat(actual.size()).isEqualTo(want.size());
    assertThat(actual.maxSize()).isEqualTo(want.maxSize());
    assertThat(actual).hasMessage(want.getMessage());
    return actual;
  }

  /**
   * Asserts that {@code call} throws an {@link InvalidRequestException} with a violation of each
   * of {@code fields}, and returns it for further checks.
   */
  protected static InvalidRequestException assertInvalid(ThrowingCallable call, String... fields) {
    Throwable thrown = catchThrowable(call);
    assertThat(thrown).isInstanceOf(InvalidRequestException.class);
    InvalidRequestException invalid = (InvalidRequestException) thrown;
    assertThat(invalid.violations()).isNotEmpty();
    assertThat(invalid.violations())
        .extracting(InvalidRequestException.Violation::field)
        .contains(fields);
    return invalid;
  }
}
