package io.inmemory.llm.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inmemory.Message;
import io.inmemory.engine.spi.Action;
import io.inmemory.engine.spi.Candidate;
import io.inmemory.engine.spi.Decision;
import io.inmemory.engine.spi.ExtractionInput;
import io.inmemory.engine.spi.Extractor;
import io.inmemory.engine.spi.Fact;
import io.inmemory.engine.spi.ReconciliationInput;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The {@code openai} extractor: one chat call turns a conversation into facts, another decides
 * what each fact does to the memories it resembles. Both answers are checked beyond their schema
 * (message indexes in range; one decision per fact, refs among the candidates shown, one change
 * per memory, content for an update) and a violation counts as a malformed answer. The configured
 * instructions come before the call's. Thread-safe.
 */
final class OpenAiExtractor implements Extractor {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final LlmSettings settings;
  private final Prompts prompts;
  private final ChatClient chat;

  OpenAiExtractor(LlmSettings settings, OpenAiHttp http) {
    this.settings = settings;
    this.prompts = Prompts.load(settings.promptVersion());
    this.chat = new ChatClient(http, settings, prompts);
  }

  @Override
  public String id() {
    return "openai:" + settings.model() + ":prompts-v" + prompts.version();
  }

  @Override
  public int candidatesPerFact() {
    return settings.candidates();
  }

  @Override
  public List<Fact> extract(ExtractionInput input) {
    ObjectNode user = JSON.createObjectNode();
    user.put("reference_time", input.referenceTime().atZone(input.zone()).toOffsetDateTime()
        .toString());
    ArrayNode messages = user.putArray("messages");
    for (int i = 0; i < input.messages().size(); i++) {
      Message message = input.messages().get(i);
      ObjectNode item = messages.addObject().put("index", i)
          .put("role", message.role().name().toLowerCase(Locale.ROOT));
      if (message.name() != null) {
        item.put("name", message.name());
      }
      if (message.timestamp() != null) {
        item.put("time", message.timestamp().atZone(input.zone()).toOffsetDateTime().toString());
      }
      item.put("content", message.content());
    }
    int count = input.messages().size();
    JsonNode answer = chat.complete(new ChatClient.Call("inmemory_facts_v" + prompts.version(),
        prompts.extract(instructions(input.instructions()),
            LocalDate.ofInstant(input.referenceTime(), input.zone())),
        user.toString(), prompts.extractSchema(), json -> factViolations(json, count)));
    List<Fact> facts = new ArrayList<>();
    for (JsonNode fact : answer.path("facts")) {
      facts.add(new Fact(fact.get("content").asText().strip(), strings(fact.get("people")),
          text(fact.get("topic")), strings(fact.get("tags")), text(fact.get("when")),
          integers(fact.get("sources"))));
    }
    return facts;
  }

  @Override
  public List<Decision> reconcile(ReconciliationInput input) {
    ObjectNode user = JSON.createObjectNode();
    ArrayNode facts = user.putArray("facts");
    for (int i = 0; i < input.facts().size(); i++) {
      Fact fact = input.facts().get(i);
      facts.addObject().put("fact", i).put("content", fact.content()).put("topic", fact.topic())
          .put("when", fact.when());
    }
    ArrayNode memories = user.putArray("memories");
    for (Candidate candidate : input.candidates()) {
      memories.addObject().put("ref", candidate.ref()).put("content", candidate.content())
          .put("topic", candidate.topic()).put("valid_from", candidate.validFrom().toString());
    }
    Set<String> refs = new HashSet<>(input.candidates().stream().map(Candidate::ref).toList());
    int count = input.facts().size();
    JsonNode answer = chat.complete(new ChatClient.Call(
        "inmemory_decisions_v" + prompts.version(),
        prompts.reconcile(instructions(input.instructions())), user.toString(),
        prompts.reconcileSchema(), json -> decisionViolations(json, count, refs)));
    List<Decision> decisions = new ArrayList<>();
    for (JsonNode decision : answer.path("decisions")) {
      decisions.add(new Decision(decision.get("fact").asInt(),
          Action.valueOf(decision.get("action").asText()), text(decision.get("ref")),
          text(decision.get("content"))));
    }
    decisions.sort(Comparator.comparingInt(Decision::fact));
    return decisions;
  }

  /** The configured instructions, then the call's. */
  private List<String> instructions(List<String> call) {
    return settings.instructions() == null ? call
        : Stream.concat(Stream.of(settings.instructions()), call.stream()).toList();
  }

  /** What makes schema-valid facts unusable: blank content, a message index out of range. */
  private static List<String> factViolations(JsonNode answer, int messages) {
    List<String> violations = new ArrayList<>();
    JsonNode facts = answer.path("facts");
    for (int i = 0; i < facts.size(); i++) {
      JsonNode fact = facts.get(i);
      if (fact.get("content").asText().isBlank()) {
        violations.add("$.facts[" + i + "].content is blank");
      }
      for (JsonNode source : fact.get("sources")) {
        if (source.asInt() < 0 || source.asInt() >= messages) {
          violations.add("$.facts[" + i + "].sources: " + source + " is not a message index"
              + " (0 to " + (messages - 1) + ")");
        }
      }
    }
    return violations;
  }

  /**
   * What makes schema-valid decisions unusable: not exactly one per fact, a missing or unknown
   * ref, a ref on ADD, an UPDATE without content, a memory changed by two facts.
   */
  private static List<String> decisionViolations(JsonNode answer, int facts, Set<String> refs) {
    List<String> violations = new ArrayList<>();
    Map<Integer, Integer> perFact = new HashMap<>();
    Map<String, Integer> changedBy = new HashMap<>();
    JsonNode decisions = answer.path("decisions");
    for (int i = 0; i < decisions.size(); i++) {
      JsonNode decision = decisions.get(i);
      String at = "$.decisions[" + i + "]";
      int fact = decision.get("fact").asInt();
      Action action = Action.valueOf(decision.get("action").asText());
      String ref = text(decision.get("ref"));
      if (fact < 0 || fact >= facts) {
        violations.add(at + ".fact: " + fact + " is not a fact number (0 to " + (facts - 1)
            + ")");
      } else if (perFact.merge(fact, 1, Integer::sum) == 2) {
        violations.add(at + ".fact: fact " + fact + " is decided more than once");
      }
      if (action == Action.ADD) {
        if (ref != null) {
          violations.add(at + ".ref: ADD names no memory, but names " + ref);
        }
      } else if (ref == null) {
        violations.add(at + ".ref: " + action + " needs the ref of a memory");
      } else if (!refs.contains(ref)) {
        violations.add(at + ".ref: " + ref + " is not one of the memories shown " + refs);
      } else if (action != Action.NONE) {
        Integer previous = changedBy.putIfAbsent(ref, fact);
        if (previous != null) {
          violations.add(at + ".ref: " + ref + " is already changed by fact " + previous
              + "; a memory may be updated or superseded once");
        }
      }
      if (action == Action.UPDATE && text(decision.get("content")) == null) {
        violations.add(at + ".content: UPDATE needs the merged content");
      }
    }
    for (int fact = 0; fact < facts; fact++) {
      if (!perFact.containsKey(fact)) {
        violations.add("$.decisions: fact " + fact + " has no decision");
      }
    }
    return violations;
  }

  /** A string member, null when null or blank. */
  private static @Nullable String text(JsonNode node) {
    return node == null || node.isNull() || node.asText().isBlank() ? null : node.asText().strip();
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> {
      if (!value.asText().isBlank()) {
        values.add(value.asText().strip());
      }
    });
    return values;
  }

  private static List<Integer> integers(JsonNode array) {
    List<Integer> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asInt()));
    return values;
  }
}
