package dev.alignloop.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code tokenizer.json} reading and writing for {@link WordLevelTokenizer}. */
final class WordLevelJson {

  private WordLevelJson() {}

  /** Applies one {@code tokenizers} normalizer type; unsupported types fail naming the source. */
  static String normalize(String type, String text, String source) {
    return switch (type) {
      case "Lowercase" -> text.toLowerCase(Locale.ROOT);
      case "NFC" -> Normalizer.normalize(text, Normalizer.Form.NFC);
      case "NFD" -> Normalizer.normalize(text, Normalizer.Form.NFD);
      case "NFKC" -> Normalizer.normalize(text, Normalizer.Form.NFKC);
      case "NFKD" -> Normalizer.normalize(text, Normalizer.Form.NFKD);
      case "Strip" -> text.strip();
      default -> throw new TokenizerException(source + ": normalizer type \"" + type
          + "\" is not supported (Lowercase, NFC, NFD, NFKC, NFKD, Strip, Sequence)");
    };
  }

  static WordLevelTokenizer parse(JsonNode root, String source) {
    JsonNode model = HfJson.require(root, "model", source);
    String type = model.path("type").asText("");
    if (!"WordLevel".equals(type)) {
      throw new TokenizerException(source + ": model.type is \"" + type + "\", expected \"WordLevel\"");
    }
    Map<String, Integer> vocab = HfJson.vocab(HfJson.require(model, "vocab", source), source);
    String unk = model.path("unk_token").asText(null);
    if (unk != null && !vocab.containsKey(unk)) {
      unk = null; // tokenizers allows a dangling unk_token; unknown words then fail
    }

    List<String> normalizers = new ArrayList<>();
    JsonNode norm = root.get("normalizer");
    if (norm != null && !norm.isNull()) {
      if ("Sequence".equals(norm.path("type").asText())) {
        for (JsonNode n : norm.path("normalizers")) {
          normalizers.add(n.path("type").asText());
        }
      } else {
        normalizers.add(norm.path("type").asText());
      }
    }

    JsonNode pre = root.get("pre_tokenizer");
    PreTokenizer preTokenizer = PreTokenizer.WHITESPACE_SPLIT;
    if (pre != null && !pre.isNull()) {
      preTokenizer = PreTokenizer.fromJsonType(pre.path("type").asText());
      if (preTokenizer == null) {
        throw new TokenizerException(source + ": pre_tokenizer type \"" + pre.path("type").asText()
            + "\" is not supported (Whitespace, WhitespaceSplit, BertPreTokenizer)");
      }
    }

    List<String> prefix = new ArrayList<>();
    List<String> suffix = new ArrayList<>();
    JsonNode post = root.get("post_processor");
    if (post != null && !post.isNull()) {
      String postType = post.path("type").asText();
      switch (postType) {
        case "TemplateProcessing" -> {
          boolean seenSequence = false;
          for (JsonNode item : post.path("single")) {
            if (item.has("Sequence")) {
              seenSequence = true;
            } else if (item.has("SpecialToken")) {
              (seenSequence ? suffix : prefix).add(item.get("SpecialToken").path("id").asText());
            }
          }
          if (!seenSequence) {
            throw new TokenizerException(source + ": post_processor.single has no Sequence");
          }
        }
        case "BertProcessing", "RobertaProcessing" -> {
          prefix.add(HfJson.require(post, "cls", source).path(0).asText());
          suffix.add(HfJson.require(post, "sep", source).path(0).asText());
        }
        default -> throw new TokenizerException(source + ": post_processor type \"" + postType
            + "\" is not supported (TemplateProcessing, BertProcessing, RobertaProcessing)");
      }
    }

    String pad = root.path("padding").path("pad_token").asText(null);
    if (pad == null) {
      for (String guess : new String[] {"[PAD]", "<pad>"}) {
        if (pad == null && HfJson.addedTokens(root).containsKey(guess) && vocab.containsKey(guess)) {
          pad = guess;
        }
      }
    }
    return new WordLevelTokenizer(vocab, unk, pad, prefix, suffix, normalizers, preTokenizer, false, source);
  }

  static String write(WordLevelTokenizer t) {
    ObjectNode root = HfJson.MAPPER.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    if (t.padToken != null) {
      ObjectNode padding = root.putObject("padding");
      padding.put("strategy", "BatchLongest");
      padding.put("direction", "Right");
      padding.putNull("pad_to_multiple_of");
      padding.put("pad_id", t.vocab.get(t.padToken));
      padding.put("pad_type_id", 0);
      padding.put("pad_token", t.padToken);
    } else {
      root.putNull("padding");
    }
    ArrayNode added = root.putArray("added_tokens");
    t.vocab.entrySet().stream()
        .filter(e -> isSpecial(t, e.getKey()))
        .sorted(Map.Entry.comparingByValue())
        .forEach(e -> added.addObject()
            .put("id", e.getValue()).put("content", e.getKey()).put("single_word", false)
            .put("lstrip", false).put("rstrip", false).put("normalized", false).put("special", true));
    if (t.normalizers.isEmpty()) {
      root.putNull("normalizer");
    } else if (t.normalizers.size() == 1) {
      root.putObject("normalizer").put("type", t.normalizers.get(0));
    } else {
      ObjectNode seq = root.putObject("normalizer");
      seq.put("type", "Sequence");
      ArrayNode list = seq.putArray("normalizers");
      t.normalizers.forEach(n -> list.addObject().put("type", n));
    }
    root.putObject("pre_tokenizer").put("type", t.preTokenizer.jsonType());
    if (t.prefix.isEmpty() && t.suffix.isEmpty()) {
      root.putNull("post_processor");
    } else {
      writeTemplate(root.putObject("post_processor"), t);
    }
    root.putNull("decoder");
    ObjectNode model = root.putObject("model");
    model.put("type", "WordLevel");
    ObjectNode vocab = model.putObject("vocab");
    t.vocab.entrySet().stream().sorted(Map.Entry.comparingByValue())
        .forEach(e -> vocab.put(e.getKey(), e.getValue()));
    if (t.unkToken != null) {
      model.put("unk_token", t.unkToken);
    } else {
      model.putNull("unk_token");
    }
    try {
      return HfJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new TokenizerException("Cannot serialize " + t + ": " + e.getOriginalMessage(), e);
    }
  }

  private static boolean isSpecial(WordLevelTokenizer t, String token) {
    return token.equals(t.padToken) || token.equals(t.unkToken) || t.prefix.contains(token) || t.suffix.contains(token);
  }

  // TemplateProcessing as tokenizers serializes it: $A with the special tokens around it
  // ("single"), and "$A ... $B:1 ..." for pairs.
  private static void writeTemplate(ObjectNode post, WordLevelTokenizer t) {
    post.put("type", "TemplateProcessing");
    ArrayNode single = post.putArray("single");
    ArrayNode pair = post.putArray("pair");
    t.prefix.forEach(s -> special(single, s, 0));
    sequence(single, "A", 0);
    t.suffix.forEach(s -> special(single, s, 0));
    t.prefix.forEach(s -> special(pair, s, 0));
    sequence(pair, "A", 0);
    t.suffix.forEach(s -> special(pair, s, 0));
    sequence(pair, "B", 1);
    t.suffix.forEach(s -> special(pair, s, 1));
    ObjectNode specials = post.putObject("special_tokens");
    List<String> all = new ArrayList<>(t.prefix);
    t.suffix.stream().filter(s -> !all.contains(s)).forEach(all::add);
    all.stream().sorted(Comparator.naturalOrder()).forEach(s -> {
      ObjectNode entry = specials.putObject(s);
      entry.put("id", s);
      entry.putArray("ids").add(t.vocab.get(s));
      entry.putArray("tokens").add(s);
    });
  }

  private static void special(ArrayNode list, String id, int typeId) {
    list.addObject().putObject("SpecialToken").put("id", id).put("type_id", typeId);
  }

  private static void sequence(ArrayNode list, String id, int typeId) {
    list.addObject().putObject("Sequence").put("id", id).put("type_id", typeId);
  }
}
