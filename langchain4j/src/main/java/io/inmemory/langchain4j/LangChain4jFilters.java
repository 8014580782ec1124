package io.inmemory.langchain4j;

import dev.langchain4j.store.embedding.filter.Filter;
import dev.langchain4j.store.embedding.filter.comparison.ContainsString;
import dev.langchain4j.store.embedding.filter.comparison.IsEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsGreaterThan;
import dev.langchain4j.store.embedding.filter.comparison.IsGreaterThanOrEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsIn;
import dev.langchain4j.store.embedding.filter.comparison.IsLessThan;
import dev.langchain4j.store.embedding.filter.comparison.IsLessThanOrEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsNotEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsNotIn;
import dev.langchain4j.store.embedding.filter.logical.And;
import dev.langchain4j.store.embedding.filter.logical.Not;
import dev.langchain4j.store.embedding.filter.logical.Or;
import io.inmemory.InvalidRequestException;
import io.inmemory.MemoryFilter;
import io.inmemory.MemoryFilter.Field;
import io.inmemory.MemoryFilter.Op;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Translates LangChain4j metadata {@link Filter}s into InMemory {@link MemoryFilter}s. Stateless
 * and thread-safe.
 *
 * <p>Keys: {@code "metadata.<path>"} is a metadata path; a bare key naming an InMemory field (a
 * {@link Field#NAMES field name} other than {@code metadata}: {@code tags people topic role
 * content agent_id session_id created_at updated_at valid_from invalid_at}) is that field;
 * {@code user_id} is refused (the user is the request's scope); any other key is a metadata path
 * (dots separate nested names). Values: a {@link UUID} becomes its text; the rest is given to
 * {@link MemoryFilter.Compare} as is, which checks and normalizes it (a {@code Float} is the
 * decimal it prints as; a {@code Date}, {@code OffsetDateTime} or {@code ZonedDateTime} on a time
 * field its instant).
 *
 * <p>Operators: {@code IsEqualTo IsNotEqualTo IsGreaterThan IsGreaterThanOrEqualTo IsLessThan
 * IsLessThanOrEqualTo IsIn IsNotIn} become {@code eq ne gt gte lt lte in nin}, except on
 * {@code tags} and {@code people}, lists of names, where {@code IsEqualTo} is "has it"
 * ({@code contains}), {@code IsNotEqualTo} "has it not" and the orderings are refused.
 * {@code ContainsString} is a substring test on metadata text (membership on a metadata list) and on
 * the topic, and on {@code content} a <em>case-insensitive</em> substring test (LangChain4j's own is
 * case-sensitive); it is the only operator {@code content} takes. {@code And}, {@code Or}
 * and {@code Not} become {@link MemoryFilter#and}, {@link MemoryFilter#or} and
 * {@link MemoryFilter#not}, nested {@code And}s (and {@code Or}s) flattened into one node so that
 * a long chain stays within the client's filter depth.
 *
 * <p>Anything else — another field/operator pair, a {@code Filter} class of the application's own —
 * is refused with {@link InvalidRequestException} on field {@code filter}, naming the filter, the key
 * and what is supported; a value the field does not take is refused by {@link MemoryFilter.Compare}
 * the same way. The size of the result (nodes, depth, values) is checked by the client.
 */
public final class LangChain4jFilters {

  /** The LangChain4j filters translated, as refusals list them. */
  static final String SUPPORTED = "IsEqualTo, IsNotEqualTo, IsGreaterThan, IsGreaterThanOrEqualTo,"
      + " IsLessThan, IsLessThanOrEqualTo, IsIn, IsNotIn, ContainsString, And, Or, Not";

  private static final String METADATA_PREFIX = "metadata.";

  private LangChain4jFilters() {
  }

  /**
   * The InMemory filter equivalent to {@code filter}.
   *
   * @throws InvalidRequestException (field {@code filter}) when {@code filter} is null, or it or a
   *     part of it cannot be translated
   */
  public static MemoryFilter translate(Filter filter) {
    if (filter == null) {
      throw new InvalidRequestException("filter", "a LangChain4j filter is required");
    }
    if (filter instanceof And) {
      return new MemoryFilter.All(operands(filter));
    }
    if (filter instanceof Or) {
      return new MemoryFilter.Any(operands(filter));
    }
    if (filter instanceof Not not) {
      return MemoryFilter.not(translate(not.expression()));
    }
    for (Comparison<?> comparison : COMPARISONS) {
      if (comparison.type().isInstance(filter)) {
        return comparison.translate(filter);
      }
    }
    throw refusal(filter, null, "it is not one of LangChain4j's filters");
  }

  /** A LangChain4j comparison class: the operator it is, and how to read its key and value. */
  private record Comparison<F extends Filter>(
      Class<F> type, Op op, Function<F, String> key, Function<F, Object> value) {
    MemoryFilter translate(Filter filter) {
      F comparison = type.cast(filter);
      return compare(filter, key.apply(comparison), op, value.apply(comparison));
    }
  }

  private static final List<Comparison<?>> COMPARISONS = List.of(
      new Comparison<>(IsEqualTo.class, Op.EQ, IsEqualTo::key, IsEqualTo::comparisonValue),
      new Comparison<>(IsNotEqualTo.class, Op.NE, IsNotEqualTo::key,
          IsNotEqualTo::comparisonValue),
      new Comparison<>(IsGreaterThan.class, Op.GT, IsGreaterThan::key,
          IsGreaterThan::comparisonValue),
      new Comparison<>(IsGreaterThanOrEqualTo.class, Op.GTE, IsGreaterThanOrEqualTo::key,
          IsGreaterThanOrEqualTo::comparisonValue),
      new Comparison<>(IsLessThan.class, Op.LT, IsLessThan::key, IsLessThan::comparisonValue),
      new Comparison<>(IsLessThanOrEqualTo.class, Op.LTE, IsLessThanOrEqualTo::key,
          IsLessThanOrEqualTo::comparisonValue),
      new Comparison<>(IsIn.class, Op.IN, IsIn::key, IsIn::comparisonValues),
      new Comparison<>(IsNotIn.class, Op.NIN, IsNotIn::key, IsNotIn::comparisonValues),
      new Comparison<>(ContainsString.class, Op.CONTAINS, ContainsString::key,
          ContainsString::comparisonValue));

  /**
   * The translated operands of a chain of {@code And}s (or of {@code Or}s), left to right: the
   * operands of a nested node of the same class are the chain's own.
   */
  private static List<MemoryFilter> operands(Filter chain) {
    List<MemoryFilter> translated = new ArrayList<>();
    Deque<Filter> pending = new ArrayDeque<>(sides(chain));
    while (!pending.isEmpty()) {
      Filter next = pending.pop();
      if (next.getClass() == chain.getClass()) {
        List<Filter> sides = sides(next);
        for (int i = sides.size() - 1; i >= 0; i--) {
          pending.push(sides.get(i));
        }
      } else {
        translated.add(translate(next));
      }
    }
    return translated;
  }

  private static List<Filter> sides(Filter node) {
    return node instanceof And and ? List.of(and.left(), and.right())
        : List.of(((Or) node).left(), ((Or) node).right());
  }

  private static MemoryFilter compare(Filter filter, String key, Op op, @Nullable Object value) {
    Field field = field(filter, key);
    Object given = value instanceof Collection<?> values
        ? values.stream().map(LangChain4jFilters::value).toList() : value(value);
    switch (field.name()) {
      case "tags", "people" -> {
        return switch (op) {
          case EQ -> field.contains(given);
          case NE -> MemoryFilter.not(field.contains(given));
          case IN, NIN -> new MemoryFilter.Compare(field, op, given);
          case CONTAINS -> throw refusal(filter, key, key + " are matched whole, not by"
              + " substring: use IsEqualTo");
          default -> throw refusal(filter, key, key + " is a list of names: use IsEqualTo,"
              + " IsNotEqualTo, IsIn or IsNotIn");
        };
      }
      case "content" -> {
        if (op != Op.CONTAINS) {
          throw refusal(filter, key, "content is matched by ContainsString only");
        }
      }
      case "metadata", "topic" -> {
        // every operator is Compare's to check
      }
      default -> {
        if (op == Op.CONTAINS) {
          throw refusal(filter, key, "ContainsString applies to metadata, topic and content only");
        }
      }
    }
    return new MemoryFilter.Compare(field, op, given);
  }

  private static Field field(Filter filter, String key) {
    if (key == null) {
      throw refusal(filter, null, "it has no key");
    }
    if ("user_id".equals(key)) {
      throw refusal(filter, key, "the user is the request's scope, not a filter");
    }
    if (key.startsWith(METADATA_PREFIX)) {
      return MemoryFilter.metadata(key.substring(METADATA_PREFIX.length()));
    }
    // a bare field name other than metadata (which needs a path) is that field
    return !key.equals("metadata") && Field.NAMES.contains(key) ? new Field(key, null)
        : MemoryFilter.metadata(key);
  }

  private static @Nullable Object value(@Nullable Object value) {
    if (value instanceof UUID uuid) {
      return uuid.toString();
    }
    return value;
  }

  private static InvalidRequestException refusal(Filter filter, @Nullable String key, String why) {
    String on = key == null ? "" : " on '" + key + "'";
    return new InvalidRequestException("filter", "LangChain4j filter "
        + filter.getClass().getSimpleName() + on + " is not supported: " + why + "; supported: "
        + SUPPORTED);
  }
}
