package io.inmemory.wire;

import static io.inmemory.wire.Schemas.array;
import static io.inmemory.wire.Schemas.map;
import static io.inmemory.wire.Schemas.ref;

import com.fasterxml.jackson.databind.JsonNode;
import io.inmemory.ConfigKey;
import io.inmemory.ContentTooLargeException;
import io.inmemory.InvalidRequestException;
import io.inmemory.InvalidRequestException.Violation;
import io.inmemory.Limits;
import io.inmemory.MemoryFilter;
import io.inmemory.MemoryFilter.Compare;
import io.inmemory.MemoryFilter.Field;
import io.inmemory.MemoryFilter.Op;
import io.inmemory.Role;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The {@code filters} member of searches and listings: a {@link MemoryFilter} in mem0's v2 shape.
 * A node is an object holding exactly one of {@code AND} (an array of nodes), {@code OR} (an
 * array of nodes), {@code NOT} (a node, or an array meaning NOT of their AND), or field members;
 * several field members in one object are an implicit AND. A field's value is either a bare value
 * (compared with {@code eq}) or an operator object whose keys are all operator names (several are
 * ANDed); {@code metadata} takes an object of dotted path to value or operator object:
 * <pre>{@code
 * {"AND": [{"metadata": {"price": {"gt": 3}}}, {"tags": {"contains": "food"}},
 *          {"OR": [{"agent_id": "planner"}, {"session_id": {"in": ["s1", "s2"]}}]},
 *          {"NOT": {"topic": "work"}}, {"created_at": {"gte": "2024-01-01T00:00:00Z"}}]}
 * }</pre>
 *
 * <p>The reader counts nodes (combinators and comparisons), depth, the values of {@code in} and
 * {@code nin} and the size of the values' JSON (toward {@link Limits#MAX_METADATA_SIZE}, as a
 * metadata filter's) while it reads, and stops at the first excess over the {@link Limits} with a
 * {@link ContentTooLargeException} naming the key to change, so a hostile filter costs no more
 * than its limits to refuse. Other problems (unknown field or operator, a value the field does not
 * take, {@code user_id}) are collected, each named by its JSON path such as
 * {@code filters.AND[1].metadata.price}, with what is supported. The writer emits the canonical
 * form: one node per object and explicit operators. Stateless and thread-safe.
 */
public final class FilterJson {
  /** The member of a request that holds a filter; violations name paths from it. */
  public static final Member FILTERS = new Member("filters", "filter", ref("Filter"));

  private static final String AND = "AND";
  private static final String OR = "OR";
  private static final String NOT = "NOT";
  /** A filter's values of all its {@code in}/{@code nin} together: ten times one's limit. */
  private static final int TOTAL_VALUES_FACTOR = 10;
  /** The field the engine's {@link Limits} check names for a filter over a limit. */
  private static final String FILTER = "filter";

  private FilterJson() {}

  // ------------------------------------------------------------------ the client writes

  /** The canonical JSON form of {@code filter}: one node per object, explicit operators. */
  public static Map<String, Object> write(MemoryFilter filter) {
    Map<String, Object> json = new LinkedHashMap<>();
    if (filter instanceof MemoryFilter.All all) {
      json.put(AND, all.filters().stream().map(FilterJson::write).toList());
    } else if (filter instanceof MemoryFilter.Any any) {
      json.put(OR, any.filters().stream().map(FilterJson::write).toList());
    } else if (filter instanceof MemoryFilter.Not not) {
      json.put(NOT, write(not.filter()));
    } else {
      Compare compare = (Compare) filter;
      Map<String, Object> comparison = Map.of(compare.op().label(), value(compare.value()));
      Field field = compare.field();
      json.put(field.name(), field.key() == null ? comparison : Map.of(field.key(), comparison));
    }
    return json;
  }

  private static @Nullable Object value(@Nullable Object value) {
    if (value instanceof Instant instant) {
      return instant.toString();
    }
    if (value instanceof Role role) {
      return role.name().toLowerCase(Locale.ROOT);
    }
    if (value instanceof List<?> list) {
      return list.stream().map(FilterJson::value).toList();
    }
    return value;
  }

  // ------------------------------------------------------------------ the server reads

  /**
   * The filter {@code json} states, its problems added to {@code problems} under paths starting
   * with {@code path}.
   *
   * @return the filter, or {@code null} when a problem was found
   * @throws ContentTooLargeException at the first size over {@code limits}
   */
  static @Nullable MemoryFilter read(JsonNode json, String path, Limits limits,
      List<Violation> problems) {
    int before = problems.size();
    MemoryFilter filter = new Reader(limits, problems).node(json, path, 0);
    return problems.size() == before ? filter : null;
  }

  /**
   * The filter of a request body's {@code member}; its problems are added to the body's, named
   * by their JSON paths from the member's name, such as {@code filters.AND[1].metadata.price}.
   *
   * @return the filter, or {@code null} when the member is absent or has a problem
   * @throws ContentTooLargeException at once when the filter is over a limit
   */
  static @Nullable MemoryFilter read(JsonBody body, Member member, Limits limits) {
    JsonNode json = body.json(member);
    if (json == null) {
      return null;
    }
    List<Violation> problems = new ArrayList<>();
    MemoryFilter filter = read(json, member.name(), limits, problems);
    problems.forEach(v -> body.invalid(v.field(), v.problem()));
    return filter;
  }

  /**
   * The filter {@code json} states, for callers outside a request body.
   *
   * @throws InvalidRequestException listing its problems, on paths starting with {@code filters}
   * @throws ContentTooLargeException at the first size over {@code limits}
   */
  public static MemoryFilter read(JsonNode json, Limits limits) {
    List<Violation> problems = new ArrayList<>();
    MemoryFilter filter = read(json, FILTERS.name(), limits, problems);
    if (filter == null) {
      throw new InvalidRequestException(problems);
    }
    return filter;
  }

  /** One reading: the counts so far against the limits, and the problems found. */
  private static final class Reader {
    private final Limits limits;
    private final List<Violation> problems;
    private int nodes;
    private int values;
    private long size;

    Reader(Limits limits, List<Violation> problems) {
      this.limits = limits;
      this.problems = problems;
    }

    /**
     * The filter of one node, {@code depth} the combinators around it. Depth is counted as the
     * engine's {@link Limits} check counts it in the filter read, the combinators on the longest
     * path: an array NOT is a NOT of an AND (two levels), an object of several comparisons an AND.
     */
    @Nullable MemoryFilter node(JsonNode json, String path, int depth) {
      count();
      if (!json.isObject() || json.isEmpty()) {
        return problem(path, "must be a non-empty JSON object: AND, OR, NOT or field members"
            + " such as {\"tags\": {\"contains\": \"food\"}}");
      }
      boolean combinator = json.has(AND) || json.has(OR) || json.has(NOT);
      if (combinator && json.size() > 1) {
        return problem(path, "holds " + names(json) + ": a node holds exactly one of AND, OR, NOT"
            + " or field members (wrap them in AND to combine)");
      }
      if (json.has(AND) || json.has(OR)) {
        String name = json.has(AND) ? AND : OR;
        List<MemoryFilter> operands = nodes(json.get(name), path + "." + name, nest(depth + 1));
        return operands == null ? null
            : name.equals(AND) ? new MemoryFilter.All(operands) : new MemoryFilter.Any(operands);
      }
      if (json.has(NOT)) {
        JsonNode operand = json.get(NOT);
        if (operand.isArray()) {
          List<MemoryFilter> operands = nodes(operand, path + "." + NOT, nest(depth + 2));
          return operands == null ? null : new MemoryFilter.Not(new MemoryFilter.All(operands));
        }
        MemoryFilter inner = node(operand, path + "." + NOT, nest(depth + 1));
        return inner == null ? null : new MemoryFilter.Not(inner);
      }
      List<MemoryFilter> fields = new ArrayList<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> member = it.next();
        String at = path + "." + member.getKey();
        if (member.getKey().equals("metadata")) {
          metadata(member.getValue(), at, fields);
        } else {
          Field field = field(member.getKey(), null, at);
          if (field != null) {
            comparisons(field, member.getValue(), at, fields);
          }
        }
      }
      if (fields.size() > 1) {
        nest(depth + 1);
      }
      return fields.size() == 1 ? fields.get(0)
          : fields.isEmpty() ? null : new MemoryFilter.All(fields);
    }

    /** {@code depth}, the combinators on a path, when within the limit. */
    private int nest(int depth) {
      if (depth > limits.maxFilterDepth()) {
        throw tooLarge(FILTER, "nests " + depth + " levels deep", depth,
            limits.maxFilterDepth(), Limits.MAX_FILTER_DEPTH);
      }
      return depth;
    }

    /** The operands of AND, OR or an array NOT: a non-empty array of nodes. */
    private @Nullable List<MemoryFilter> nodes(JsonNode array, String path, int depth) {
      if (!array.isArray() || array.isEmpty()) {
        problem(path, "must be a non-empty array of filter nodes");
        return null;
      }
      List<MemoryFilter> operands = new ArrayList<>();
      for (int i = 0; i < array.size(); i++) {
        MemoryFilter operand = node(array.get(i), path + "[" + i + "]", depth);
        if (operand != null) {
          operands.add(operand);
        }
      }
      return operands.size() == array.size() ? operands : null;
    }

    private void metadata(JsonNode paths, String at, List<MemoryFilter> into) {
      if (!paths.isObject() || paths.isEmpty()) {
        problem(at, "must be an object of metadata paths, such as {\"price\": {\"gt\": 3}}");
        return;
      }
      paths.fields().forEachRemaining(entry -> {
        String path = at + "." + entry.getKey();
        Field field = field("metadata", entry.getKey(), path);
        if (field != null) {
          comparisons(field, entry.getValue(), path, into);
        }
      });
    }

    private @Nullable Field field(String name, @Nullable String key, String path) {
      try {
        return new Field(name, key);
      } catch (InvalidRequestException e) {
        repath(e, path);
        return null;
      }
    }

    /** A bare value ({@code eq}) or an operator object, each operator one comparison. */
    private void comparisons(Field field, JsonNode value, String path, List<MemoryFilter> into) {
      if (!value.isObject()) {
        compare(field, Op.EQ, value, path, into);
        return;
      }
      if (value.isEmpty()) {
        problem(path, "an operator object needs at least one operator; supported: "
            + operators());
        return;
      }
      value.fields().forEachRemaining(entry -> {
        Op op = op(entry.getKey());
        if (op == null) {
          problem(path, "unknown operator " + JsonBody.quoted(entry.getKey()) + "; supported: "
              + operators());
        } else {
          compare(field, op, entry.getValue(), path + "." + entry.getKey(), into);
        }
      });
    }

    private void compare(Field field, Op op, JsonNode value, String path,
        List<MemoryFilter> into) {
      count();
      if (value.isArray() && (op == Op.IN || op == Op.NIN)) {
        values += value.size();
        if (value.size() > limits.maxFilterValues()) {
          throw tooLarge(FILTER, field.label() + " " + op.label() + " has " + value.size()
              + " values", value.size(), limits.maxFilterValues(), Limits.MAX_FILTER_VALUES);
        }
        long total = (long) limits.maxFilterValues() * TOTAL_VALUES_FACTOR;
        if (values > total) {
          throw tooLarge(FILTER, "has " + values + " values in all", values, total,
              Limits.MAX_FILTER_VALUES);
        }
      }
      // the values' JSON text counts toward the metadata limit, as a metadata filter's does
      size += value.toString().length();
      if (size > limits.maxMetadataSize()) {
        throw tooLarge(FILTER, "is about " + size + " bytes as JSON", size,
            limits.maxMetadataSize(), Limits.MAX_METADATA_SIZE);
      }
      try {
        into.add(new Compare(field, op, Answers.plain(value)));
      } catch (InvalidRequestException e) {
        repath(e, path);
      }
    }

    private void count() {
      if (++nodes > limits.maxFilterNodes()) {
        throw tooLarge(FILTER, "has " + nodes + " nodes", nodes, limits.maxFilterNodes(),
            Limits.MAX_FILTER_NODES);
      }
    }

    private void repath(InvalidRequestException e, String path) {
      e.violations().forEach(v -> problems.add(new Violation(path, v.problem())));
    }

    private @Nullable MemoryFilter problem(String path, String problem) {
      problems.add(new Violation(path, problem));
      return null;
    }
  }

  /**
   * A value over a limit, worded and sized as the engine's {@link Limits} check words it (on the
   * request's field, as the Java API names it), so that a managed client fails exactly as a local
   * one: the reader stops at the first excess instead of reading on.
   */
  static ContentTooLargeException tooLarge(String field, String measured, long size, long max,
      ConfigKey<?> key) {
    return new ContentTooLargeException(
        List.of(new Violation(field, Limits.overMaximum(measured, max, key))), size, max);
  }

  private static @Nullable Op op(String name) {
    for (Op op : Op.values()) {
      if (op.label().equals(name)) {
        return op;
      }
    }
    return null;
  }

  private static String operators() {
    return Arrays.stream(Op.values()).map(Op::label).collect(Collectors.joining(", "));
  }

  private static String names(JsonNode json) {
    List<String> names = new ArrayList<>();
    json.fieldNames().forEachRemaining(names::add);
    return String.join(", ", names);
  }

  // ------------------------------------------------------------------ the document

  /** The recursive {@code Filter} schema, the table of fields and operators in its description. */
  static Map<String, Object> schema() {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put(AND, map("description", "Every node holds.", "type", "array",
        "minItems", 1, "items", ref("Filter")));
    properties.put(OR, map("description", "At least one node holds.", "type", "array",
        "minItems", 1, "items", ref("Filter")));
    properties.put(NOT, map("description", "The node does not hold; an array means NOT of their"
        + " AND.", "oneOf", List.of(ref("Filter"), array(ref("Filter")))));
    properties.put("metadata", map("description", "Dotted metadata path to a value (eq) or an"
        + " operator object.", "type", "object", "additionalProperties", comparison()));
    for (String name : Field.NAMES.subList(1, Field.NAMES.size())) {
      properties.put(name, comparison());
    }
    return map("description", "A condition on memories (mem0 v2 shape). A node is an object with"
            + " exactly one of AND, OR, NOT, or field members (several are ANDed). A field takes a"
            + " bare value (eq) or an operator object whose keys are operators (several are ANDed)."
            + "\n\n| field | value | operators |\n|---|---|---|\n"
            + "| metadata.<path> | JSON scalar or list | eq ne gt gte lt lte in nin contains |\n"
            + "| created_at, updated_at, valid_from, invalid_at | ISO-8601 instant | eq ne gt gte"
            + " lt lte |\n"
            + "| tags | tag | contains (has it), in (has any), nin (has none) |\n"
            + "| people | name, case-insensitive | contains in nin |\n"
            + "| topic | text | eq ne in nin contains (substring) |\n"
            + "| agent_id, session_id | id | eq ne in nin |\n"
            + "| role | user, assistant, system, tool | eq ne in nin |\n"
            + "| content | text | contains (case-insensitive substring) |\n\n"
            + "user_id is not a field: the request's scope names the one user or agent searched."
            + " A comparison with a missing field or a value of another type is false (so ne and"
            + " nin on a missing field are true). Limits: inmemory.max-filter-nodes,"
            + " inmemory.max-filter-depth, inmemory.max-filter-values (413 when over).",
        "type", "object", "properties", properties, "additionalProperties", false);
  }

  private static Map<String, Object> comparison() {
    Map<String, Object> ops = new LinkedHashMap<>();
    for (Op op : Op.values()) {
      ops.put(op.label(), Map.of());
    }
    return map("description", "A bare value (eq) or an operator object.", "oneOf", List.of(
        map("not", map("type", "object")),
        map("type", "object", "minProperties", 1, "properties", ops,
            "additionalProperties", false)));
  }
}
