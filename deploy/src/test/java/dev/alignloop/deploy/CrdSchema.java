package dev.alignloop.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates a custom resource against the OpenAPI v3 schema of its CustomResourceDefinition, the
 * way {@code kubectl apply --validate=strict} does: fields the schema does not declare are errors
 * (unless it says {@code x-kubernetes-preserve-unknown-fields}), as are missing required fields,
 * wrong types, values outside an {@code enum}, {@code pattern} or {@code minimum}. CEL rules
 * ({@code x-kubernetes-validations}) are not evaluated.
 */
final class CrdSchema {

  private final String group;
  private final Map<String, JsonNode> schemaByVersion;
  private final String kind;

  private CrdSchema(String group, String kind, Map<String, JsonNode> schemaByVersion) {
    this.group = group;
    this.kind = kind;
    this.schemaByVersion = schemaByVersion;
  }

  /** Reads a CRD file (one CustomResourceDefinition, every served version). */
  static CrdSchema load(Path crdFile) {
    JsonNode crd = Kustomize.readAll(crdFile).get(0);
    if (!"CustomResourceDefinition".equals(crd.path("kind").asText())) {
      throw new IllegalArgumentException(crdFile + " is not a CustomResourceDefinition");
    }
    var schemas = new java.util.LinkedHashMap<String, JsonNode>();
    for (JsonNode v : crd.path("spec").path("versions")) {
      if (v.path("served").asBoolean(true)) {
        schemas.put(v.path("name").asText(), v.path("schema").path("openAPIV3Schema"));
      }
    }
    return new CrdSchema(crd.path("spec").path("group").asText(), crd.path("spec").path("names").path("kind").asText(),
        schemas);
  }

  /** {@code group/version} values this CRD serves. */
  Set<String> apiVersions() {
    Set<String> out = new HashSet<>();
    schemaByVersion.keySet().forEach(v -> out.add(group + "/" + v));
    return out;
  }

  String kind() {
    return kind;
  }

  /** Problems of {@code object} (apiVersion must be one this CRD serves); empty if valid. */
  List<String> validate(JsonNode object) {
    List<String> problems = new ArrayList<>();
    String apiVersion = object.path("apiVersion").asText();
    String version = apiVersion.startsWith(group + "/") ? apiVersion.substring(group.length() + 1) : null;
    JsonNode schema = version == null ? null : schemaByVersion.get(version);
    if (schema == null) {
      problems.add("apiVersion " + apiVersion + " is not served by the " + kind + " CRD (" + apiVersions() + ")");
      return problems;
    }
    // metadata is the standard ObjectMeta (validated with the Kubernetes model by the caller).
    check(schema, object, "", problems, Set.of("metadata"));
    return problems;
  }

  private static void check(JsonNode schema, JsonNode value, String path, List<String> problems, Set<String> skip) {
    if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
      if (!value.isIntegralNumber() && !value.isTextual()) {
        problems.add(at(path) + ": expected an integer or a string, got " + value);
      }
      return;
    }
    String type = schema.path("type").asText("");
    switch (type) {
      case "object" -> {
        if (!value.isObject()) {
          problems.add(at(path) + ": expected an object, got " + value);
          return;
        }
        JsonNode props = schema.path("properties");
        JsonNode additional = schema.get("additionalProperties");
        boolean preserve = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
          var f = it.next();
          if (path.isEmpty() && skip.contains(f.getKey())) {
            continue;
          }
          String child = path.isEmpty() ? f.getKey() : path + "." + f.getKey();
          if (props.has(f.getKey())) {
            check(props.get(f.getKey()), f.getValue(), child, problems, Set.of());
          } else if (additional != null && additional.isObject()) {
            check(additional, f.getValue(), child, problems, Set.of());
          } else if (!preserve && !(additional != null && additional.asBoolean(false))) {
            problems.add(at(path) + ": unknown field '" + f.getKey() + "'"
                + (props.isEmpty() ? "" : " (known: " + names(props) + ")"));
          }
        }
        for (JsonNode r : schema.path("required")) {
          if (!value.has(r.asText())) {
            problems.add(at(path) + ": required field '" + r.asText() + "' is missing");
          }
        }
      }
      case "array" -> {
        if (!value.isArray()) {
          problems.add(at(path) + ": expected an array, got " + value);
          return;
        }
        if (schema.has("minItems") && value.size() < schema.get("minItems").asInt()) {
          problems.add(at(path) + ": needs at least " + schema.get("minItems").asInt() + " items");
        }
        int i = 0;
        for (JsonNode item : value) {
          if (schema.has("items")) {
            check(schema.get("items"), item, path + "[" + i + "]", problems, Set.of());
          }
          i++;
        }
      }
      case "string" -> {
        if (!value.isTextual()) {
          problems.add(at(path) + ": expected a string, got " + value);
        } else if (schema.has("pattern") && !Pattern.compile(schema.get("pattern").asText()).matcher(value.asText()).find()) {
          problems.add(at(path) + ": '" + value.asText() + "' does not match " + schema.get("pattern").asText());
        }
      }
      case "integer" -> {
        if (!value.isIntegralNumber()) {
          problems.add(at(path) + ": expected an integer, got " + value);
        }
      }
      case "number" -> {
        if (!value.isNumber()) {
          problems.add(at(path) + ": expected a number, got " + value);
        }
      }
      case "boolean" -> {
        if (!value.isBoolean()) {
          problems.add(at(path) + ": expected a boolean, got " + value);
        }
      }
      default -> {
        // untyped (x-kubernetes-preserve-unknown-fields or anyOf): nothing to check
      }
    }
    if (schema.has("enum")) {
      boolean found = false;
      for (JsonNode e : schema.get("enum")) {
        found |= e.equals(value);
      }
      if (!found) {
        problems.add(at(path) + ": " + value + " is not one of " + schema.get("enum"));
      }
    }
    if (schema.has("minimum") && value.isNumber() && value.asDouble() < schema.get("minimum").asDouble()) {
      problems.add(at(path) + ": " + value + " is below the minimum " + schema.get("minimum"));
    }
  }

  private static String at(String path) {
    return path.isEmpty() ? "(root)" : path;
  }

  private static List<String> names(JsonNode props) {
    List<String> out = new ArrayList<>();
    props.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
