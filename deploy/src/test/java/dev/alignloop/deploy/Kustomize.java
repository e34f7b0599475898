package dev.alignloop.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The part of Kustomize (v5) that AlignLoop's overlays use, in Java, so the build can render them
 * without a kustomize binary: {@code resources} (files and kustomization directories),
 * {@code namespace}, {@code images}, {@code configMapGenerator} with {@code files} and {@code
 * literals} (hash suffixes off), and {@code patches}: strategic-merge patches (merge keys of the
 * built-in types below; CRD lists are replaced, as Kustomize does without a schema) and JSON 6902
 * patches ({@code add}, {@code replace}, {@code remove}) with a {@code kind}/{@code name} target.
 *
 * <p>Anything else in a kustomization fails loudly instead of being ignored: an overlay that uses
 * a feature this class lacks must extend it, not render differently from {@code kubectl
 * kustomize}. {@code KustomizeCrossCheckTest} compares both where kubectl is installed.
 */
final class Kustomize {

  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static final Set<String> FIELDS = Set.of("apiVersion", "kind", "namespace", "resources", "images",
      "patches", "configMapGenerator", "generatorOptions");
  private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding",
      "CustomResourceDefinition", "PersistentVolume", "StorageClass", "PriorityClass");
  /** Strategic-merge keys of the built-in list fields our patches touch (from the Kubernetes API). */
  private static final Map<String, String> MERGE_KEYS = Map.of(
      "containers", "name", "initContainers", "name", "env", "name", "volumes", "name",
      "volumeMounts", "mountPath", "imagePullSecrets", "name");

  private Kustomize() {}

  /** Renders the kustomization in {@code dir}; objects in resource order. */
  static List<ObjectNode> render(Path dir) {
    Path file = dir.resolve("kustomization.yaml");
    if (!Files.isRegularFile(file)) {
      throw new KustomizeException(dir + " has no kustomization.yaml");
    }
    ObjectNode k = (ObjectNode) readAll(file).get(0);
    for (Iterator<String> it = k.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!FIELDS.contains(field)) {
        throw new KustomizeException(file + ": field '" + field + "' is not supported (supported: " + FIELDS + ")");
      }
    }
    List<ObjectNode> objects = new ArrayList<>();
    for (JsonNode r : k.path("resources")) {
      Path p = dir.resolve(r.asText()).normalize();
      if (Files.isDirectory(p)) {
        objects.addAll(render(p));
      } else if (Files.isRegularFile(p)) {
        for (JsonNode doc : readAll(p)) {
          objects.add(requireObject(doc, p));
        }
      } else {
        throw new KustomizeException(file + ": resource " + r.asText() + " does not exist (" + p + ")");
      }
    }
    objects.addAll(generateConfigMaps(dir, k));
    for (JsonNode patch : k.path("patches")) {
      applyPatch(dir, file, patch, objects);
    }
    for (JsonNode image : k.path("images")) {
      setImage(file, image, objects);
    }
    if (k.hasNonNull("namespace")) {
      String ns = k.get("namespace").asText();
      for (ObjectNode o : objects) {
        if (!CLUSTER_SCOPED.contains(o.path("kind").asText())) {
          ((ObjectNode) o.get("metadata")).put("namespace", ns);
        }
      }
    }
    return objects;
  }

  /** Every YAML document of a file (empty documents skipped). */
  static List<JsonNode> readAll(Path file) {
    List<JsonNode> docs = new ArrayList<>();
    try (var parser = YAML.getFactory().createParser(file.toFile())) {
      var it = YAML.readValues(parser, JsonNode.class);
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
          docs.add(doc);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse " + file + ": " + e.getMessage(), e);
    }
    return docs;
  }

  static String id(JsonNode o) {
    return o.path("kind").asText() + "/" + o.path("metadata").path("name").asText();
  }

  private static ObjectNode requireObject(JsonNode doc, Path file) {
    if (!doc.isObject() || !doc.hasNonNull("kind") || !doc.path("metadata").hasNonNull("name")) {
      throw new KustomizeException(file + ": every document needs kind and metadata.name, got " + doc);
    }
    return (ObjectNode) doc;
  }

  private static List<ObjectNode> generateConfigMaps(Path dir, ObjectNode k) {
    List<ObjectNode> out = new ArrayList<>();
    JsonNode options = k.path("generatorOptions");
    if (k.has("configMapGenerator") && !options.path("disableNameSuffixHash").asBoolean(false)) {
      throw new KustomizeException(dir + ": configMapGenerator needs generatorOptions.disableNameSuffixHash: true "
          + "(name hashes are not implemented)");
    }
    for (JsonNode gen : k.path("configMapGenerator")) {
      ObjectNode cm = JsonNodeFactory.instance.objectNode();
      cm.put("apiVersion", "v1");
      cm.put("kind", "ConfigMap");
      ObjectNode meta = cm.putObject("metadata");
      meta.put("name", gen.path("name").asText());
      if (options.has("labels")) {
        meta.set("labels", options.get("labels").deepCopy());
      }
      ObjectNode data = JsonNodeFactory.instance.objectNode();
      for (JsonNode f : gen.path("files")) {
        String spec = f.asText();
        int eq = spec.indexOf('=');
        String key = eq < 0 ? Path.of(spec).getFileName().toString() : spec.substring(0, eq);
        Path p = dir.resolve(eq < 0 ? spec : spec.substring(eq + 1)).normalize();
        if (!p.startsWith(dir.normalize())) {
          throw new KustomizeException(dir + ": generator file " + spec + " is outside the kustomization root");
        }
        try {
          data.put(key, Files.readString(p));
        } catch (IOException e) {
          throw new KustomizeException(dir + ": cannot read generator file " + p + ": " + e);
        }
      }
      for (JsonNode l : gen.path("literals")) {
        String[] kv = l.asText().split("=", 2);
        data.put(kv[0], kv[1]);
      }
      cm.set("data", data);
      out.add(cm);
    }
    return out;
  }

  private static void applyPatch(Path dir, Path file, JsonNode entry, List<ObjectNode> objects) {
    String text;
    if (entry.has("path")) {
      try {
        text = Files.readString(dir.resolve(entry.get("path").asText()));
      } catch (IOException e) {
        throw new KustomizeException(file + ": cannot read patch " + entry.get("path").asText() + ": " + e);
      }
    } else if (entry.has("patch")) {
      text = entry.get("patch").asText();
    } else {
      throw new KustomizeException(file + ": a patch needs path or patch: " + entry);
    }
    List<JsonNode> docs = new ArrayList<>();
    try (var parser = YAML.getFactory().createParser(text)) {
      YAML.readValues(parser, JsonNode.class).forEachRemaining(d -> {
        if (d != null && !d.isNull()) {
          docs.add(d);
        }
      });
    } catch (IOException e) {
      throw new KustomizeException(file + ": cannot parse patch " + entry + ": " + e.getMessage());
    }
    JsonNode target = entry.path("target");
    if (docs.size() == 1 && docs.get(0).isArray()) {
      if (target.isMissingNode()) {
        throw new KustomizeException(file + ": a JSON 6902 patch needs a target: " + entry);
      }
      List<ObjectNode> matched = select(file, target, objects);
      for (ObjectNode o : matched) {
        Json6902.apply(o, (ArrayNode) docs.get(0), file);
      }
      return;
    }
    for (JsonNode doc : docs) {
      List<ObjectNode> matched = target.isMissingNode()
          ? select(file, JsonNodeFactory.instance.objectNode().put("kind", doc.path("kind").asText())
              .put("name", Pattern.quote(doc.path("metadata").path("name").asText())), objects)
          : select(file, target, objects);
      for (ObjectNode o : matched) {
        mergeInto(o, doc, isBuiltIn(o), id(o));
      }
    }
  }

  private static List<ObjectNode> select(Path file, JsonNode target, List<ObjectNode> objects) {
    for (Iterator<String> it = target.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!f.equals("kind") && !f.equals("name")) {
        throw new KustomizeException(file + ": patch target field '" + f + "' is not supported (kind, name)");
      }
    }
    String kind = target.path("kind").asText(null);
    Pattern name = target.has("name") ? Pattern.compile(target.get("name").asText()) : null;
    List<ObjectNode> matched = objects.stream()
        .filter(o -> kind == null || kind.equals(o.path("kind").asText()))
        .filter(o -> name == null || name.matcher(o.path("metadata").path("name").asText()).matches())
        .toList();
    if (matched.isEmpty()) {
      throw new KustomizeException(file + ": patch target " + target + " matches no resource");
    }
    return matched;
  }

  private static boolean isBuiltIn(JsonNode o) {
    String apiVersion = o.path("apiVersion").asText();
    return !apiVersion.contains(".") || apiVersion.startsWith("networking.k8s.io/");
  }

  /** Strategic merge of {@code patch} into {@code target}: maps merge, null deletes, lists by key. */
  static void mergeInto(ObjectNode target, JsonNode patch, boolean builtIn, String where) {
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      var e = it.next();
      String key = e.getKey();
      JsonNode value = e.getValue();
      JsonNode existing = target.get(key);
      if (key.startsWith("$")) {
        throw new KustomizeException(where + ": strategic-merge directive " + key + " is not supported");
      } else if (value.isNull()) {
        target.remove(key);
      } else if (value.isObject() && existing != null && existing.isObject()) {
        mergeInto((ObjectNode) existing, value, builtIn, where + "." + key);
      } else if (value.isArray() && existing != null && existing.isArray() && builtIn && MERGE_KEYS.containsKey(key)) {
        mergeList((ArrayNode) existing, (ArrayNode) value, MERGE_KEYS.get(key), builtIn, where + "." + key);
      } else {
        target.set(key, value.deepCopy());
      }
    }
  }

  // Items the target lacks go first, in patch order: what kubectl kustomize (kyaml) produces.
  private static void mergeList(ArrayNode target, ArrayNode patch, String mergeKey, boolean builtIn, String where) {
    int inserted = 0;
    for (JsonNode item : patch) {
      String k = item.path(mergeKey).asText(null);
      if (k == null) {
        throw new KustomizeException(where + ": list item without merge key " + mergeKey + ": " + item);
      }
      ObjectNode match = null;
      for (JsonNode t : target) {
        if (k.equals(t.path(mergeKey).asText(null))) {
          match = (ObjectNode) t;
        }
      }
      if (match == null) {
        target.insert(inserted++, item.deepCopy());
      } else {
        mergeInto(match, item, builtIn, where + "[" + mergeKey + "=" + k + "]");
      }
    }
  }

  private static void setImage(Path file, JsonNode image, List<ObjectNode> objects) {
    String name = image.path("name").asText();
    boolean used = false;
    for (ObjectNode o : objects) {
      JsonNode pod = o.path("spec").path("template").path("spec");
      for (String list : List.of("containers", "initContainers")) {
        for (JsonNode c : pod.path(list)) {
          String ref = c.path("image").asText();
          String[] nameAndTag = splitImage(ref);
          if (!nameAndTag[0].equals(name)) {
            continue;
          }
          used = true;
          String newName = image.path("newName").asText(nameAndTag[0]);
          String tag = image.has("newTag") ? ":" + image.get("newTag").asText()
              : image.has("digest") ? "@" + image.get("digest").asText() : nameAndTag[1];
          ((ObjectNode) c).set("image", TextNode.valueOf(newName + tag));
        }
      }
    }
    if (!used) {
      throw new KustomizeException(file + ": image " + name + " is used by no container");
    }
  }

  /** {@code name} and {@code :tag} / {@code @digest} (or "") of an image reference. */
  private static String[] splitImage(String ref) {
    int at = ref.indexOf('@');
    if (at >= 0) {
      return new String[] {ref.substring(0, at), ref.substring(at)};
    }
    int colon = ref.lastIndexOf(':');
    if (colon > ref.lastIndexOf('/')) {
      return new String[] {ref.substring(0, colon), ref.substring(colon)};
    }
    return new String[] {ref, ""};
  }

  /** A kustomization this class cannot render as Kustomize would. */
  static final class KustomizeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    KustomizeException(String message) {
      super(message);
    }
  }

  /** Objects by {@code kind/name}. */
  static Map<String, ObjectNode> byId(List<ObjectNode> objects) {
    Map<String, ObjectNode> out = new LinkedHashMap<>();
    for (ObjectNode o : objects) {
      if (out.put(id(o), o) != null) {
        throw new KustomizeException("duplicate resource " + id(o));
      }
    }
    return out;
  }
}
