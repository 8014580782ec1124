package io.inmemory;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * A condition on memories, combined from field comparisons with {@link #and}, {@link #or} and
 * {@link #not}, for searches and listings. Immutable and thread-safe. Built fluently:
 * {@code MemoryFilter.and(MemoryFilter.metadata("price").gt(3), MemoryFilter.tags().contains("food"))}.
 *
 * <p>Fields and the operators each accepts (anything else is refused with
 * {@link InvalidRequestException}, field {@code filter}, naming what is supported):
 * <table>
 * <caption>Filter fields</caption>
 * <tr><th>field</th><th>value</th><th>operators</th></tr>
 * <tr><td>{@code metadata.<path>}</td><td>JSON scalar, or a list; gt gte lt lte take a number
 *     or text (an instant as ISO-8601 text) only</td>
 *     <td>eq ne gt gte lt lte in nin contains</td></tr>
 * <tr><td>{@code created_at updated_at valid_from invalid_at}</td><td>instant: an
 *     {@code Instant}, {@code Date}, {@code OffsetDateTime}, {@code ZonedDateTime} or ISO-8601
 *     text</td><td>eq ne gt gte lt lte</td></tr>
 * <tr><td>{@code tags}</td><td>tag</td><td>contains (has it), in (has any), nin (has none)</td></tr>
 * <tr><td>{@code people}</td><td>name, case-insensitive</td><td>contains in nin</td></tr>
 * <tr><td>{@code topic}</td><td>text</td><td>eq ne in nin contains (substring)</td></tr>
 * <tr><td>{@code agent_id session_id}</td><td>id</td><td>eq ne in nin</td></tr>
 * <tr><td>{@code role}</td><td>{@link Role} or its name</td><td>eq ne in nin</td></tr>
 * <tr><td>{@code content}</td><td>text</td><td>contains (case-insensitive substring)</td></tr>
 * </table>
 * {@code user_id} is not a field: the request's scope names the one user (or agent) searched.
 *
 * <p>Semantics: numbers compare as numbers, text lexicographically, instants in time; a
 * comparison with a missing field or a value of another type is false, so {@code ne} and
 * {@code nin} on a missing field are true (they are {@code NOT(eq)} and {@code NOT(in)}). Metadata
 * {@code contains} is a substring test on a text value and membership on a list. Values are
 * normalized when the comparison is built: tags as {@link Labels} normalizes them, the topic
 * lower-cased, instants to milliseconds, role names to {@link Role}, metadata values as metadata
 * values are. The sizes (nodes, depth, values) are checked by the client against its
 * {@link Limits}.
 */
public sealed interface MemoryFilter
    permits MemoryFilter.All, MemoryFilter.Any, MemoryFilter.Not, MemoryFilter.Compare {

  /** Every filter holds; not empty. */
  record All(List<MemoryFilter> filters) implements MemoryFilter {
    public All {
      filters = operands("AND", filters);
    }
  }

  /** At least one filter holds; not empty. */
  record Any(List<MemoryFilter> filters) implements MemoryFilter {
    public Any {
      filters = operands("OR", filters);
    }
  }

  /** The filter does not hold. */
  record Not(MemoryFilter filter) implements MemoryFilter {
    public Not {
      if (filter == null) {
        throw new InvalidRequestException("filter", "NOT needs a filter");
      }
    }
  }

  /**
   * A field compared with a value. The constructor checks that the operator applies to the field
   * and the value to both, and normalizes the value: a single value for {@code eq ne gt gte lt lte
   * contains}, a non-empty unmodifiable list for {@code in nin}.
   */
  record Compare(Field field, Op op, Object value) implements MemoryFilter {
    public Compare {
      Values values = Values.forRequest();
      if (field == null || op == null) {
        throw new InvalidRequestException("filter", "a comparison needs a field and an operator");
      }
      value = field.normalize(values, op, value);
      values.throwIfAny();
    }
  }

  /** Comparison operators; see the class comment for the fields each applies to. */
  enum Op {
    EQ, NE, GT, GTE, LT, LTE, IN, NIN, CONTAINS;

    /** The operator as the filter language spells it: lower case. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * A field of a memory a filter compares: one of the names of the class comment, with
   * {@code key} the dotted metadata path for {@code metadata} and {@code null} otherwise. Its
   * methods build the comparisons.
   */
  record Field(String name, @Nullable String key) {
    /** Every field name, in the order messages list them. */
    public static final List<String> NAMES = List.of("metadata", "created_at", "updated_at",
        "valid_from", "invalid_at", "tags", "people", "topic", "agent_id", "session_id", "role",
        "content");

    public Field {
      if (name == null || !NAMES.contains(name)) {
        String problem = "user_id".equals(name)
            ? "user_id is the request's scope (userId); a search spans one user or one agent"
            : "unknown field '" + name + "'; supported: metadata.<key>, "
                + String.join(", ", NAMES.subList(1, NAMES.size()));
        throw new InvalidRequestException("filter", problem);
      }
      boolean metadata = name.equals("metadata");
      if (metadata && (key == null || key.isBlank() || Arrays.stream(key.split("\\.", -1))
          .anyMatch(String::isBlank))) {
        throw new InvalidRequestException("filter",
            "metadata needs a key: a dotted path of non-blank names, such as metadata.price");
      }
      if (metadata) {
        Values values = Values.forRequest();
        values.text("filter", "metadata key '" + Values.abbreviate(key) + "' ", key);
        values.throwIfAny();
      }
      if (!metadata && key != null) {
        throw new InvalidRequestException("filter", name + " has no key (only metadata has)");
      }
    }

    /** The field as the filter language writes it: {@code metadata.<key>} or the name. */
    public String label() {
      return key == null ? name : name + "." + key;
    }

    public Compare eq(Object value) {
      return new Compare(this, Op.EQ, value);
    }

    public Compare ne(Object value) {
      return new Compare(this, Op.NE, value);
    }

    public Compare gt(Object value) {
      return new Compare(this, Op.GT, value);
    }

    public Compare gte(Object value) {
      return new Compare(this, Op.GTE, value);
    }

    public Compare lt(Object value) {
      return new Compare(this, Op.LT, value);
    }

    public Compare lte(Object value) {
      return new Compare(this, Op.LTE, value);
    }

    public Compare in(Object... values) {
      return in(Arrays.asList(values));
    }

    public Compare in(Collection<?> values) {
      return new Compare(this, Op.IN, values);
    }

    public Compare nin(Object... values) {
      return nin(Arrays.asList(values));
    }

    public Compare nin(Collection<?> values) {
      return new Compare(this, Op.NIN, values);
    }

    public Compare contains(Object value) {
      return new Compare(this, Op.CONTAINS, value);
    }

    /** {@code value} normalized for a comparison by {@code op}; violations go to {@code values}. */
    @Nullable Object normalize(Values values, Op op, @Nullable Object value) {
      Kind kind = kind();
      if (!kind.ops.contains(op)) {
        values.add("filter", "operator " + op.label() + " does not apply to " + label()
            + "; " + label() + " supports " + labels(kind.ops));
        return null;
      }
      if (kind == Kind.METADATA && ORDERING.contains(op) && (value instanceof Boolean || value instanceof Collection<?>
          || value instanceof Map<?, ?>)) {
        // a boolean, list or object is never greater or less than a stored value: refused
        // rather than a comparison that is always false (instant fields check their own values)
        values.add("filter", label() + ": " + op.label() + " compares a number, text or an"
            + " instant, was " + typeOf(value));
        return null;
      }
      return op == Op.IN || op == Op.NIN ? kind.values(values, this, value)
          : kind.value(values, this, value);
    }

    /** The operators that order values. */
    private static final Set<Op> ORDERING = EnumSet.of(Op.GT, Op.GTE, Op.LT, Op.LTE);

    /** The type of a filter's value as the filter language (JSON) names it, with its article. */
    private static String typeOf(Object value) {
      if (value instanceof String) {
        return "text";
      }
      if (value instanceof Number) {
        return "a number";
      }
      if (value instanceof Boolean) {
        return "a boolean";
      }
      if (value instanceof Collection<?>) {
        return "a list";
      }
      if (value instanceof Map<?, ?>) {
        return "an object";
      }
      return value instanceof Instant ? "an instant" : "a " + value.getClass().getSimpleName();
    }

    private static String labels(Set<Op> ops) {
      return ops.stream().map(Op::label).collect(Collectors.joining(", "));
    }

    private Kind kind() {
      return switch (name) {
        case "metadata" -> Kind.METADATA;
        case "created_at", "updated_at", "valid_from", "invalid_at" -> Kind.INSTANT;
        case "tags" -> Kind.TAGS;
        case "people" -> Kind.PEOPLE;
        case "topic" -> Kind.TOPIC;
        case "agent_id", "session_id" -> Kind.ID;
        case "role" -> Kind.ROLE;
        default -> Kind.CONTENT;
      };
    }

    /** What values a field takes, which operators apply, and how a value is normalized. */
    private enum Kind {
      METADATA(EnumSet.allOf(Op.class)),
      INSTANT(EnumSet.of(Op.EQ, Op.NE, Op.GT, Op.GTE, Op.LT, Op.LTE)),
      TAGS(EnumSet.of(Op.CONTAINS, Op.IN, Op.NIN)),
      PEOPLE(EnumSet.of(Op.CONTAINS, Op.IN, Op.NIN)),
      TOPIC(EnumSet.of(Op.EQ, Op.NE, Op.IN, Op.NIN, Op.CONTAINS)),
      ID(EnumSet.of(Op.EQ, Op.NE, Op.IN, Op.NIN)),
      ROLE(EnumSet.of(Op.EQ, Op.NE, Op.IN, Op.NIN)),
      CONTENT(EnumSet.of(Op.CONTAINS));

      final Set<Op> ops;

      Kind(Set<Op> ops) {
        this.ops = ops;
      }

      /** The values of an {@code in} or {@code nin}: a non-empty collection, each normalized. */
      List<Object> values(Values values, Field field, @Nullable Object given) {
        if (!(given instanceof Collection<?> collection) || collection.isEmpty()) {
          values.add("filter", field.label() + ": in and nin need a non-empty list of values");
          return List.of();
        }
        List<Object> normalized = new ArrayList<>(collection.size());
        for (Object item : collection) {
          Object value = value(values, field, item);
          if (value != null) {
            normalized.add(value);
          }
        }
        return List.copyOf(normalized);
      }

      /** One value normalized for this kind, or {@code null} after adding a violation. */
      @Nullable Object value(Values values, Field field, @Nullable Object given) {
        String where = "filter";
        if (given == null) {
          values.add(where, field.label() + ": a value is required (null is not comparable)");
          return null;
        }
        switch (this) {
          case METADATA:
            if (given instanceof Map<?, ?>) {
              values.add(where, field.label() + ": compare with a scalar or a list, not an object");
              return null;
            }
            return values.json(where, given);
          case INSTANT:
            return instant(values, field, given);
          case ROLE:
            return role(values, field, given);
          default:
            break;
        }
        if (!(given instanceof String text)) {
          values.add(where, field.label() + ": the value must be text, was " + typeOf(given));
          return null;
        }
        return switch (this) {
          case TAGS -> {
            List<String> tags = values.tags(where, List.of(text));
            yield tags.isEmpty() ? null : tags.get(0);
          }
          case PEOPLE -> {
            List<String> people = values.people(where, List.of(text));
            yield people.isEmpty() ? null : people.get(0);
          }
          case TOPIC -> {
            String topic = values.topic(where, text);
            if (topic == null) {
              values.add(where, field.label() + ": the value must not be blank");
            }
            yield topic;
          }
          case ID -> values.scopeId(where, text);
          default -> {
            if (text.isBlank()) {
              values.add(where, field.label() + ": the value must not be blank");
            }
            yield values.text(where, text);
          }
        };
      }

      private static @Nullable Instant instant(Values values, Field field, Object given) {
        String what = field.label() + ": the value ";
        if (given instanceof Instant instant) {
          return values.instant("filter", what, instant);
        }
        // each names one instant (a local date or time names none); java.sql.Date has no
        // toInstant, so every Date is read by its milliseconds
        if (given instanceof Date date) {
          return values.instant("filter", what, Instant.ofEpochMilli(date.getTime()));
        }
        if (given instanceof OffsetDateTime || given instanceof ZonedDateTime) {
          return values.instant("filter", what, Instant.from((TemporalAccessor) given));
        }
        if (given instanceof String text) {
          try {
            return values.instant("filter", what, Instant.parse(text));
          } catch (DateTimeParseException e) {
            // reported below with the field's name
          }
        }
        values.add("filter", field.label() + ": the value must be an ISO-8601 instant such as"
            + " 2024-01-01T00:00:00Z (in Java an Instant, Date, OffsetDateTime or ZonedDateTime),"
            + " was " + Values.abbreviate(String.valueOf(given)));
        return null;
      }

      private static @Nullable Role role(Values values, Field field, Object given) {
        if (given instanceof Role role) {
          return role;
        }
        for (Role role : Role.values()) {
          if (role.name().toLowerCase(Locale.ROOT).equals(given)) {
            return role;
          }
        }
        values.add("filter", field.label() + ": the value must be one of user, assistant, system,"
            + " tool, was " + Values.abbreviate(String.valueOf(given)));
        return null;
      }
    }
  }

  /** Every filter holds. */
  static MemoryFilter and(MemoryFilter... filters) {
    return new All(Arrays.asList(filters));
  }

  /** At least one filter holds. */
  static MemoryFilter or(MemoryFilter... filters) {
    return new Any(Arrays.asList(filters));
  }

  /** The filter does not hold. */
  static MemoryFilter not(MemoryFilter filter) {
    return new Not(filter);
  }

  /** A metadata value by dotted path, such as {@code "price"} or {@code "address.city"}. */
  static Field metadata(String path) {
    return new Field("metadata", path);
  }

  static Field createdAt() {
    return new Field("created_at", null);
  }

  static Field updatedAt() {
    return new Field("updated_at", null);
  }

  static Field validFrom() {
    return new Field("valid_from", null);
  }

  static Field invalidAt() {
    return new Field("invalid_at", null);
  }

  static Field tags() {
    return new Field("tags", null);
  }

  static Field people() {
    return new Field("people", null);
  }

  static Field topic() {
    return new Field("topic", null);
  }

  static Field agentId() {
    return new Field("agent_id", null);
  }

  static Field sessionId() {
    return new Field("session_id", null);
  }

  static Field role() {
    return new Field("role", null);
  }

  static Field content() {
    return new Field("content", null);
  }

  private static List<MemoryFilter> operands(String combinator, @Nullable List<MemoryFilter> given) {
    if (given == null || given.isEmpty() || Values.hasNull(given)) {
      throw new InvalidRequestException("filter",
          combinator + " needs at least one filter, and no null");
    }
    return List.copyOf(given);
  }

}
