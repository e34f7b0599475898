package dev.alignloop.reward.onnx;

import dev.alignloop.reward.RewardManifest;
import dev.alignloop.text.WordLevelTokenizer;
import java.nio.file.Path;
import java.util.Collection;

/**
 * Writes a tiny, randomly initialised CLIP-style ONNX reward model with a word-level tokenizer
 * for a given vocabulary: the reward-model counterpart of the diffusion module's tiny policy
 * folders, for tests and smoke runs of the services (its scores mean nothing).
 */
public final class TinyRewardFolder {
    /** Token positions: room for the longest shapes-world prompt (16 words) plus BOS/EOS. */
    public static final int MAX_LENGTH = 24;

    private TinyRewardFolder() {
    }

    /**
     * @param dir where {@code tokenizer/} and {@code reward/} (model.onnx + reward.json) go
     * @param words the vocabulary
     * @param imageSize the square input size the model preprocesses images to
     * @param seed weight seed
     * @return the manifest file ({@code reward/reward.json})
     */
    public static Path write(Path dir, Collection<String> words, int imageSize, long seed) {
        WordLevelTokenizer tokenizer = WordLevelTokenizer.builder().addWords(words)
                .optBosToken("[BOS]").optEosToken("[EOS]").build();
        Path tokDir = tokenizer.save(dir.resolve("tokenizer"));
        TinyClipSpec spec = new TinyClipSpec(tokenizer.vocabSize(), MAX_LENGTH, 16, 32, true, imageSize, 8, 5, 2, true, 16);
        RewardManifest m = TinyClipOnnx.export(spec, TinyClipOnnx.random(spec, seed), dir.resolve("reward"),
                "tiny-reward", tokDir);
        return m.file();
    }
}
