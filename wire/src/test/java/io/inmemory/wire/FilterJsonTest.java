package io.inmemory.wire;

import static io.inmemory.MemoryFilter.and;
import static io.inmemory.MemoryFilter.not;
import static io.inmemory.MemoryFilter.or;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inmemory.ContentTooLargeException;
import io.inmemory.InMemoryConfig;
import io.inmemory.InvalidRequestException;
import io.inmemory.InvalidRequestException.Violation;
import io.inmemory.Limits;
import io.inmemory.ListRequest;
import io.inmemory.MemoryFilter;
import io.inmemory.Role;
import io.inmemory.Scope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The filter language on the wire: every shape reads as the filter it states, the canonical form
 * reads back equal, problems are named by their JSON path with what is supported, and a filter
 * over a limit is refused at the first excess with the key that sets it.
 */
class FilterJsonTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Limits LIMITS = Limits.defaults();
  private static final Instant T = Instant.parse("2024-01-01T00:00:00Z");

  private static JsonNode json(String text) throws Exception {
    return MAPPER.readTree(text.replace('\'', '"'));
  }

  private static MemoryFilter read(String text) throws Exception {
    return FilterJson.read(json(text), LIMITS);
  }

  private static List<Violation> problems(String text) throws Exception {
    JsonNode json = json(text);
    try {
      FilterJson.read(json, LIMITS);
    } catch (InvalidRequestException e) {
      return e.violations();
    }
    throw new AssertionError("accepted " + text);
  }

  @Test
  void thePlansExampleReadsAsItsFilter() throws Exception {
    assertThat(read("{'AND': [{'metadata': {'price': {'gt': 3}}},"
        + " {'tags': {'contains': 'food'}},"
        + " {'OR': [{'agent_id': 'planner'}, {'session_id': {'in': ['s1', 's2']}}]},"
        + " {'NOT': {'topic': 'work'}}, {'created_at': {'gte': '2024-01-01T00:00:00Z'}}]}"))
        .isEqualTo(and(MemoryFilter.metadata("price").gt(3), MemoryFilter.tags().contains("food"),
            or(MemoryFilter.agentId().eq("planner"), MemoryFilter.sessionId().in("s1", "s2")),
            not(MemoryFilter.topic().eq("work")), MemoryFilter.createdAt().gte(T)));
  }

  @Test
  void shorthandShapes() throws Exception {
    // a bare value is eq; several field members are an implicit AND, in their order
    assertThat(read("{'role': 'user', 'topic': {'ne': 'work'}}"))
        .isEqualTo(and(MemoryFilter.role().eq(Role.USER), MemoryFilter.topic().ne("work")));
    // several operators on one field are ANDed; several metadata paths too
    assertThat(read("{'metadata': {'price': {'gte': 1, 'lt': 9.5}, 'city': 'Paris'}}"))
        .isEqualTo(and(MemoryFilter.metadata("price").gte(1),
            MemoryFilter.metadata("price").lt(9.5), MemoryFilter.metadata("city").eq("Paris")));
    // NOT with an array is NOT of their AND
    assertThat(read("{'NOT': [{'tags': {'contains': 'a'}}, {'people': {'in': ['Bob']}}]}"))
        .isEqualTo(not(and(MemoryFilter.tags().contains("a"),
            MemoryFilter.people().in("Bob"))));
    // a metadata list compared with eq, a dotted path, a boolean
    assertThat(read("{'metadata': {'a.b': [1, 2], 'ok': {'eq': true}}}"))
        .isEqualTo(and(MemoryFilter.metadata("a.b").eq(List.of(1, 2)),
            MemoryFilter.metadata("ok").eq(true)));
    assertThat(read("{'content': {'contains': 'pizza'}}"))
        .isEqualTo(MemoryFilter.content().contains("pizza"));
  }

  @Test
  void theCanonicalFormReadsBackEqual() throws Exception {
    List<MemoryFilter> filters = List.of(
        MemoryFilter.metadata("price").gt(3),
        MemoryFilter.metadata("tags.list").nin(List.of("x", 2L, 3.5, true)),
        and(MemoryFilter.validFrom().lt(T), MemoryFilter.invalidAt().ne(T),
            MemoryFilter.updatedAt().lte(T)),
        or(MemoryFilter.role().in(Role.SYSTEM, Role.TOOL), not(MemoryFilter.people()
            .nin("Eve"))),
        not(not(MemoryFilter.topic().contains("wor"))),
        MemoryFilter.agentId().ne("a"));
    for (MemoryFilter filter : filters) {
      JsonNode written = MAPPER.readTree(MAPPER.writeValueAsBytes(FilterJson.write(filter)));
      assertThat(FilterJson.read(written, LIMITS)).isEqualTo(filter);
    }
    assertThat(FilterJson.write(MemoryFilter.metadata("price").gt(3)))
        .isEqualTo(Map.of("metadata", Map.of("price", Map.of("gt", 3L))));
    assertThat(FilterJson.write(MemoryFilter.role().eq(Role.USER)))
        .isEqualTo(Map.of("role", Map.of("eq", "user")));
  }

  @Test
  void unknownFieldsAndOperatorsAreNamedWithWhatIsSupported() throws Exception {
    assertThat(problems("{'AND': [{'tags': {'contains': 'a'}},"
        + " {'metadata': {'price': {'greater': 3}}}]}"))
        .containsExactly(new Violation("filters.AND[1].metadata.price", "unknown operator"
            + " 'greater'; supported: eq, ne, gt, gte, lt, lte, in, nin, contains"));
    assertThat(problems("{'OR': [{'price': 3}]}")).singleElement().satisfies(v -> {
      assertThat(v.field()).isEqualTo("filters.OR[0].price");
      assertThat(v.problem()).startsWith("unknown field 'price'; supported: metadata.<key>,"
          + " created_at");
    });
    assertThat(problems("{'user_id': 'bob'}")).containsExactly(new Violation("filters.user_id",
        "user_id is the request's scope (userId); a search spans one user or one agent"));
    assertThat(problems("{'tags': {'eq': 'a'}}")).singleElement().satisfies(v -> {
      assertThat(v.field()).isEqualTo("filters.tags.eq");
      assertThat(v.problem()).contains("does not apply to tags").contains("in, nin, contains");
    });
    assertThat(problems("{'created_at': {'gt': 'yesterday'}}")).singleElement()
        .satisfies(v -> assertThat(v.problem()).contains("ISO-8601"));
    // an ordering of a boolean or a list is refused by its path, not always false
    assertThat(problems("{'metadata': {'price': {'gt': true, 'lt': [1]}}}")).containsExactly(
        new Violation("filters.metadata.price.gt",
            "metadata.price: gt compares a number, text or an instant, was a boolean"),
        new Violation("filters.metadata.price.lt",
            "metadata.price: lt compares a number, text or an instant, was a list"));
  }

  @Test
  void malformedNodesAreNamed() throws Exception {
    assertThat(problems("{'AND': [{'tags': {'contains': 'a'}}], 'topic': 'x'}"))
        .extracting(Violation::field).containsExactly("filters");
    assertThat(problems("{'AND': []}")).extracting(Violation::field)
        .containsExactly("filters.AND");
    assertThat(problems("{'OR': {'topic': 'x'}}")).extracting(Violation::field)
        .containsExactly("filters.OR");
    assertThat(problems("{'NOT': 'x'}")).extracting(Violation::field)
        .containsExactly("filters.NOT");
    assertThat(problems("[1]")).extracting(Violation::field).containsExactly("filters");
    assertThat(problems("{}")).extracting(Violation::field).containsExactly("filters");
    assertThat(problems("{'topic': {}}")).extracting(Violation::field)
        .containsExactly("filters.topic");
    assertThat(problems("{'metadata': 3}")).extracting(Violation::field)
        .containsExactly("filters.metadata");
    // every problem of the filter at once
    assertThat(problems("{'AND': [{'colour': 1}, {'topic': {'like': 'x'}}]}"))
        .extracting(Violation::field).containsExactly("filters.AND[0].colour",
            "filters.AND[1].topic");
  }

  /** {@code filter} wrapped in {@code times} NOTs. */
  private static String nots(int times, String filter) {
    return "{'NOT': ".repeat(times) + filter + "}".repeat(times);
  }

  /** Refused as over the depth limit, word for word as the engine's check refuses it. */
  private static void assertTooDeep(String text, int depth) throws Exception {
    MemoryFilter filter = FilterJson.read(json(text), Limits.from(InMemoryConfig.builder()
        .isolated().set(Limits.MAX_FILTER_DEPTH, 1000).build()));
    ContentTooLargeException engine = catchThrowableOfType(ContentTooLargeException.class,
        () -> LIMITS.check(ListRequest.builder(Scope.user("u")).filter(filter).build()));
    assertThat(engine).as("the engine's verdict on %s", text).isNotNull();
    assertThatThrownBy(() -> read(text)).as(text)
        .isInstanceOfSatisfying(ContentTooLargeException.class, e -> {
          assertThat(e.maxSize()).isEqualTo(LIMITS.maxFilterDepth());
          assertThat(e.size()).isEqualTo(depth);
          assertThat(e.violations()).isEqualTo(engine.violations()).singleElement()
              .satisfies(v -> {
                assertThat(v.field()).isEqualTo("filter");
                assertThat(v.problem()).isEqualTo("nests " + depth + " levels deep, over the"
                    + " maximum of " + LIMITS.maxFilterDepth()
                    + " (set inmemory.max-filter-depth to change it)");
              });
        });
  }

  @Test
  void depthCountsTheCombinatorsOnTheLongestPathAsTheEngineDoes() throws Exception {
    int max = LIMITS.maxFilterDepth();
    String leaf = "{'topic': 'x'}";
    String ands = leaf;
    for (int i = 0; i < max; i++) {
      ands = "{'AND': [" + ands + "]}";
    }
    // max combinators around a comparison are within the limit, as README promises
    assertThat(read(ands)).isInstanceOf(MemoryFilter.All.class);
    assertThatCode(() -> LIMITS.check(ListRequest.builder(Scope.user("u"))
        .filter(FilterJson.read(json(nots(max, leaf)), LIMITS)).build()))
        .doesNotThrowAnyException();
    assertTooDeep("{'OR': [" + ands + "]}", max + 1);
    assertTooDeep(nots(max + 1, leaf), max + 1);
    // an array NOT is a NOT of an AND, and an object of two comparisons an AND
    assertTooDeep(nots(max - 1, "{'NOT': [" + leaf + "]}"), max + 1);
    assertTooDeep(nots(max, "{'topic': 'x', 'agent_id': 'y'}"), max + 1);
    assertThat(read(nots(max - 1, "{'topic': 'x', 'agent_id': 'y'}")))
        .isInstanceOf(MemoryFilter.Not.class);
  }

  @Test
  void tooManyNodesOrValuesAreRefusedWithTheirKey() throws Exception {
    Limits small = Limits.from(InMemoryConfig.builder().isolated()
        .set(Limits.MAX_FILTER_NODES, 5).set(Limits.MAX_FILTER_VALUES, 3).build());
    // AND, and two objects of one comparison each: 5 nodes, accepted; a third object is node 6
    String two = "{'AND': [{'topic': 'a'}, {'topic': 'b'}]}";
    assertThat(FilterJson.read(json(two), small)).isInstanceOf(MemoryFilter.All.class);
    assertThatThrownBy(() -> FilterJson.read(json(two.replace("]}", ", {'topic': 'e'}]}")),
        small)).isInstanceOfSatisfying(ContentTooLargeException.class, e -> {
          assertThat(e.size()).isEqualTo(6);
          assertThat(e.violations()).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("filter");
            assertThat(v.problem()).startsWith("has 6 nodes").contains("inmemory.max-filter-nodes");
          });
        });
    assertThatThrownBy(() -> FilterJson.read(json("{'tags': {'in': ['a', 'b', 'c', 'd']}}"),
        small)).isInstanceOfSatisfying(ContentTooLargeException.class, e -> {
          assertThat(e.size()).isEqualTo(4);
          assertThat(e.violations()).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("filter");
            assertThat(v.problem()).startsWith("tags in has 4 values")
                .contains("inmemory.max-filter-values");
          });
        });
  }

  @Test
  void manyValuesInAllAreRefusedToo() throws Exception {
    Limits limits = Limits.from(InMemoryConfig.builder().isolated()
        .set(Limits.MAX_FILTER_VALUES, 2).build());
    // ten times one comparison's limit in all: 11 comparisons of 2 values are 22 > 20
    List<String> nodes = new ArrayList<>(Collections.nCopies(11,
        "{'tags': {'in': ['a', 'b']}}"));
    assertThatThrownBy(() -> FilterJson.read(json("{'OR': " + nodes + "}"), limits))
        .isInstanceOfSatisfying(ContentTooLargeException.class, e -> {
          assertThat(e.maxSize()).isEqualTo(20);
          assertThat(e.violations().get(0).problem()).startsWith("has 22 values in all");
        });
  }

  @Test
  void theValuesJsonCountsTowardTheMetadataLimit() throws Exception {
    Limits limits = Limits.from(InMemoryConfig.builder().isolated()
        .set(Limits.MAX_METADATA_SIZE, 1024L).build());
    String fits = "x".repeat(500);
    assertThat(FilterJson.read(json("{'AND': [{'topic': {'contains': '" + fits + "'}},"
        + " {'content': {'contains': '" + fits + "'}}]}"), limits))
        .isInstanceOf(MemoryFilter.All.class);
    assertThatThrownBy(() -> FilterJson.read(json("{'AND': [{'topic': {'contains': '" + fits
        + "'}}, {'content': {'contains': '" + fits + fits + "'}}]}"), limits))
        .isInstanceOfSatisfying(ContentTooLargeException.class, e -> {
          assertThat(e.maxSize()).isEqualTo(1024);
          assertThat(e.violations()).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("filter");
            assertThat(v.problem()).contains("bytes as JSON").contains("inmemory.max-metadata-size");
          });
        });
  }

  @Test
  void aBodyNamesFilterProblemsBesideItsOthers() throws Exception {
    JsonBody body = JsonBody.of((com.fasterxml.jackson.databind.node.ObjectNode) json(
        "{'user_id': 'alice', 'limit': 'x', 'filters': {'tags': {'has': 'a'}}}"));
    assertThatThrownBy(() -> RequestJson.search(body, LIMITS))
        .isInstanceOfSatisfying(InvalidRequestException.class, e ->
            assertThat(e.violations()).extracting(Violation::field)
                .containsExactlyInAnyOrder("limit", "filters.tags"));
  }
}
