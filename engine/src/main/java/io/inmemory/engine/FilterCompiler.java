package io.inmemory.engine;

import io.inmemory.MemoryFilter;
import io.inmemory.MemoryFilter.Compare;
import io.inmemory.MemoryRecord;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Compiles a {@link MemoryFilter} into an exact test of a record and, where the partition's
 * indexes can answer part of it, a {@link Source} of candidates. Semantics, as
 * {@link MemoryFilter} documents them: numbers compare as numbers whatever their Java type, text
 * lexicographically, instants in time; a comparison with a missing field or a value of another
 * type is false, so {@code ne} and {@code nin} (the negations of {@code eq} and {@code in}) are
 * true there. Stateless.
 */
final class FilterCompiler {
  private FilterCompiler() {}

  /** A compiled filter: its exact test, and where its matches lie, or null when unknown. */
  record Compiled(Predicate<MemoryRecord> test, @Nullable Source source) {}

  static Compiled compile(MemoryFilter filter) {
    if (filter instanceof MemoryFilter.All all) {
      return all(all.filters());
    }
    if (filter instanceof MemoryFilter.Any any) {
      return any(any.filters());
    }
    if (filter instanceof MemoryFilter.Not not) {
      return new Compiled(compile(not.filter()).test().negate(), null);
    }
    return compare((Compare) filter);
  }

  private static Compiled all(List<MemoryFilter> filters) {
    List<Compiled> operands = filters.stream().map(FilterCompiler::compile).toList();
    return new Compiled(allOf(operands.stream().map(Compiled::test).toList()),
        Source.all(sources(operands)));
  }

  /** A test passed when every one of {@code tests} is. */
  static Predicate<MemoryRecord> allOf(List<Predicate<MemoryRecord>> tests) {
    List<Predicate<MemoryRecord>> all = List.copyOf(tests);
    return record -> {
      for (Predicate<MemoryRecord> test : all) {
        if (!test.test(record)) {
          return false;
        }
      }
      return true;
    };
  }

  private static Compiled any(List<MemoryFilter> filters) {
    List<Compiled> operands = filters.stream().map(FilterCompiler::compile).toList();
    List<Predicate<MemoryRecord>> tests = operands.stream().map(Compiled::test).toList();
    Predicate<MemoryRecord> test = record -> {
      for (Predicate<MemoryRecord> each : tests) {
        if (each.test(record)) {
          return true;
        }
      }
      return false;
    };
    List<Source> sources = sources(operands);
    // An operand without a source may match anywhere, so then only a scan finds every match.
    return new Compiled(test,
        sources.size() == operands.size() ? new Source.Union(sources) : null);
  }

  /** The sources of the operands that have one. */
  private static List<Source> sources(List<Compiled> operands) {
    return operands.stream().map(Compiled::source).filter(Objects::nonNull).toList();
  }

  private static Compiled compare(Compare compare) {
    MemoryFilter.Op op = compare.op();
    Object value = compare.value();
    return switch (compare.field().name()) {
      case "metadata" -> new Compiled(metadata(compare.field().key(), op, value), null);
      case "created_at" -> new Compiled(
          ordered(MemoryRecord::createdAt, op, value), createdRange(op, (Instant) value));
      case "updated_at" -> new Compiled(ordered(MemoryRecord::updatedAt, op, value), null);
      case "valid_from" -> new Compiled(ordered(MemoryRecord::validFrom, op, value), null);
      case "invalid_at" -> new Compiled(ordered(MemoryRecord::invalidAt, op, value), null);
      case "tags" -> labels(Source.Index.TAGS, op, value, key -> key,
          (record, tag) -> record.tags().contains(tag));
      case "people" -> labels(Source.Index.PEOPLE, op, value, Selection::personKey,
          MemoryRecord::mentions);
      case "topic" -> new Compiled(op == MemoryFilter.Op.CONTAINS
          ? record -> record.topic() != null && record.topic().contains((String) value)
          : equality(MemoryRecord::topic, op, value), null);
      case "agent_id" -> identity(Source.Index.AGENTS, MemoryRecord::agentId, op, value);
      case "session_id" -> identity(Source.Index.SESSIONS, MemoryRecord::sessionId, op, value);
      case "role" -> new Compiled(equality(MemoryRecord::role, op, value), null);
      case "content" -> {
        String lowered = ((String) value).toLowerCase(Locale.ROOT);
        yield new Compiled(
            record -> record.content().toLowerCase(Locale.ROOT).contains(lowered), null);
      }
      default -> throw new IllegalArgumentException(
          "no evaluation of filter field " + compare.field().label());
    };
  }

  /** An agent or session id: eq and in find their memories through the postings. */
  private static Compiled identity(Source.Index index,
      Function<MemoryRecord, @Nullable String> field, MemoryFilter.Op op, Object value) {
    Source source = switch (op) {
      case EQ -> new Source.Posted(index, List.of((String) value));
      case IN -> new Source.Posted(index, strings(value));
      default -> null;
    };
    return new Compiled(equality(field, op, value), source);
  }

  /**
   * A tag or person comparison: contains (carries it), in (carries any), nin (carries none); the
   * first two find their memories through the postings, keyed by {@code key}.
   */
  private static Compiled labels(Source.Index index, MemoryFilter.Op op, Object value,
      Function<String, String> key, BiPredicate<MemoryRecord, String> carries) {
    List<String> values = op == MemoryFilter.Op.CONTAINS ? List.of((String) value) : strings(value);
    Predicate<MemoryRecord> any = record -> {
      for (String each : values) {
        if (carries.test(record, each)) {
          return true;
        }
      }
      return false;
    };
    return op == MemoryFilter.Op.NIN ? new Compiled(any.negate(), null)
        : new Compiled(any, new Source.Posted(index, values.stream().map(key).distinct().toList()));
  }

  /** eq, ne, in, nin of a field compared by {@link #same}. */
  private static <T> Predicate<MemoryRecord> equality(Function<MemoryRecord, @Nullable T> field,
      MemoryFilter.Op op, Object value) {
    return switch (op) {
      case EQ -> record -> same(field.apply(record), value);
      case NE -> record -> !same(field.apply(record), value);
      case IN -> record -> anySame(field.apply(record), (List<?>) value);
      case NIN -> record -> !anySame(field.apply(record), (List<?>) value);
      default -> throw new IllegalArgumentException("operator " + op.label() + " is not equality");
    };
  }

  private static Predicate<MemoryRecord> metadata(@Nullable String path, MemoryFilter.Op op,
      Object value) {
    String[] names = Objects.requireNonNull(path, "metadata path").split("\\.");
    Function<MemoryRecord, @Nullable Object> field = record -> at(record.metadata(), names);
    if (op == MemoryFilter.Op.CONTAINS) {
      return record -> contains(field.apply(record), value);
    }
    return ordered(field, op, value);
  }

  /** Any comparison of a field whose values order (numbers, text, instants). */
  private static <T> Predicate<MemoryRecord> ordered(Function<MemoryRecord, @Nullable T> field,
      MemoryFilter.Op op, Object value) {
    return switch (op) {
      case EQ, NE, IN, NIN -> equality(field, op, value);
      case GT -> record -> holds(field.apply(record), value, order -> order > 0);
      case GTE -> record -> holds(field.apply(record), value, order -> order >= 0);
      case LT -> record -> holds(field.apply(record), value, order -> order < 0);
      case LTE -> record -> holds(field.apply(record), value, order -> order <= 0);
      case CONTAINS -> throw new IllegalArgumentException("contains is not an ordering");
    };
  }

  /** The candidates of a createdAt comparison: its instants, at millisecond precision. */
  private static @Nullable Source createdRange(MemoryFilter.Op op, Instant value) {
    Instant next = value.plusMillis(1);
    return switch (op) {
      case EQ -> new Source.Range(value, next);
      case GT -> new Source.Range(next, null);
      case GTE -> new Source.Range(value, null);
      case LT -> new Source.Range(null, value);
      case LTE -> new Source.Range(null, next);
      default -> null;
    };
  }

  /** The value at a dotted path of nested metadata objects, or null when there is none. */
  private static @Nullable Object at(Map<String, Object> metadata, String[] path) {
    Object value = metadata;
    for (String name : path) {
      if (!(value instanceof Map<?, ?> map)) {
        return null;
      }
      value = map.get(name);
    }
    return value;
  }

  /** Substring of a text value, membership in a list value; false otherwise. */
  private static boolean contains(@Nullable Object field, Object value) {
    if (field instanceof String text) {
      return value instanceof String part && text.contains(part);
    }
    if (field instanceof List<?> list) {
      return anySame(value, list);
    }
    return false;
  }

  /**
   * Whether {@code field} compared with {@code value} (negative, zero, positive) satisfies
   * {@code sign}; false when the field is missing or the two are not of one ordered kind.
   */
  private static boolean holds(@Nullable Object field, Object value, IntPredicate sign) {
    int order;
    if (field instanceof Number a && value instanceof Number b) {
      order = compare(a, b);
    } else if (field instanceof String a && value instanceof String b) {
      order = a.compareTo(b);
    } else if (field instanceof Instant a && value instanceof Instant b) {
      order = a.compareTo(b);
    } else {
      return false;
    }
    return sign.test(order);
  }

  /** Equal values: numbers by value whatever their type, lists element by element. */
  private static boolean same(@Nullable Object field, Object value) {
    if (field == null) {
      return false;
    }
    if (field instanceof Number a && value instanceof Number b) {
      return compare(a, b) == 0;
    }
    if (field instanceof List<?> a && value instanceof List<?> b) {
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (b.get(i) == null ? a.get(i) != null : !same(a.get(i), b.get(i))) {
          return false;
        }
      }
      return true;
    }
    return field.equals(value);
  }

  private static boolean anySame(@Nullable Object field, List<?> values) {
    for (Object value : values) {
      if (value != null && same(field, value)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Two numbers by value: metadata holds integers as {@code Long} and decimals as {@code Double},
   * compared exactly with each other (so 3 equals 3.0, and no large long is rounded).
   */
  private static int compare(Number a, Number b) {
    if (a instanceof Long x && b instanceof Long y) {
      return Long.compare(x, y);
    }
    if (a instanceof Double x && b instanceof Double y) {
      // + 0.0 turns -0.0 into 0.0, which Double.compare would order below it
      return Double.compare(x + 0.0, y + 0.0);
    }
    return exact(a).compareTo(exact(b));
  }

  private static BigDecimal exact(Number number) {
    return number instanceof Double || number instanceof Float
        ? new BigDecimal(number.doubleValue()) : BigDecimal.valueOf(number.longValue());
  }

  @SuppressWarnings("unchecked")
  private static List<String> strings(Object values) {
    return (List<String>) values;
  }
}
