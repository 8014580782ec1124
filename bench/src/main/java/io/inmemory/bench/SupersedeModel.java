package io.inmemory.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inmemory.bench.SupersedeSet.Change;
import io.inmemory.bench.SupersedeSet.Person;
import io.inmemory.bench.SupersedeSet.Topic;
import io.inmemory.llm.openai.testing.ScriptedOpenAi;
import io.inmemory.llm.openai.testing.ScriptedOpenAi.Answer;
import io.inmemory.llm.openai.testing.ScriptedOpenAi.Request;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The model of the {@code supersede} benchmark: a {@link ScriptedOpenAi} on a loopback port, in the
 * benchmark's JVM, that answers what a careful model would, computed from each request. An
 * extraction request (its user JSON lists {@code messages}) is answered with the fact of the change
 * its message states (found by speaker and message time): its sentence, the person, the topic,
 * the time phrase and the message as source. A reconciliation request (its user JSON lists
 * {@code memories}) is answered per fact: {@code NONE} naming the shown memory whose content is
 * the topic's current fact when the fact states the same value, {@code SUPERSEDE} naming it when
 * it states another, {@code ADD} when no memory shown is the topic's current fact. The topic's
 * current fact is what the benchmark {@linkplain #current records} after each change, not what
 * the engine holds. A request for no known change is answered 500, a failed model call.
 *
 * <p>Thread-safe.
 */
final class SupersedeModel implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A fact sentence's person, topic and value. */
  private record Meaning(String userId, Topic topic, String value) {}

  private final ScriptedOpenAi server = ScriptedOpenAi.start();
  private final Map<String, Change> bySpeech = new HashMap<>();
  private final Map<String, Meaning> byFact = new HashMap<>();
  private final Map<String, String> currentContent = new ConcurrentHashMap<>();
  private final AtomicInteger calls = new AtomicInteger();

  SupersedeModel(SupersedeSet set) {
    for (Person person : set.people()) {
      for (Change change : person.changes()) {
        bySpeech.put(speech(person.name(), change.said()), change);
        byFact.put(change.fact(), new Meaning(person.userId(), change.topic(), change.value()));
      }
    }
    server.otherwiseChat(this::answer);
  }

  /** The keys that point the engine at this model. */
  Map<String, String> settings() {
    return ScriptedModels.settings(server, "supersede-script");
  }

  /** Records the content of the memory that is now {@code userId}'s current fact of the topic. */
  void current(String userId, Topic topic, String content) {
    currentContent.put(userId + '\u0000' + topic, content);
  }

  /** Chat requests answered so far. */
  int calls() {
    return calls.get();
  }

  @Override
  public void close() {
    server.close();
  }

  private Answer answer(Request request) {
    JsonNode user = request.userJson();
    ObjectNode answer = JSON.createObjectNode();
    if (user.has("memories")) {
      ArrayNode decisions = answer.putArray("decisions");
      for (JsonNode fact : user.path("facts")) {
        Meaning meaning = byFact.get(fact.path("content").asText());
        if (meaning == null) {
          return unknown("fact " + fact.path("content"));
        }
        String current = currentContent.get(meaning.userId() + '\u0000' + meaning.topic());
        String ref = null;
        for (JsonNode memory : user.path("memories")) {
          if (memory.path("content").asText().equals(current)) {
            ref = memory.path("ref").asText();
          }
        }
        String action = ref == null ? "ADD"
            : byFact.get(current).value().equals(meaning.value()) ? "NONE" : "SUPERSEDE";
        ObjectNode decision = decisions.addObject().put("fact", fact.path("fact").asInt())
            .put("action", action).put("ref", ref);
        decision.putNull("content");
      }
    } else {
      JsonNode message = user.path("messages").path(0);
      Change change = bySpeech.get(speech(message.path("name").asText(),
          OffsetDateTime.parse(message.path("time").asText()).toInstant()));
      if (change == null) {
        return unknown("message " + message);
      }
      ObjectNode fact = answer.putArray("facts").addObject().put("content", change.fact());
      fact.putArray("people").add(message.path("name").asText());
      fact.put("topic", change.topic().key());
      fact.putArray("tags");
      fact.put("when", change.when());
      fact.putArray("sources").add(0);
    }
    calls.incrementAndGet();
    return Answer.json(answer.toString());
  }

  private static Answer unknown(String what) {
    return ScriptedModels.unscripted("the supersede set has no " + what);
  }

  private static String speech(String name, Instant said) {
    return name + '\u0000' + said;
  }
}
