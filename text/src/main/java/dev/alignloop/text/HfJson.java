package dev.alignloop.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reading Hugging Face tokenizer JSON files; every error names the file (and key). */
final class HfJson {

  static final ObjectMapper MAPPER = new ObjectMapper();

  private HfJson() {}

  static JsonNode read(Path file) {
    try {
      return MAPPER.readTree(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new TokenizerException("Tokenizer file not found: " + file, e);
    } catch (JsonProcessingException e) {
      throw new TokenizerException("Malformed JSON in " + file + ": " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new TokenizerException("Cannot read " + file + ": " + e, e);
    }
  }

  /** A required object/array field; error names the file and key. */
  static JsonNode require(JsonNode parent, String key, Object file) {
    JsonNode n = parent.get(key);
    if (n == null || n.isNull()) {
      throw new TokenizerException(file + ": missing \"" + key + "\"");
    }
    return n;
  }

  /** A special-token value: a string, or an AddedToken object {@code {"content": ...}}; null if absent. */
  static String tokenContent(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isTextual()) {
      return node.asText();
    }
    JsonNode content = node.get("content");
    return content != null && content.isTextual() ? content.asText() : null;
  }

  /** A {@code {"token": id, ...}} vocabulary. */
  static Map<String, Integer> vocab(JsonNode node, Object file) {
    if (!node.isObject()) {
      throw new TokenizerException(file + ": vocabulary must be a JSON object of token -> id");
    }
    Map<String, Integer> vocab = new HashMap<>(node.size() * 2);
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!e.getValue().canConvertToInt() || e.getValue().asInt() < 0) {
        throw new TokenizerException(file + ": id of token \"" + e.getKey() + "\" is not a non-negative int: " + e.getValue());
      }
      vocab.put(e.getKey(), e.getValue().asInt());
    }
    return vocab;
  }

  /** {@code tokenizer.json} merges: strings {@code "a b"} (tokenizers < 0.20) or pairs {@code ["a","b"]}. */
  static List<String[]> merges(JsonNode node, Object file) {
    if (!node.isArray()) {
      throw new TokenizerException(file + ": model.merges must be an array");
    }
    List<String[]> merges = new ArrayList<>(node.size());
    int i = 0;
    for (JsonNode m : node) {
      String[] pair;
      if (m.isTextual()) {
        pair = m.asText().split(" ");
      } else if (m.isArray() && m.size() == 2) {
        pair = new String[] {m.get(0).asText(), m.get(1).asText()};
      } else {
        pair = new String[0];
      }
      if (pair.length != 2 || pair[0].isEmpty() || pair[1].isEmpty()) {
        throw new TokenizerException(file + ": model.merges[" + i + "] is not a pair: " + m);
      }
      merges.add(pair);
      i++;
    }
    return merges;
  }

  /** {@code added_tokens} of a tokenizer.json: content -> id. */
  static Map<String, Integer> addedTokens(JsonNode root) {
    Map<String, Integer> added = new HashMap<>();
    JsonNode list = root.get("added_tokens");
    if (list != null && list.isArray()) {
      for (JsonNode t : list) {
        if (t.hasNonNull("content") && t.hasNonNull("id")) {
          added.put(t.get("content").asText(), t.get("id").asInt());
        }
      }
    }
    return added;
  }
}
