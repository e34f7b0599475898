package dev.alignloop.text;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A word-level tokenizer: each pre-tokenized word maps to one id ({@code tokenizer.json} with
 * model type {@code WordLevel}). Used by the "shapes" world, whose prompts come from a small fixed
 * vocabulary, and written back as a {@code tokenizer.json} that Hugging Face {@code tokenizers}
 * can load.
 *
 * <p>Pipeline: split out special tokens verbatim; normalize (e.g. lowercase); pre-tokenize
 * ({@link PreTokenizer}); look words up. An unknown word maps to {@code unk_token}, or, in
 * {@linkplain #strict(boolean) strict} mode (or with no unk token), fails with a {@link
 * TokenizerException} naming the word and the prompt. {@link #encode} adds the configured
 * prefix/suffix special tokens (e.g. BOS/EOS), truncates keeping the suffix, and pads with the
 * pad token.
 */
public final class WordLevelTokenizer implements TextTokenizer {

  final Map<String, Integer> vocab;
  private final Map<Integer, String> idToToken;
  final String unkToken; // nullable
  final String padToken; // nullable
  final List<String> prefix; // special tokens before the text, e.g. [BOS]
  final List<String> suffix; // special tokens after the text, e.g. [EOS]
  final List<String> normalizers; // tokenizers normalizer types, applied in order
  final PreTokenizer preTokenizer;
  private final boolean strict;
  private final Map<String, Integer> specialIds;
  private final AddedTokens specials;
  private final String source;

  WordLevelTokenizer(
      Map<String, Integer> vocab, String unkToken, String padToken, List<String> prefix, List<String> suffix,
      List<String> normalizers, PreTokenizer preTokenizer, boolean strict, String source) {
    this.vocab = Map.copyOf(vocab);
    Map<Integer, String> inverse = new HashMap<>(vocab.size() * 2);
    vocab.forEach((t, id) -> {
      if (inverse.putIfAbsent(id, t) != null) {
        throw new TokenizerException(source + ": id " + id + " is used by both \"" + inverse.get(id) + "\" and \"" + t + "\"");
      }
    });
    this.idToToken = Map.copyOf(inverse);
    this.unkToken = unkToken;
    this.padToken = padToken;
    this.prefix = List.copyOf(prefix);
    this.suffix = List.copyOf(suffix);
    this.normalizers = List.copyOf(normalizers);
    for (String n : normalizers) {
      WordLevelJson.normalize(n, "", source); // fail fast on unsupported types
    }
    this.preTokenizer = Objects.requireNonNull(preTokenizer, "preTokenizer");
    this.strict = strict;
    this.source = source;
    Map<String, Integer> sp = new LinkedHashMap<>();
    for (String t : allSpecials()) {
      if (t != null) {
        Integer id = vocab.get(t);
        if (id == null) {
          throw new TokenizerException(source + ": special token \"" + t + "\" is not in the vocabulary");
        }
        sp.put(t, id);
      }
    }
    this.specialIds = Map.copyOf(sp);
    this.specials = new AddedTokens(specialIds);
  }

  private List<String> allSpecials() {
    List<String> all = new ArrayList<>();
    all.add(unkToken);
    all.add(padToken);
    all.addAll(prefix);
    all.addAll(suffix);
    return all;
  }

  /** A builder for a new vocabulary. */
  public static Builder builder() {
    return new Builder();
  }

  /** Loads a {@code tokenizer.json} with model type {@code WordLevel}. */
  public static WordLevelTokenizer load(Path tokenizerJson) {
    return WordLevelJson.parse(HfJson.read(tokenizerJson), tokenizerJson.toString());
  }

  /** Parses {@code tokenizer.json} content; {@code source} names it in errors. */
  public static WordLevelTokenizer fromJson(String json, String source) {
    try {
      return WordLevelJson.parse(HfJson.MAPPER.readTree(json), source);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new TokenizerException("Malformed JSON in " + source + ": " + e.getOriginalMessage(), e);
    }
  }

  /** This tokenizer as a Hugging Face {@code tokenizer.json} document. */
  public String toJson() {
    return WordLevelJson.write(this);
  }

  /** Writes {@code dir/tokenizer.json} (atomically: temp file, then rename) and returns its path. */
  public Path save(Path dir) {
    Path target = dir.resolve(Tokenizers.TOKENIZER_JSON);
    try {
      Files.createDirectories(dir);
      Path temp = Files.createTempFile(dir, ".tokenizer", ".tmp");
      try {
        Files.writeString(temp, toJson());
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(temp);
      }
      return target;
    } catch (IOException e) {
      throw new TokenizerException("Cannot write " + target + ": " + e, e);
    }
  }

  /** A copy that rejects unknown words ({@code true}) or maps them to the unk token. */
  public WordLevelTokenizer strict(boolean on) {
    return new WordLevelTokenizer(vocab, unkToken, padToken, prefix, suffix, normalizers, preTokenizer, on, source);
  }

  /** Normalized, pre-tokenized words of {@code text} (special tokens kept whole), no prefix/suffix. */
  public List<String> tokenize(String text) {
    Objects.requireNonNull(text, "text");
    List<String> words = new ArrayList<>();
    for (AddedTokens.Piece piece : specials.split(text)) {
      if (piece.special()) {
        words.add(piece.text());
      } else {
        String normalized = piece.text();
        for (String n : normalizers) {
          normalized = WordLevelJson.normalize(n, normalized, source);
        }
        words.addAll(preTokenizer.split(normalized));
      }
    }
    return words;
  }

  /** Ids of {@code text} without prefix/suffix, untruncated. */
  public int[] encodeIds(String text) {
    List<String> words = tokenize(text);
    int[] ids = new int[words.size()];
    for (int i = 0; i < ids.length; i++) {
      Integer id = vocab.get(words.get(i));
      if (id == null) {
        if (strict || unkToken == null) {
          throw new TokenizerException("Unknown word \"" + words.get(i) + "\" in prompt \"" + text + "\" (tokenizer "
              + source + (strict ? ", strict mode" : ", which has no unk_token") + ")");
        }
        id = vocab.get(unkToken);
      }
      ids[i] = id;
    }
    return ids;
  }

  /** {@link #encode(String, int, Padding)} with {@link Padding#MAX_LENGTH}. */
  @Override
  public Encoding encode(String text, int maxLength) {
    return encode(text, maxLength, Padding.MAX_LENGTH);
  }

  /** Prefix tokens, at most {@code maxLength - specials} words, suffix tokens, then padding. */
  public Encoding encode(String text, int maxLength, Padding padding) {
    int specialCount = prefix.size() + suffix.size();
    if (maxLength < specialCount || maxLength < 1) {
      throw new IllegalArgumentException("maxLength " + maxLength + " cannot hold the " + specialCount + " special tokens");
    }
    if (padding == Padding.MAX_LENGTH && padToken == null) {
      throw new TokenizerException(source + ": no pad token configured (padding.pad_token); cannot pad to " + maxLength);
    }
    int[] ids = encodeIds(text);
    int n = Math.min(ids.length, maxLength - specialCount);
    int used = n + specialCount;
    int length = padding == Padding.MAX_LENGTH ? maxLength : used;
    long[] inputIds = new long[length];
    long[] mask = new long[length];
    int k = 0;
    for (String t : prefix) {
      inputIds[k++] = specialIds.get(t);
    }
    for (int i = 0; i < n; i++) {
      inputIds[k++] = ids[i];
    }
    for (String t : suffix) {
      inputIds[k++] = specialIds.get(t);
    }
    for (int i = 0; i < length; i++) {
      if (i < used) {
        mask[i] = 1;
      } else {
        inputIds[i] = specialIds.get(padToken);
      }
    }
    return new Encoding(inputIds, mask);
  }

  /** Words of {@code ids} joined by single spaces. */
  public String decode(long[] ids, boolean skipSpecialTokens) {
    List<String> words = new ArrayList<>();
    for (long id : ids) {
      String t = idToToken.get((int) id);
      if (t == null) {
        throw new TokenizerException("Id " + id + " is not in the vocabulary of " + source);
      }
      if (!(skipSpecialTokens && specialIds.containsKey(t))) {
        words.add(t);
      }
    }
    return String.join(" ", words);
  }

  /** Id of {@code token}, or -1. */
  public int tokenToId(String token) {
    return vocab.getOrDefault(token, -1);
  }

  /** Vocabulary size (special tokens included). */
  public int vocabSize() {
    return vocab.size();
  }

  /** The pad token, or null. */
  public String padToken() {
    return padToken;
  }

  /** The unk token, or null. */
  public String unkToken() {
    return unkToken;
  }

  /** Whether unknown words are rejected. */
  public boolean isStrict() {
    return strict;
  }

  @Override
  public String toString() {
    return "WordLevelTokenizer[" + source + ", vocab=" + vocab.size() + ", prefix=" + prefix + ", suffix=" + suffix
        + ", pad=" + padToken + ", unk=" + unkToken + (strict ? ", strict" : "") + "]";
  }

  /** Builds a tokenizer from special tokens and words; ids: pad, unk, bos, eos (those set), then words. */
  public static final class Builder {
    private final List<String> words = new ArrayList<>();
    private Map<String, Integer> vocab;
    private String unk = "[UNK]";
    private String pad = "[PAD]";
    private String bos;
    private String eos;
    private boolean lowercase = true;
    private PreTokenizer preTokenizer = PreTokenizer.WHITESPACE;
    private boolean strict;

    private Builder() {}

    /** Adds words (deduplicated, lowercased when lowercasing); ids follow the special tokens. */
    public Builder addWords(Collection<String> more) {
      words.addAll(more);
      return this;
    }

    /** Uses an explicit token → id map instead of assigning ids (special tokens must be in it). */
    public Builder setVocabulary(Map<String, Integer> explicit) {
      this.vocab = Map.copyOf(explicit);
      return this;
    }

    /** Unknown-word token (default {@code [UNK]}); null: unknown words always fail. */
    public Builder optUnkToken(String token) {
      this.unk = token;
      return this;
    }

    /** Padding token (default {@code [PAD]}, id 0). */
    public Builder optPadToken(String token) {
      this.pad = token;
      return this;
    }

    /** Begin-of-sequence token (default none). */
    public Builder optBosToken(String token) {
      this.bos = token;
      return this;
    }

    /** End-of-sequence token (default none). */
    public Builder optEosToken(String token) {
      this.eos = token;
      return this;
    }

    /** Lowercase text before lookup (default true). */
    public Builder optLowercase(boolean on) {
      this.lowercase = on;
      return this;
    }

    /** How text is split into words (default {@link PreTokenizer#WHITESPACE}). */
    public Builder optPreTokenizer(PreTokenizer p) {
      this.preTokenizer = Objects.requireNonNull(p, "preTokenizer");
      return this;
    }

    /** Reject unknown words (default false: map them to the unk token). */
    public Builder optStrict(boolean on) {
      this.strict = on;
      return this;
    }

    /**
     * Builds and validates: every added word must survive normalization and pre-tokenization as
     * itself (e.g. {@code red-square} cannot, since {@link PreTokenizer#WHITESPACE} splits it).
     */
    public WordLevelTokenizer build() {
      Map<String, Integer> v = vocab;
      if (v == null) {
        v = new LinkedHashMap<>();
        for (String s : new String[] {pad, unk, bos, eos}) {
          if (s != null) {
            v.putIfAbsent(s, v.size());
          }
        }
        for (String w : words) {
          String word = lowercase ? w.toLowerCase(java.util.Locale.ROOT) : w;
          List<String> split = preTokenizer.split(word);
          if (split.size() != 1 || !split.get(0).equals(word)) {
            throw new TokenizerException("Word \"" + w + "\" would be split into " + split + " by " + preTokenizer
                + "; it can never match");
          }
          v.putIfAbsent(word, v.size());
        }
      } else if (!words.isEmpty()) {
        throw new IllegalStateException("Use either setVocabulary or addWords, not both");
      }
      return new WordLevelTokenizer(v, unk, pad, bos == null ? List.of() : List.of(bos),
          eos == null ? List.of() : List.of(eos), lowercase ? List.of("Lowercase") : List.of(), preTokenizer,
          strict, "built WordLevel tokenizer");
    }
  }
}
