package dev.alignloop.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OpenAI CLIP's byte-level BPE tokenizer, matching transformers' {@code CLIPTokenizer}
 * (models/clip/tokenization_clip.py) and {@code CLIPTokenizerFast}.
 *
 * <p>Pipeline: split out special/added tokens verbatim; normalize each remaining piece ({@link
 * ClipNormalization}); split with CLIP's regex (contractions, letter runs, single digits, runs of
 * other symbols); map UTF-8 bytes to the byte-level alphabet; BPE with {@code </w>} marking the
 * end of each word; look up ids (unknown symbols map to {@code unk_token}). {@link #encode} adds
 * {@code <|startoftext|>} / {@code <|endoftext|>} (ids 49406 / 49407 in the real vocabulary),
 * truncates keeping the end token last, and pads with {@code pad_token} ({@code <|endoftext|>}
 * for SD 1.x, {@code !} for SDXL's {@code tokenizer_2}).
 *
 * <p>Known differences: ftfy is not run (see {@link ClipNormalization}); Java's Unicode tables
 * (the JDK's Unicode version) decide {@code \p{L}}/{@code \p{N}}, Python's {@code regex} module
 * may be on a newer Unicode version for recently added characters; {@code decode} does not apply
 * transformers' {@code clean_up_tokenization_spaces}.
 */
public final class ClipTokenizer implements TextTokenizer {

  private static final Logger LOG = LoggerFactory.getLogger(ClipTokenizer.class);

  /** Begin-of-text token. */
  public static final String START_OF_TEXT = "<|startoftext|>";
  /** End-of-text token (also unk and, for SD 1.x, pad). */
  public static final String END_OF_TEXT = "<|endoftext|>";
  /** CLIP's context length, the usual {@code model_max_length}. */
  public static final int DEFAULT_MAX_LENGTH = 77;
  /** The slow tokenizer reads at most this many merges ({@code 49152 - 256 - 2}). */
  static final int SLOW_MERGE_LIMIT = 49152 - 256 - 2;

  private static final Pattern PRE_TOKENIZER =
      Pattern.compile(
          "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+",
          Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

  private final Map<String, Integer> vocab; // includes added tokens
  private final Map<Integer, String> idToToken;
  private final BpeMerges merges;
  private final Map<String, Integer> configuredAdded; // added tokens from the files
  private final Map<String, Integer> addedTokenIds; // those plus the special tokens
  private final AddedTokens addedTokens;
  private final String bosToken;
  private final String eosToken;
  private final String unkToken;
  private final String padToken;
  private final int modelMaxLength;
  private final ClipNormalization normalization;
  private final String source;

  private ClipTokenizer(
      Map<String, Integer> baseVocab, BpeMerges merges, Map<String, Integer> added, String bos, String eos,
      String unk, String pad, int modelMaxLength, ClipNormalization normalization, String source) {
    Map<String, Integer> v = new HashMap<>(baseVocab);
    v.putAll(added);
    this.vocab = Map.copyOf(v);
    Map<Integer, String> inverse = new HashMap<>(v.size() * 2);
    v.forEach((token, id) -> inverse.putIfAbsent(id, token));
    this.idToToken = Map.copyOf(inverse);
    this.merges = merges;
    this.configuredAdded = Map.copyOf(added);
    this.bosToken = requireToken(v, bos, "bos_token", source);
    this.eosToken = requireToken(v, eos, "eos_token", source);
    this.unkToken = requireToken(v, unk, "unk_token", source);
    this.padToken = requireToken(v, pad, "pad_token", source);
    // transformers always splits special tokens out of the text, added or not.
    Map<String, Integer> specials = new HashMap<>(added);
    for (String t : new String[] {bosToken, eosToken, unkToken, padToken}) {
      specials.put(t, v.get(t));
    }
    this.addedTokenIds = Map.copyOf(specials);
    this.addedTokens = new AddedTokens(addedTokenIds);
    if (modelMaxLength < 2) {
      throw new TokenizerException(source + ": model_max_length " + modelMaxLength + " cannot hold BOS and EOS");
    }
    this.modelMaxLength = modelMaxLength;
    this.normalization = Objects.requireNonNull(normalization, "normalization");
    this.source = source;
  }

  private static String requireToken(Map<String, Integer> vocab, String token, String key, String source) {
    if (!vocab.containsKey(token)) {
      throw new TokenizerException(source + ": " + key + " \"" + token + "\" is not in the vocabulary");
    }
    return token;
  }

  /**
   * Loads from a directory: {@code tokenizer.json} if present, else {@code vocab.json} + {@code
   * merges.txt}; special tokens and {@code model_max_length} from {@code tokenizer_config.json} /
   * {@code special_tokens_map.json} when present, else CLIP's defaults.
   */
  public static ClipTokenizer load(Path dir) {
    Path json = dir.resolve(Tokenizers.TOKENIZER_JSON);
    return Files.isRegularFile(json)
        ? fromTokenizerJson(json)
        : fromVocabAndMerges(dir.resolve(Tokenizers.VOCAB_JSON), dir.resolve(Tokenizers.MERGES_TXT));
  }

  /** From {@code vocab.json} and {@code merges.txt} (plus config files beside them, if any). */
  public static ClipTokenizer fromVocabAndMerges(Path vocabJson, Path mergesTxt) {
    Map<String, Integer> vocab = HfJson.vocab(HfJson.read(vocabJson), vocabJson);
    List<String[]> merges = readMergesTxt(mergesTxt);
    TokenizerConfig config = TokenizerConfig.read(parent(vocabJson));
    return create(vocab, merges, config.addedTokens(), config, null, null, null, null, vocabJson + " + " + mergesTxt);
  }

  /** From a transformers/tokenizers {@code tokenizer.json} whose model is CLIP-style BPE. */
  public static ClipTokenizer fromTokenizerJson(Path tokenizerJson) {
    JsonNode root = HfJson.read(tokenizerJson);
    JsonNode model = HfJson.require(root, "model", tokenizerJson);
    String type = model.path("type").asText("");
    if (!"BPE".equals(type)) {
      throw new TokenizerException(tokenizerJson + ": model.type is \"" + type + "\", expected \"BPE\" for a CLIP tokenizer");
    }
    String suffix = model.path("end_of_word_suffix").asText("");
    if (!BpeMerges.END_OF_WORD.equals(suffix)) {
      throw new TokenizerException(tokenizerJson + ": model.end_of_word_suffix is \"" + suffix
          + "\"; only CLIP-style BPE (\"</w>\") is supported");
    }
    Map<String, Integer> vocab = HfJson.vocab(HfJson.require(model, "vocab", tokenizerJson), tokenizerJson);
    List<String[]> merges = HfJson.merges(HfJson.require(model, "merges", tokenizerJson), tokenizerJson);
    Map<String, Integer> added = new HashMap<>(HfJson.addedTokens(root));
    TokenizerConfig config = TokenizerConfig.read(parent(tokenizerJson));
    added.putAll(config.addedTokens());
    // Post-processor: RobertaProcessing {"cls": ["<|startoftext|>", 49406], "sep": [...]}.
    JsonNode post = root.path("post_processor");
    String bos = post.path("cls").path(0).asText(null);
    String eos = post.path("sep").path(0).asText(null);
    String pad = root.path("padding").path("pad_token").asText(null);
    String unk = model.path("unk_token").asText(null);
    return create(vocab, merges, added, config, bos, eos, unk, pad, tokenizerJson.toString());
  }

  private static ClipTokenizer create(
      Map<String, Integer> vocab, List<String[]> merges, Map<String, Integer> added, TokenizerConfig config,
      String bos, String eos, String unk, String pad, String source) {
    // Config files win over tokenizer.json, which wins over CLIP's defaults.
    return new ClipTokenizer(
        vocab, new BpeMerges(merges), added,
        first(config.bos(), bos, START_OF_TEXT),
        first(config.eos(), eos, END_OF_TEXT),
        first(config.unk(), unk, END_OF_TEXT),
        first(config.pad(), pad, END_OF_TEXT),
        config.modelMaxLength() != null ? config.modelMaxLength() : DEFAULT_MAX_LENGTH,
        ClipNormalization.STANDARD, source);
  }

  /**
   * Reads {@code merges.txt} as the slow tokenizer does: the whole file stripped, split on
   * newlines, the first line (the {@code #version} header) skipped, at most {@link
   * #SLOW_MERGE_LIMIT} merges kept.
   */
  static List<String[]> readMergesTxt(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new TokenizerException("Cannot read merges file " + file + ": " + e, e);
    }
    String[] lines = text.strip().split("\n", -1);
    if (!lines[0].contains("#version")) {
      LOG.warn("{}: first line \"{}\" is not a #version header; it is skipped anyway, as transformers does", file, lines[0]);
    }
    int end = Math.min(lines.length, SLOW_MERGE_LIMIT + 1);
    List<String[]> merges = new ArrayList<>(end);
    for (int i = 1; i < end; i++) {
      String line = lines[i].strip();
      int space = line.indexOf(' ');
      // merge.split(): the common "a b" case without a regex, any other whitespace with one.
      String[] pair = space > 0 && line.indexOf(' ', space + 1) < 0 && line.indexOf('\t') < 0
          ? new String[] {line.substring(0, space), line.substring(space + 1)}
          : line.split("\\s+");
      if (pair.length != 2) {
        throw new TokenizerException(file + ": line " + (i + 1) + " is not a merge pair: \"" + lines[i] + "\"");
      }
      merges.add(pair);
    }
    return merges;
  }

  /** A copy that normalizes text differently. */
  public ClipTokenizer withNormalization(ClipNormalization mode) {
    return new ClipTokenizer(vocab, merges, configuredAdded, bosToken, eosToken, unkToken, padToken,
        modelMaxLength, mode, source);
  }

  /** A copy that pads with {@code token} (which must be in the vocabulary). */
  public ClipTokenizer withPadToken(String token) {
    return new ClipTokenizer(vocab, merges, configuredAdded, bosToken, eosToken, unkToken, token,
        modelMaxLength, normalization, source);
  }

  /** BPE tokens of {@code text}, without BOS/EOS (transformers' {@code tokenize}). */
  public List<String> tokenize(String text) {
    Objects.requireNonNull(text, "text");
    List<String> tokens = new ArrayList<>();
    for (AddedTokens.Piece piece : addedTokens.split(text)) {
      if (piece.special()) {
        tokens.add(piece.text());
        continue;
      }
      Matcher m = PRE_TOKENIZER.matcher(normalization.apply(piece.text()));
      while (m.find()) {
        String word = m.group();
        if (word.equals(START_OF_TEXT) || word.equals(END_OF_TEXT)) {
          tokens.add(word); // the slow tokenizer's bpe cache returns these unchanged
        } else {
          tokens.addAll(merges.apply(ByteLevel.encode(word)));
        }
      }
    }
    return tokens;
  }

  /** Ids of {@code text} without BOS/EOS, untruncated. */
  public int[] encodeIds(String text) {
    List<String> tokens = tokenize(text);
    int unk = vocab.get(unkToken);
    int[] ids = new int[tokens.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = vocab.getOrDefault(tokens.get(i), unk);
    }
    return ids;
  }

  /** {@link #encode(String, int, Padding)} with {@link Padding#MAX_LENGTH}. */
  @Override
  public Encoding encode(String text, int maxLength) {
    return encode(text, maxLength, Padding.MAX_LENGTH);
  }

  /**
   * {@code tokenizer(text, max_length=maxLength, truncation=True, padding=...)}: BOS, at most
   * {@code maxLength - 2} text ids, EOS, then (with {@link Padding#MAX_LENGTH}) pad ids.
   */
  public Encoding encode(String text, int maxLength, Padding padding) {
    if (maxLength < 2) {
      throw new IllegalArgumentException("maxLength " + maxLength + " cannot hold BOS and EOS");
    }
    int[] ids = encodeIds(text);
    int n = Math.min(ids.length, maxLength - 2);
    int length = padding == Padding.MAX_LENGTH ? maxLength : n + 2;
    long[] inputIds = new long[length];
    long[] mask = new long[length];
    inputIds[0] = bosId();
    for (int i = 0; i < n; i++) {
      inputIds[i + 1] = ids[i];
    }
    inputIds[n + 1] = eosId();
    for (int i = 0; i < length; i++) {
      if (i < n + 2) {
        mask[i] = 1;
      } else {
        inputIds[i] = padId();
      }
    }
    return new Encoding(inputIds, mask);
  }

  /**
   * Text of {@code ids}: tokens joined, bytes decoded, {@code </w>} turned into spaces, trimmed
   * (transformers' {@code convert_tokens_to_string}).
   */
  public String decode(long[] ids, boolean skipSpecialTokens) {
    StringBuilder sb = new StringBuilder();
    for (long id : ids) {
      String token = idToToken.get((int) id);
      if (token == null) {
        throw new TokenizerException("Id " + id + " is not in the vocabulary of " + source);
      }
      if (!(skipSpecialTokens && addedTokenIds.containsKey(token))) {
        sb.append(token);
      }
    }
    return ByteLevel.decode(sb.toString()).replace(BpeMerges.END_OF_WORD, " ").strip();
  }

  /** Id of {@code token}, or -1. */
  public int tokenToId(String token) {
    return vocab.getOrDefault(token, -1);
  }

  /** Id of the begin-of-text token. */
  public int bosId() {
    return vocab.get(bosToken);
  }

  /** Id of the end-of-text token. */
  public int eosId() {
    return vocab.get(eosToken);
  }

  /** Id of the padding token. */
  public int padId() {
    return vocab.get(padToken);
  }

  /** Id unknown symbols map to. */
  public int unkId() {
    return vocab.get(unkToken);
  }

  /** The padding token, e.g. {@code <|endoftext|>} or {@code !}. */
  public String padToken() {
    return padToken;
  }

  /** Number of entries in the vocabulary, added tokens included. */
  public int vocabSize() {
    return vocab.size();
  }

  /** {@code model_max_length} (77 for CLIP). */
  public int modelMaxLength() {
    return modelMaxLength;
  }

  /** The normalization in use. */
  public ClipNormalization normalization() {
    return normalization;
  }

  @Override
  public String toString() {
    return "ClipTokenizer[" + source + ", vocab=" + vocab.size() + ", merges=" + merges.size()
        + ", pad=" + padToken + ", " + normalization + "]";
  }

  private static String first(String... values) {
    for (String v : values) {
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  private static Path parent(Path file) {
    Path p = file.toAbsolutePath().getParent();
    return p == null ? Path.of(".") : p;
  }
}
