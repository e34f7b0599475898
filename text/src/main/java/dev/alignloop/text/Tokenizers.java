package dev.alignloop.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loads the right {@link TextTokenizer} for a tokenizer directory. */
public final class Tokenizers {

  /** The {@code tokenizers} library's single-file format. */
  public static final String TOKENIZER_JSON = "tokenizer.json";
  /** Slow-tokenizer vocabulary. */
  public static final String VOCAB_JSON = "vocab.json";
  /** Slow-tokenizer BPE merges. */
  public static final String MERGES_TXT = "merges.txt";

  private Tokenizers() {}

  /**
   * Loads from {@code path}: a {@code tokenizer.json} file, or a directory holding {@code
   * tokenizer.json} (model type {@code BPE} → {@link ClipTokenizer}, {@code WordLevel} → {@link
   * WordLevelTokenizer}) or else {@code vocab.json} + {@code merges.txt} (→ {@link
   * ClipTokenizer}).
   *
   * @throws TokenizerException naming the file at fault, or the directory and the files looked
   *     for
   */
  public static TextTokenizer load(Path path) {
    Path json = Files.isDirectory(path) ? path.resolve(TOKENIZER_JSON) : path;
    if (Files.isRegularFile(json)) {
      JsonNode root = HfJson.read(json);
      String type = root.path("model").path("type").asText("");
      return switch (type) {
        case "BPE" -> ClipTokenizer.fromTokenizerJson(json);
        case "WordLevel" -> WordLevelTokenizer.load(json);
        default -> throw new TokenizerException(json + ": model.type \"" + type
            + "\" is not supported (BPE for CLIP, WordLevel)");
      };
    }
    if (!Files.isDirectory(path)) {
      throw new TokenizerException("Tokenizer path not found: " + path);
    }
    Path vocab = path.resolve(VOCAB_JSON);
    Path merges = path.resolve(MERGES_TXT);
    if (Files.isRegularFile(vocab) && Files.isRegularFile(merges)) {
      return ClipTokenizer.fromVocabAndMerges(vocab, merges);
    }
    if (Files.isRegularFile(vocab) || Files.isRegularFile(merges)) {
      throw new TokenizerException(path + ": has " + (Files.isRegularFile(vocab) ? VOCAB_JSON : MERGES_TXT)
          + " but not " + (Files.isRegularFile(vocab) ? MERGES_TXT : VOCAB_JSON) + "; a BPE tokenizer needs both");
    }
    throw new TokenizerException("No tokenizer in " + path + ": expected " + TOKENIZER_JSON + " or "
        + VOCAB_JSON + " + " + MERGES_TXT);
  }
}
