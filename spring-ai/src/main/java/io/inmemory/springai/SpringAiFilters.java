package io.inmemory.springai;

import io.inmemory.InvalidRequestException;
import io.inmemory.MemoryFilter;
import io.inmemory.MemoryFilter.Field;
import io.inmemory.MemoryFilter.Op;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.vectorstore.filter.Filter;
import org.springframework.ai.vectorstore.filter.FilterExpressionTextParser;

/**
 * Spring AI filter expressions ({@link Filter.Expression}, as built by
 * {@code FilterExpressionBuilder} or parsed from the text DSL such as
 * {@code "topic == 'food' && year >= 2020"}) translated into {@link MemoryFilter}s. Stateless and
 * thread-safe.
 *
 * <p>Keys: a {@link Field#NAMES field name} other than {@code metadata} ({@code tags},
 * {@code people}, {@code topic}, {@code agent_id}, {@code session_id}, {@code role},
 * {@code content}, {@code created_at}, {@code updated_at}, {@code valid_from},
 * {@code invalid_at}) is that field; {@code metadata.<path>} is that metadata path; any other key
 * is a metadata key (Spring AI keys name document metadata), so a metadata key spelled like a
 * field must be written {@code metadata.<key>}. {@code user_id} is refused (the scope names the
 * user).
 *
 * <p>Operators: {@code == != > >= < <= IN NIN} become the same comparison (the comparison checks
 * that the field accepts the operator and value), except that {@code ==} and {@code !=} on the
 * list fields {@code tags} and {@code people} mean "contains" and "does not contain", as on a
 * document store's list metadata. {@code AND}, {@code OR}, {@code NOT} and groups combine as
 * written. Values go to {@link MemoryFilter.Compare} as given: it takes a {@code Date},
 * {@code OffsetDateTime} or {@code ZonedDateTime} on a time field as its instant.
 * {@code IS NULL} and {@code IS NOT NULL} are refused: InMemory filters have no missing-field test.
 *
 * <p>Every refusal is an {@link InvalidRequestException} on field {@code filter}.
 */
public final class SpringAiFilters {
  private static final Set<String> LIST_FIELDS = Set.of("tags", "people");
  private static final String METADATA_PREFIX = "metadata.";
  /** The largest {@code inmemory.max-filter-depth} a runtime accepts. */
  private static final int MAX_DEPTH = 1000;

  private SpringAiFilters() {}

  /**
   * {@code expression} as an InMemory filter.
   *
   * @throws InvalidRequestException (field {@code filter}) for a null expression, an
   *     {@code IS NULL}/{@code IS NOT NULL} test, {@code user_id}, a field, operator or value
   *     InMemory does not accept, or AND, OR and NOT nested deeper than 1000 levels (the most any
   *     runtime's {@code inmemory.max-filter-depth} allows; the runtime's own limit, 8 by default,
   *     is checked when the filter is used)
   */
  public static MemoryFilter toMemoryFilter(Filter.Expression expression) {
    if (expression == null) {
      throw new InvalidRequestException("filter", "the filter expression is null");
    }
    return translate(expression, 1);
  }

  private static MemoryFilter translate(Filter.Expression expression, int depth) {
    if (depth > MAX_DEPTH) {
      // refused before this recursion can overflow the stack
      throw new InvalidRequestException("filter", "nested deeper than " + MAX_DEPTH
          + " levels of AND, OR and NOT, the most any InMemory runtime accepts"
          + " (inmemory.max-filter-depth)");
    }
    if (expression.type() == null) {
      throw new InvalidRequestException("filter", "an expression without a type: " + expression);
    }
    return switch (expression.type()) {
      case AND, OR -> combine(expression, depth);
      case NOT -> MemoryFilter.not(translate(unwrap(expression.left()), depth + 1));
      case ISNULL, ISNOTNULL -> throw new InvalidRequestException("filter",
          "IS NULL and IS NOT NULL are not supported: InMemory filters have no missing-field"
              + " test; != and NIN are true on a missing field");
      case EQ, NE, GT, GTE, LT, LTE, IN, NIN -> compare(expression);
    };
  }

  /**
   * {@code text} in Spring AI's filter language parsed, then {@linkplain #toMemoryFilter
   * translated}.
   *
   * @throws InvalidRequestException (field {@code filter}) when the text does not parse (with the
   *     parser's message, or "nested too deeply" when the parser's recursion overflows) or the
   *     expression is refused
   */
  public static MemoryFilter parse(String text) {
    if (text == null || text.isBlank()) {
      throw new InvalidRequestException("filter", "the filter text is empty");
    }
    Filter.Expression expression;
    try {
      // a fresh parser each time: a shared one caches every text it has parsed, without bound
      expression = new FilterExpressionTextParser().parse(text);
    } catch (StackOverflowError e) {
      // the parser recurses on nesting; its overflow ends inside this fresh parser, which is
      // dropped: a text nested too deeply is a refused filter, not a crash of the caller's thread
      throw new InvalidRequestException("filter",
          "cannot parse filter '" + abbreviate(text) + "': nested too deeply");
    } catch (RuntimeException e) {
      // the parser's FilterExpressionParseException, and a raw NumberFormatException for an
      // integer literal beyond int without the L suffix
      throw new InvalidRequestException("filter",
          "cannot parse filter '" + abbreviate(text) + "': " + e.getMessage());
    }
    return toMemoryFilter(expression);
  }

  /**
   * Nested operands of the same AND/OR (groups included) become one list: a shallower filter.
   * Walked with a stack of its own, not by recursion: the parser makes a chain of thousands of
   * {@code &&} a tree as deep.
   */
  private static MemoryFilter combine(Filter.Expression expression, int depth) {
    Filter.ExpressionType type = expression.type();
    List<MemoryFilter> operands = new ArrayList<>();
    Deque<Filter.Expression> pending = new ArrayDeque<>();
    pending.push(expression);
    while (!pending.isEmpty()) {
      Filter.Expression next = pending.pop();
      if (next.type() == type) {
        // right first: the left operand is taken next, keeping the written order
        pending.push(unwrap(next.right()));
        pending.push(unwrap(next.left()));
      } else {
        operands.add(translate(next, depth + 1));
      }
    }
    return type == Filter.ExpressionType.AND
        ? new MemoryFilter.All(operands) : new MemoryFilter.Any(operands);
  }

  private static Filter.Expression unwrap(Filter.@Nullable Operand operand) {
    Filter.Operand given = operand;
    while (given instanceof Filter.Group group) {
      given = group.content();
    }
    if (given instanceof Filter.Expression expression) {
      return expression;
    }
    throw new InvalidRequestException("filter",
        "expected an expression, was " + (operand == null ? "nothing" : operand));
  }

  private static MemoryFilter compare(Filter.Expression expression) {
    if (!(expression.left() instanceof Filter.Key key) || key.key() == null) {
      throw new InvalidRequestException("filter", "a comparison needs a key on its left, was "
          + expression.left());
    }
    if (!(expression.right() instanceof Filter.Value value)) {
      throw new InvalidRequestException("filter", "a comparison needs a value on its right, was "
          + expression.right());
    }
    Field field = field(key.key());
    Object given = value.value();
    if (LIST_FIELDS.contains(field.name())) {
      if (expression.type() == Filter.ExpressionType.EQ) {
        return field.contains(given);
      }
      if (expression.type() == Filter.ExpressionType.NE) {
        return MemoryFilter.not(field.contains(given));
      }
    }
    return new MemoryFilter.Compare(field, Op.valueOf(expression.type().name()), given);
  }

  private static Field field(String key) {
    if (key.startsWith(METADATA_PREFIX)) {
      return MemoryFilter.metadata(key.substring(METADATA_PREFIX.length()));
    }
    if (key.equals("user_id") || !key.equals("metadata") && Field.NAMES.contains(key)) {
      return new Field(key, null);
    }
    return MemoryFilter.metadata(key);
  }


  private static String abbreviate(String text) {
    return text.length() <= 60 ? text : text.substring(0, 60) + "…";
  }
}
