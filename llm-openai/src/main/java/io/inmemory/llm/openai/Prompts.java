package io.inmemory.llm.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inmemory.ConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One version of the prompts, read from the resources {@code prompts/v<N>/} beside this class:
 * {@code extract.md}, {@code reconcile.md}, {@code repair.md}, {@code json-mode.md} and the two
 * strict-compatible schemas. A new version is a new folder, so that stored results can be traced
 * to the prompt that produced them. The application's instructions go into the templates'
 * delimited "Application instructions" section, never into a schema. Immutable, thread-safe.
 */
final class Prompts {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z]+)}}");
  /** Fences the application's instructions so that none can pass for a rule of the prompt. */
  private static final String FENCE = "\"\"\"";

  private final int version;
  private final String extract;
  private final String reconcile;
  private final String repair;
  private final String jsonMode;
  private final JsonNode extractSchema;
  private final JsonNode reconcileSchema;

  private Prompts(int version) {
    this.version = version;
    this.extract = text("extract.md");
    this.reconcile = text("reconcile.md");
    this.repair = text("repair.md");
    this.jsonMode = text("json-mode.md");
    this.extractSchema = schema("extract.schema.json");
    this.reconcileSchema = schema("reconcile.schema.json");
  }

  /**
   * The prompts of {@code version}.
   *
   * @throws ConfigurationException when this jar has no such version
   */
  static Prompts load(int version) {
    if (Prompts.class.getResource(folder(version) + "extract.md") == null) {
      throw new ConfigurationException(LlmSettings.PROMPT_VERSION.name() + " is " + version + ", but this"
          + " inmemory-llm-openai has no prompts of that version (" + folder(version) + "): use"
          + " a version it ships, such as 1");
    }
    return new Prompts(version);
  }

  int version() {
    return version;
  }

  /** The system prompt of extraction. */
  String extract(List<String> instructions, LocalDate today) {
    return fill(extract, Map.of("instructions", section(instructions), "today",
        today.toString()));
  }

  /** The system prompt of reconciliation. */
  String reconcile(List<String> instructions) {
    return fill(reconcile, Map.of("instructions", section(instructions)));
  }

  /** The follow-up message asking the model to correct an answer. */
  String repair(List<String> violations) {
    return fill(repair, Map.of("violations", violations.stream().map(v -> "- " + v)
        .collect(Collectors.joining("\n"))));
  }

  /** What JSON mode adds to a system prompt: the schema the answer must match. */
  String jsonMode(JsonNode schema) {
    return fill(jsonMode, Map.of("schema", schema.toPrettyString()));
  }

  JsonNode extractSchema() {
    return extractSchema;
  }

  JsonNode reconcileSchema() {
    return reconcileSchema;
  }

  /**
   * The instructions, configured then the call's, one per fenced line; "(none)" without any.
   * Fences inside an instruction are neutralized so that it cannot close the section.
   */
  private static String section(List<String> instructions) {
    if (instructions.isEmpty()) {
      return "(none)";
    }
    return FENCE + "\n" + instructions.stream()
        .map(instruction -> "- " + instruction.strip().replace(FENCE, "'''"))
        .collect(Collectors.joining("\n")) + "\n" + FENCE;
  }

  private static String fill(String template, Map<String, String> values) {
    Matcher matcher = PLACEHOLDER.matcher(template);
    StringBuilder filled = new StringBuilder();
    while (matcher.find()) {
      String value = values.get(matcher.group(1));
      if (value == null) {
        throw new IllegalStateException("the prompt has the placeholder " + matcher.group()
            + ", which nothing fills");
      }
      matcher.appendReplacement(filled, Matcher.quoteReplacement(value));
    }
    return matcher.appendTail(filled).toString();
  }

  private static String folder(int version) {
    return "prompts/v" + version + "/";
  }

  private String text(String name) {
    String resource = folder(version) + name;
    try (InputStream in = Prompts.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the prompt resource " + resource + " is missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the prompt resource " + resource, e);
    }
  }

  private JsonNode schema(String name) {
    JsonNode schema;
    try {
      schema = JSON.readTree(text(name));
    } catch (IOException e) {
      throw new IllegalStateException("the schema " + folder(version) + name + " is not JSON", e);
    }
    List<String> problems = SchemaCheck.strictProblems(schema);
    if (!problems.isEmpty()) {
      throw new IllegalStateException("the schema " + folder(version) + name
          + " is not strict-compatible: " + problems);
    }
    return schema;
  }
}
