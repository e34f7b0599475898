package dev.alignloop.shapes.rewardmodel;

import dev.alignloop.reward.image.ClipImageConfig;
import dev.alignloop.reward.image.ClipImagePreprocessor;
import dev.alignloop.reward.onnx.TinyClipSpec;
import dev.alignloop.shapes.model.ShapesModelConfigs;
import dev.alignloop.shapes.model.ShapesTokenizer;

/**
 * The shapes world's reward-model shape and preprocessing.
 *
 * <p>{@link #spec(int)}: 16-token prompts with learned positions, 32-wide token embeddings, a
 * 128-wide per-token GELU layer; a 7×7 stride-2 convolution with 64 channels and a learned bias
 * per output position (16×16), so features can be both local (colour and shape of a patch) and
 * positional (left/right/top/bottom); 64-wide shared embedding. About 60k parameters.
 */
public final class ShapesRewardSpec {
    private ShapesRewardSpec() {
    }

    /** The reward model spec for a tokenizer of {@code vocabSize} ids. */
    public static TinyClipSpec spec(int vocabSize) {
        return new TinyClipSpec(vocabSize, ShapesTokenizer.MAX_LENGTH, 32, 128, true,
                ShapesModelConfigs.IMAGE_SIZE, 64, 7, 2, true, 64);
    }

    /** The image preprocessing the exported manifest declares (CLIP mean/std at 32×32, no resize for 32×32 input). */
    public static ClipImagePreprocessor preprocessor() {
        return new ClipImagePreprocessor(ClipImageConfig.clipDefaults(ShapesModelConfigs.IMAGE_SIZE));
    }
}
