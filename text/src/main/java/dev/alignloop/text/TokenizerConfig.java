package dev.alignloop.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Special tokens and limits from {@code tokenizer_config.json} and {@code
 * special_tokens_map.json} (the latter wins, as in transformers' {@code from_pretrained}).
 * Absent files or keys leave fields null.
 *
 * @param bos {@code bos_token}
 * @param eos {@code eos_token}
 * @param unk {@code unk_token}
 * @param pad {@code pad_token}
 * @param modelMaxLength {@code model_max_length}, null when absent or the "unset" huge value
 * @param addedTokens {@code added_tokens_decoder}: content -> id
 */
record TokenizerConfig(
    String bos, String eos, String unk, String pad, Integer modelMaxLength, Map<String, Integer> addedTokens) {

  static final String CONFIG_FILE = "tokenizer_config.json";
  static final String SPECIAL_TOKENS_FILE = "special_tokens_map.json";

  static TokenizerConfig read(Path dir) {
    String bos = null;
    String eos = null;
    String unk = null;
    String pad = null;
    Integer maxLength = null;
    Map<String, Integer> added = new HashMap<>();
    Path config = dir.resolve(CONFIG_FILE);
    if (Files.isRegularFile(config)) {
      JsonNode c = HfJson.read(config);
      bos = HfJson.tokenContent(c.get("bos_token"));
      eos = HfJson.tokenContent(c.get("eos_token"));
      unk = HfJson.tokenContent(c.get("unk_token"));
      pad = HfJson.tokenContent(c.get("pad_token"));
      JsonNode max = c.get("model_max_length");
      // transformers writes int(1e30) when no limit is known.
      if (max != null && max.isNumber() && max.asDouble() > 0 && max.asDouble() < 1e9) {
        maxLength = max.asInt();
      }
      JsonNode decoder = c.get("added_tokens_decoder");
      if (decoder != null && decoder.isObject()) {
        for (Map.Entry<String, JsonNode> e : decoder.properties()) {
          String content = HfJson.tokenContent(e.getValue());
          try {
            if (content != null) {
              added.put(content, Integer.parseInt(e.getKey()));
            }
          } catch (NumberFormatException ex) {
            throw new TokenizerException(config + ": added_tokens_decoder key \"" + e.getKey() + "\" is not an id");
          }
        }
      }
    }
    Path special = dir.resolve(SPECIAL_TOKENS_FILE);
    if (Files.isRegularFile(special)) {
      JsonNode s = HfJson.read(special);
      bos = orElse(HfJson.tokenContent(s.get("bos_token")), bos);
      eos = orElse(HfJson.tokenContent(s.get("eos_token")), eos);
      unk = orElse(HfJson.tokenContent(s.get("unk_token")), unk);
      pad = orElse(HfJson.tokenContent(s.get("pad_token")), pad);
    }
    return new TokenizerConfig(bos, eos, unk, pad, maxLength, Map.copyOf(added));
  }

  private static String orElse(String value, String fallback) {
    return value != null ? value : fallback;
  }
}
