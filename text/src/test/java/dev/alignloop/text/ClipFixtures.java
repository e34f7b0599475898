package dev.alignloop.text;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes CLIP tokenizer files built the way OpenAI's simple_tokenizer.py builds its vocabulary:
 * ids 0-255 are the byte alphabet in bytes_to_unicode() order, 256-511 the same with "</w>",
 * then one id per merge (512 + rank), then <|startoftext|>, <|endoftext|>. The alphabet is
 * ported here independently of the production ByteLevel class.
 */
final class ClipFixtures {

  static final ObjectMapper JSON = new ObjectMapper();

  private ClipFixtures() {}

  /** bytes_to_unicode().values(), ported line by line from the Python. */
  static List<String> alphabet() {
    List<Integer> bs = new ArrayList<>();
    for (int b = '!'; b <= '~'; b++) bs.add(b);
    for (int b = 0xA1; b <= 0xAC; b++) bs.add(b);
    for (int b = 0xAE; b <= 0xFF; b++) bs.add(b);
    List<Integer> cs = new ArrayList<>(bs);
    int n = 0;
    for (int b = 0; b < 256; b++) {
      if (!bs.contains(b)) {
        bs.add(b);
        cs.add(256 + n++);
      }
    }
    return cs.stream().map(c -> String.valueOf((char) (int) c)).toList();
  }

  /** OpenAI's vocabulary for these merges ("a b" strings, in rank order). */
  static Map<String, Integer> vocab(List<String> merges) {
    List<String> v = new ArrayList<>(alphabet());
    for (String c : alphabet()) v.add(c + "</w>");
    for (String m : merges) v.add(m.replace(" ", ""));
    v.add("<|startoftext|>");
    v.add("<|endoftext|>");
    Map<String, Integer> vocab = new LinkedHashMap<>();
    for (int i = 0; i < v.size(); i++) vocab.put(v.get(i), i);
    return vocab;
  }

  /** Writes vocab.json and merges.txt (with the #version header) into {@code dir}. */
  static Path writeVocabAndMerges(Path dir, List<String> merges) throws IOException {
    return writeVocabAndMerges(dir, vocab(merges), merges);
  }

  static Path writeVocabAndMerges(Path dir, Map<String, Integer> vocab, List<String> merges) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("vocab.json"), JSON.writeValueAsString(vocab));
    Files.writeString(dir.resolve("merges.txt"), "#version: 0.2\n" + String.join("\n", merges) + "\n");
    return dir;
  }

  /**
   * Writes a tokenizer.json as CLIPTokenizerFast saves it (RobertaProcessing post-processor,
   * BPE model with end_of_word_suffix "</w>"); merges as "a b" strings or ["a","b"] arrays.
   */
  static Path writeTokenizerJson(Path dir, List<String> merges, boolean mergesAsArrays) throws IOException {
    Map<String, Integer> vocab = vocab(merges);
    int bos = vocab.get("<|startoftext|>");
    int eos = vocab.get("<|endoftext|>");
    ObjectNode root = JSON.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    added.addObject().put("id", bos).put("content", "<|startoftext|>").put("special", true);
    added.addObject().put("id", eos).put("content", "<|endoftext|>").put("special", true);
    ObjectNode post = root.putObject("post_processor");
    post.put("type", "RobertaProcessing");
    post.putArray("sep").add("<|endoftext|>").add(eos);
    post.putArray("cls").add("<|startoftext|>").add(bos);
    ObjectNode model = root.putObject("model");
    model.put("type", "BPE");
    model.putNull("dropout");
    model.put("unk_token", "<|endoftext|>");
    model.put("continuing_subword_prefix", "");
    model.put("end_of_word_suffix", "</w>");
    model.set("vocab", JSON.valueToTree(vocab));
    ArrayNode m = model.putArray("merges");
    for (String merge : merges) {
      if (mergesAsArrays) {
        String[] p = merge.split(" ");
        m.addArray().add(p[0]).add(p[1]);
      } else {
        m.add(merge);
      }
    }
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("tokenizer.json"), JSON.writeValueAsString(root));
    return dir.resolve("tokenizer.json");
  }
}
