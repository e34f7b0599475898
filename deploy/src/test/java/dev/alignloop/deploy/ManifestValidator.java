package dev.alignloop.deploy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Strict validation of rendered objects: every object must be of a known {@code apiVersion} and
 * {@code kind}, and every field must exist in its schema.
 *
 * <ul>
 *   <li>Kubernetes objects: the fabric8 model ({@code io.fabric8:kubernetes-model-*}); Strimzi
 *       objects: Strimzi's own API classes ({@code io.strimzi:api}). Both keep unknown fields in an
 *       {@code additionalProperties} map instead of failing, so after a strict Jackson read
 *       (no scalar coercion, no duplicate keys) the object graph is walked and any non-empty
 *       {@code additionalProperties} is an error naming its path.
 *   <li>KEDA and Prometheus Operator objects: their upstream CRD schemas, committed under
 *       {@code src/test/resources/crds} ({@link CrdSchema}), with ObjectMeta checked by fabric8.
 * </ul>
 */
final class ManifestValidator {

  private static final Map<String, Class<?>> MODELS = new LinkedHashMap<>();

  static {
    MODELS.put("v1/Namespace", Namespace.class);
    MODELS.put("v1/ConfigMap", ConfigMap.class);
    MODELS.put("v1/Secret", Secret.class);
    MODELS.put("v1/Service", Service.class);
    MODELS.put("v1/ServiceAccount", ServiceAccount.class);
    MODELS.put("v1/PersistentVolumeClaim", PersistentVolumeClaim.class);
    MODELS.put("apps/v1/Deployment", Deployment.class);
    MODELS.put("apps/v1/StatefulSet", StatefulSet.class);
    MODELS.put("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class);
    MODELS.put("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class);
    MODELS.put("kafka.strimzi.io/v1beta2/Kafka", Kafka.class);
    MODELS.put("kafka.strimzi.io/v1beta2/KafkaNodePool", KafkaNodePool.class);
    MODELS.put("kafka.strimzi.io/v1beta2/KafkaTopic", KafkaTopic.class);
    MODELS.put("kafka.strimzi.io/v1beta2/KafkaUser", KafkaUser.class);
  }

  private static final List<String> CRD_FILES = List.of("keda.sh_scaledobjects.yaml",
      "keda.sh_triggerauthentications.yaml", "monitoring.coreos.com_podmonitors.yaml",
      "monitoring.coreos.com_servicemonitors.yaml");

  static final ObjectMapper STRICT = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
      .build();

  private final Map<String, CrdSchema> crds = new LinkedHashMap<>();

  ManifestValidator() {
    for (String file : CRD_FILES) {
      CrdSchema crd = CrdSchema.load(resource("crds/" + file));
      for (String apiVersion : crd.apiVersions()) {
        crds.put(apiVersion + "/" + crd.kind(), crd);
      }
    }
  }

  /** Every {@code apiVersion/kind} this validator knows. */
  Set<String> knownTypes() {
    var out = new java.util.TreeSet<String>(MODELS.keySet());
    out.addAll(crds.keySet());
    return out;
  }

  /** Problems of one object, each prefixed with its kind and name; empty if valid. */
  List<String> validate(JsonNode object) {
    String id = Kustomize.id(object);
    String type = object.path("apiVersion").asText() + "/" + object.path("kind").asText();
    List<String> problems = new ArrayList<>();
    Class<?> model = MODELS.get(type);
    if (model != null) {
      problems.addAll(checkModel(object, model));
    } else if (crds.containsKey(type)) {
      problems.addAll(crds.get(type).validate(object));
      problems.addAll(checkModel(object.path("metadata"), ObjectMeta.class).stream().map(p -> "metadata" + p).toList());
    } else {
      problems.add("unknown apiVersion/kind " + type + " (known: " + knownTypes() + ")");
    }
    return problems.stream().map(p -> id + ": " + p).toList();
  }

  /** Problems of every object. */
  List<String> validateAll(List<? extends JsonNode> objects) {
    List<String> problems = new ArrayList<>();
    for (JsonNode o : objects) {
      problems.addAll(validate(o));
    }
    return problems;
  }

  /** Reads {@code node} as {@code type}, strictly (see the class doc). */
  static <T> T read(JsonNode node, Class<T> type) {
    try {
      return STRICT.treeToValue(node, type);
    } catch (Exception e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static List<String> checkModel(JsonNode node, Class<?> model) {
    Object typed;
    try {
      typed = STRICT.treeToValue(node, model);
    } catch (JsonMappingException e) {
      return List.of(path(e) + ": " + e.getOriginalMessage().lines().findFirst().orElse(e.toString()));
    } catch (Exception e) {
      return List.of(e.getMessage().lines().findFirst().orElse(e.toString()));
    }
    List<String> problems = new ArrayList<>();
    walk(typed, "", problems, Collections.newSetFromMap(new IdentityHashMap<>()));
    return problems;
  }

  /** Finds non-empty additionalProperties anywhere in a fabric8/Strimzi object graph. */
  private static void walk(Object o, String path, List<String> problems, Set<Object> seen) {
    if (o == null) {
      return;
    }
    if (o instanceof Collection<?> c) {
      int i = 0;
      for (Object e : c) {
        if (e == null) {
          // Strimzi's enums read unknown values (e.g. an operation "Wrte") as null.
          problems.add(path.substring(1) + "[" + i + "]: value not accepted by the model (unknown enum value?)");
        }
        walk(e, path + "[" + i++ + "]", problems, seen);
      }
      return;
    }
    if (o instanceof Map<?, ?> m) {
      for (var e : m.entrySet()) {
        walk(e.getValue(), path + "." + e.getKey(), problems, seen);
      }
      return;
    }
    String pkg = o.getClass().getPackageName();
    if (!(pkg.startsWith("io.fabric8.") || pkg.startsWith("io.strimzi.")) || o.getClass().isEnum() || !seen.add(o)) {
      return;
    }
    for (Method m : o.getClass().getMethods()) {
      if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || m.getReturnType().isPrimitive()
          || !m.getName().startsWith("get") || m.getDeclaringClass() == Object.class) {
        continue;
      }
      Object value;
      try {
        value = m.invoke(o);
      } catch (IllegalAccessException | InvocationTargetException | RuntimeException e) {
        continue; // a computed getter, not a field
      }
      if (m.getName().equals("getAdditionalProperties")) {
        if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
          problems.add((path.isEmpty() ? "(root)" : path.substring(1)) + ": unknown field(s) " + extra.keySet());
        }
        continue;
      }
      String name = m.getName().substring(3);
      if (name.isEmpty()) {
        continue;
      }
      walk(value, path + "." + Character.toLowerCase(name.charAt(0)) + name.substring(1), problems, seen);
    }
  }

  /** {@code spec.template.containers[0].image} from Jackson's reference chain. */
  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.length() == 0 ? "(root)" : sb.toString();
  }

  static Path resource(String name) {
    try {
      var url = ManifestValidator.class.getClassLoader().getResource(name);
      if (url == null) {
        throw new IllegalStateException("test resource " + name + " is missing");
      }
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
