package dev.alignloop.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cross-object checks a schema cannot make: every ConfigMap, Secret, PVC, ServiceAccount,
 * Service, workload, TriggerAuthentication and topic that an object names exists (or is one
 * Strimzi creates: a KafkaUser's Secret, the cluster CA), and every selector selects something.
 */
final class References {

  private References() {}

  static List<String> check(List<ObjectNode> objects) {
    List<String> problems = new ArrayList<>();
    Set<String> ids = Kustomize.byId(objects).keySet();
    String kafka = objects.stream().filter(o -> kind(o).equals("Kafka")).map(References::name).findFirst().orElse(null);
    Set<String> secrets = new HashSet<>();
    Set<String> topics = new HashSet<>();
    for (ObjectNode o : objects) {
      if (kind(o).equals("Secret")) {
        secrets.add(name(o));
      } else if (kind(o).equals("KafkaUser")) {
        secrets.add(name(o)); // Strimzi's User Operator writes it (key: password)
      } else if (kind(o).equals("KafkaTopic")) {
        topics.add(o.path("spec").path("topicName").asText(name(o)));
      }
      if (o.path("apiVersion").asText().startsWith("kafka.strimzi.io/") && !kind(o).equals("Kafka")
          && !o.path("metadata").path("labels").path("strimzi.io/cluster").asText().equals(kafka)) {
        problems.add(Kustomize.id(o) + ": label strimzi.io/cluster must name the Kafka " + kafka);
      }
    }
    if (kafka != null) {
      secrets.add(kafka + "-cluster-ca-cert");
    }
    List<ObjectNode> workloads = objects.stream()
        .filter(o -> kind(o).equals("Deployment") || kind(o).equals("StatefulSet")).toList();
    for (ObjectNode w : workloads) {
      String id = Kustomize.id(w);
      JsonNode pod = w.path("spec").path("template");
      if (!matches(w.path("spec").path("selector").path("matchLabels"), pod.path("metadata").path("labels"))) {
        problems.add(id + ": spec.selector does not match the pod template's labels");
      }
      JsonNode spec = pod.path("spec");
      require(problems, id, ids, "ServiceAccount", spec.path("serviceAccountName").asText(null));
      if (kind(w).equals("StatefulSet")) {
        require(problems, id, ids, "Service", w.path("spec").path("serviceName").asText(null));
      }
      for (JsonNode v : spec.path("volumes")) {
        require(problems, id, ids, "PersistentVolumeClaim", v.path("persistentVolumeClaim").path("claimName").asText(null));
        require(problems, id, ids, "ConfigMap", v.path("configMap").path("name").asText(null));
        requireSecret(problems, id, secrets, v.path("secret").path("secretName").asText(null));
      }
      for (JsonNode c : spec.path("containers")) {
        Set<String> volumeNames = new HashSet<>();
        spec.path("volumes").forEach(v -> volumeNames.add(v.path("name").asText()));
        for (JsonNode m : c.path("volumeMounts")) {
          if (!volumeNames.contains(m.path("name").asText())) {
            problems.add(id + ": volumeMount " + m.path("name").asText() + " has no volume");
          }
        }
        for (JsonNode from : c.path("envFrom")) {
          require(problems, id, ids, "ConfigMap", from.path("configMapRef").path("name").asText(null));
          requireSecret(problems, id, secrets, from.path("secretRef").path("name").asText(null));
        }
        for (JsonNode env : c.path("env")) {
          require(problems, id, ids, "ConfigMap", env.path("valueFrom").path("configMapKeyRef").path("name").asText(null));
          requireSecret(problems, id, secrets, env.path("valueFrom").path("secretKeyRef").path("name").asText(null));
        }
      }
    }
    for (ObjectNode o : objects) {
      String id = Kustomize.id(o);
      switch (kind(o)) {
        case "Service", "PodDisruptionBudget", "NetworkPolicy" -> {
          JsonNode selector = kind(o).equals("Service") ? o.path("spec").path("selector")
              : kind(o).equals("NetworkPolicy") ? o.path("spec").path("podSelector").path("matchLabels")
              : o.path("spec").path("selector").path("matchLabels");
          if (workloads.stream().noneMatch(w -> matches(selector, podLabels(w)))) {
            problems.add(id + ": selector " + selector + " selects no pod");
          }
        }
        case "ScaledObject" -> {
          JsonNode target = o.path("spec").path("scaleTargetRef");
          require(problems, id, ids, target.path("kind").asText("Deployment"), target.path("name").asText());
          for (JsonNode t : o.path("spec").path("triggers")) {
            require(problems, id, ids, "TriggerAuthentication", t.path("authenticationRef").path("name").asText(null));
            String topic = t.path("metadata").path("topic").asText(null);
            if (topic != null && !topics.contains(topic)) {
              problems.add(id + ": trigger topic " + topic + " is not a KafkaTopic");
            }
          }
        }
        case "TriggerAuthentication" -> {
          for (JsonNode ref : o.path("spec").path("secretTargetRef")) {
            requireSecret(problems, id, secrets, ref.path("name").asText());
          }
        }
        case "PodMonitor" -> {
          JsonNode selector = o.path("spec").path("selector").path("matchLabels");
          if (workloads.stream().noneMatch(w -> matches(selector, podLabels(w)))) {
            problems.add(id + ": selects no pod");
          }
        }
        case "ServiceMonitor" -> {
          JsonNode selector = o.path("spec").path("selector").path("matchLabels");
          if (objects.stream().noneMatch(s -> kind(s).equals("Service")
              && matches(selector, s.path("metadata").path("labels")))) {
            problems.add(id + ": selects no Service");
          }
        }
        default -> { }
      }
    }
    return problems;
  }

  private static JsonNode podLabels(JsonNode workload) {
    return workload.path("spec").path("template").path("metadata").path("labels");
  }

  private static boolean matches(JsonNode selector, JsonNode labels) {
    for (Iterator<Map.Entry<String, JsonNode>> it = selector.fields(); it.hasNext(); ) {
      var e = it.next();
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  private static void require(List<String> problems, String from, Set<String> ids, String kind, String name) {
    if (name != null && !ids.contains(kind + "/" + name)) {
      problems.add(from + ": refers to " + kind + "/" + name + ", which is not in the manifests");
    }
  }

  private static void requireSecret(List<String> problems, String from, Set<String> secrets, String name) {
    if (name != null && !secrets.contains(name)) {
      problems.add(from + ": refers to Secret/" + name + ", which neither the manifests nor Strimzi create");
    }
  }

  private static String kind(JsonNode o) {
    return o.path("kind").asText();
  }

  private static String name(JsonNode o) {
    return o.path("metadata").path("name").asText();
  }
}
