package dev.alignloop.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alignloop.broker.security.AclRule;
import dev.alignloop.broker.security.ServiceAcls;
import dev.alignloop.broker.security.ServicePrincipal;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserScramSha512ClientAuthentication;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One source of truth for who may do what: the Strimzi {@code KafkaUser}s grant exactly the
 * rules of {@link ServiceAcls}, which the secured embedded broker enforces in
 * {@code SecureBrokerAclTest}.
 */
class KafkaUserManifestsTest {

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void kafkaUsersGrantExactlyTheServiceAcls(String overlay) {
    List<ObjectNode> users = Overlays.render(overlay).stream()
        .filter(o -> o.path("kind").asText().equals("KafkaUser")).toList();
    for (ObjectNode u : users) {
      KafkaUser typed = ManifestValidator.read(u, KafkaUser.class);
      assertTrue(typed.getSpec().getAuthentication() instanceof KafkaUserScramSha512ClientAuthentication,
          Kustomize.id(u) + " must authenticate with SCRAM-SHA-512");
    }
    assertEquals(fromDefinition(ServiceAcls.all()), fromManifests(users));
  }

  @Test
  void aMissingOperationIsReportedForItsUserAndResource() {
    List<ObjectNode> users = Overlays.render("prod").stream()
        .filter(o -> o.path("kind").asText().equals("KafkaUser")).toList();
    ObjectNode scorer = users.stream().filter(u -> u.path("metadata").path("name").asText().equals(ServiceAcls.SCORER))
        .findFirst().orElseThrow();
    ((ArrayNode) scorer.path("spec").path("authorization").path("acls").get(1).path("operations")).add("Read");
    var actual = fromManifests(users);
    var expected = fromDefinition(ServiceAcls.all());
    assertEquals(expected.keySet(), actual.keySet());
    assertEquals(Set.of("Write", "Describe", "Read"), actual.get(ServiceAcls.SCORER).get("topic:alignloop.preferences:literal"));
    assertTrue(!expected.get(ServiceAcls.SCORER).equals(actual.get(ServiceAcls.SCORER)));
  }

  /** user -> "type:name:patternType" -> Strimzi operation names, merged across rules. */
  static Map<String, Map<String, Set<String>>> fromManifests(List<ObjectNode> users) {
    Map<String, Map<String, Set<String>>> out = new TreeMap<>();
    for (ObjectNode u : users) {
      Map<String, Set<String>> rules = new TreeMap<>();
      for (JsonNode acl : u.path("spec").path("authorization").path("acls")) {
        assertEquals("*", acl.path("host").asText("*"), Kustomize.id(u) + ": rules apply to every host");
        assertEquals("allow", acl.path("type").asText("allow"), Kustomize.id(u) + ": allow rules only");
        JsonNode r = acl.path("resource");
        String key = r.path("type").asText() + ":" + r.path("name").asText() + ":" + r.path("patternType").asText("literal");
        Set<String> ops = rules.computeIfAbsent(key, k -> new TreeSet<>());
        acl.path("operations").forEach(op -> ops.add(op.asText()));
      }
      out.put(u.path("metadata").path("name").asText(), rules);
    }
    return out;
  }

  static Map<String, Map<String, Set<String>>> fromDefinition(List<ServicePrincipal> principals) {
    Map<String, Map<String, Set<String>>> out = new TreeMap<>();
    for (ServicePrincipal p : principals) {
      Map<String, Set<String>> rules = new TreeMap<>();
      for (AclRule rule : p.rules()) {
        String key = strimziType(rule.resourceType()) + ":" + rule.name() + ":"
            + (rule.patternType() == PatternType.PREFIXED ? "prefix" : "literal");
        Set<String> ops = rules.computeIfAbsent(key, k -> new TreeSet<>());
        rule.operations().forEach(op -> ops.add(strimziOperation(op)));
      }
      out.put(p.name(), rules);
    }
    return out;
  }

  private static String strimziType(ResourceType type) {
    return switch (type) {
      case TOPIC -> "topic";
      case GROUP -> "group";
      case TRANSACTIONAL_ID -> "transactionalId";
      case CLUSTER -> "cluster";
      default -> throw new IllegalArgumentException("no Strimzi resource type for " + type);
    };
  }

  /** READ -> Read, IDEMPOTENT_WRITE -> IdempotentWrite (Strimzi's spelling). */
  private static String strimziOperation(AclOperation op) {
    StringBuilder sb = new StringBuilder();
    for (String part : op.name().split("_")) {
      sb.append(part.charAt(0)).append(part.substring(1).toLowerCase(Locale.ROOT));
    }
    return sb.toString();
  }
}
