package dev.alignloop.shapes.model;

import dev.alignloop.shapes.prompt.PromptGrammar;
import dev.alignloop.shapes.prompt.SceneSpec;
import dev.alignloop.text.Encoding;
import dev.alignloop.text.TokenizerException;
import dev.alignloop.text.WordLevelTokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The word-level tokenizer of the shapes world, shared by the base model's text encoder and the
 * reward model: one id per word of {@link PromptGrammar#vocabulary()}, after the special tokens
 * {@code [PAD]=0, [UNK]=1, [BOS]=2, [EOS]=3}. Text is lowercased and split on whitespace (and
 * punctuation, which is never in the vocabulary); sequences are {@code [BOS] words [EOS]} padded
 * with {@code [PAD]} to {@link #MAX_LENGTH}.
 *
 * <p><b>Unknown words.</b> {@link #encode} is strict: a word outside the vocabulary is a {@link
 * TokenizerException} naming the word and the prompt, and so is a prompt too long to fit (rather
 * than silently truncating it). The shipped {@code tokenizer.json} is a plain Hugging Face
 * WordLevel file, which has no strict flag: readers that load it through {@code Tokenizers.load}
 * (the ONNX reward scorer) map unknown words to {@code [UNK]} and truncate long prompts.
 */
public final class ShapesTokenizer {

    /** Padding token, id 0. */
    public static final String PAD = "[PAD]";
    /** Unknown-word token, id 1. */
    public static final String UNK = "[UNK]";
    /** Begin-of-sequence token, id 2. */
    public static final String BOS = "[BOS]";
    /** End-of-sequence token, id 3. */
    public static final String EOS = "[EOS]";
    /** Id of {@link #PAD}. */
    public static final int PAD_ID = 0;
    /** Id of {@link #BOS}. */
    public static final int BOS_ID = 2;
    /** Id of {@link #EOS}. */
    public static final int EOS_ID = 3;

    /**
     * Sequence length, special tokens included: the longest canonical caption has 14 words ("a
     * small yellow triangle left of a large purple triangle on a black background"), plus
     * {@code [BOS]} and {@code [EOS]}.
     */
    public static final int MAX_LENGTH = 16;

    /** Words that fit between {@code [BOS]} and {@code [EOS]}. */
    public static final int MAX_WORDS = MAX_LENGTH - 2;

    private final WordLevelTokenizer tokenizer;

    private ShapesTokenizer(WordLevelTokenizer tokenizer) {
        this.tokenizer = tokenizer.strict(true);
    }

    /** The tokenizer built from the grammar's vocabulary. */
    public static ShapesTokenizer create() {
        return new ShapesTokenizer(WordLevelTokenizer.builder()
                .optPadToken(PAD)
                .optUnkToken(UNK)
                .optBosToken(BOS)
                .optEosToken(EOS)
                .addWords(PromptGrammar.vocabulary())
                .build());
    }

    /**
     * Loads {@code tokenizer.json} from a file or folder and checks it is this world's tokenizer
     * (same special-token ids).
     *
     * @throws TokenizerException naming the file if it is not
     */
    public static ShapesTokenizer load(Path fileOrDir) {
        Path file = fileOrDir.toString().endsWith(".json") ? fileOrDir : fileOrDir.resolve("tokenizer.json");
        WordLevelTokenizer t = WordLevelTokenizer.load(file);
        if (t.tokenToId(PAD) != PAD_ID || t.tokenToId(BOS) != BOS_ID || t.tokenToId(EOS) != EOS_ID) {
            throw new TokenizerException(file + ": not a shapes tokenizer (expected " + PAD + "=" + PAD_ID + ", "
                    + BOS + "=" + BOS_ID + ", " + EOS + "=" + EOS_ID + ")");
        }
        return new ShapesTokenizer(t);
    }

    /** The underlying (strict) word-level tokenizer. */
    public WordLevelTokenizer wordLevel() {
        return tokenizer;
    }

    /** Number of ids, special tokens included. */
    public int vocabSize() {
        return tokenizer.vocabSize();
    }

    /** Writes {@code dir/tokenizer.json} (atomically) and returns its path. */
    public Path save(Path dir) {
        return tokenizer.save(dir);
    }

    /**
     * {@code [BOS] words [EOS] [PAD]...} of length {@link #MAX_LENGTH}; the empty prompt (the
     * unconditional prompt of classifier-free guidance) is {@code [BOS] [EOS] [PAD]...}.
     *
     * @throws TokenizerException for an unknown word or more than {@link #MAX_WORDS} words
     */
    public Encoding encode(String prompt) {
        Objects.requireNonNull(prompt, "prompt");
        int words = tokenizer.encodeIds(prompt).length; // throws on unknown words (strict)
        if (words > MAX_WORDS) {
            throw new TokenizerException("prompt \"" + prompt + "\" has " + words + " words; at most " + MAX_WORDS
                    + " fit in " + MAX_LENGTH + " tokens with [BOS] and [EOS]");
        }
        return tokenizer.encode(prompt, MAX_LENGTH);
    }

    /** Encodes prompts into one flat row-major {@code [B, MAX_LENGTH]} id array. */
    public long[] encodeIds(List<String> prompts) {
        long[] ids = new long[prompts.size() * MAX_LENGTH];
        for (int i = 0; i < prompts.size(); i++) {
            System.arraycopy(encode(prompts.get(i)).inputIds(), 0, ids, i * MAX_LENGTH, MAX_LENGTH);
        }
        return ids;
    }

    /** The number of words in the longest canonical caption of the grammar (14). */
    public static int longestCanonicalCaption() {
        int max = 0;
        for (SceneSpec s : PromptGrammar.enumerate()) {
            max = Math.max(max, s.caption().split(" ").length);
        }
        return max;
    }

    @Override
    public String toString() {
        return "ShapesTokenizer[vocab=" + vocabSize() + ", maxLength=" + MAX_LENGTH + "]";
    }
}
