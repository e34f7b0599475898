package dev.alignloop.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;

/** RFC 6902 {@code add}, {@code replace} and {@code remove}, as Kustomize applies them. */
final class Json6902 {

  private Json6902() {}

  static void apply(ObjectNode target, ArrayNode ops, Path file) {
    for (JsonNode op : ops) {
      String kind = op.path("op").asText();
      String path = op.path("path").asText();
      String where = file + ": " + kind + " " + path + " on " + Kustomize.id(target);
      if (!path.startsWith("/")) {
        throw new Kustomize.KustomizeException(where + ": path must start with /");
      }
      String[] parts = path.substring(1).split("/", -1);
      JsonNode parent = target;
      for (int i = 0; i < parts.length - 1; i++) {
        parent = child(parent, unescape(parts[i]));
        if (parent == null) {
          throw new Kustomize.KustomizeException(where + ": no such path");
        }
      }
      String last = unescape(parts[parts.length - 1]);
      switch (kind) {
        case "add", "replace" -> {
          JsonNode value = op.get("value");
          if (value == null) {
            throw new Kustomize.KustomizeException(where + ": no value");
          }
          if (kind.equals("replace") && child(parent, last) == null) {
            throw new Kustomize.KustomizeException(where + ": nothing to replace");
          }
          if (parent instanceof ObjectNode o) {
            o.set(last, value.deepCopy());
          } else if (parent instanceof ArrayNode a) {
            if (last.equals("-")) {
              a.add(value.deepCopy());
            } else if (kind.equals("add")) {
              a.insert(Integer.parseInt(last), value.deepCopy());
            } else {
              a.set(Integer.parseInt(last), value.deepCopy());
            }
          }
        }
        case "remove" -> {
          if (child(parent, last) == null) {
            throw new Kustomize.KustomizeException(where + ": nothing to remove");
          }
          if (parent instanceof ObjectNode o) {
            o.remove(last);
          } else {
            ((ArrayNode) parent).remove(Integer.parseInt(last));
          }
        }
        default -> throw new Kustomize.KustomizeException(where + ": op '" + kind + "' is not supported");
      }
    }
  }

  private static JsonNode child(JsonNode node, String key) {
    if (node instanceof ArrayNode a) {
      try {
        return a.get(Integer.parseInt(key));
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return node.get(key);
  }

  private static String unescape(String s) {
    return s.replace("~1", "/").replace("~0", "~");
  }
}
