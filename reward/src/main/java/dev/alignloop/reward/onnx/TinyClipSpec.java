package dev.alignloop.reward.onnx;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Shape of a tiny CLIP-style dual encoder, the reward model of the embedded "shapes" world.
 *
 * <p>Weights use PyTorch names and layouts ({@code nn.Linear.weight} is {@code [out, in]}), so a
 * model trained in DJL or PyTorch exports by name. The math, which {@link TinyClipOnnx} and
 * {@link TinyClipReference} implement identically:
 *
 * <pre>
 * text (input_ids [B, L] int64, attention_mask [B, L] int64):
 *   x = token_embedding[input_ids]                                  // [B, L, D]
 *   x = x + position_embedding[:L]           if textPositions       // [B, L, D]
 *   x = gelu(x @ fc.weight^T + fc.bias)      if textHidden > 0      // [B, L, H] (exact erf GELU)
 *   m = attention_mask as float                                      // [B, L]
 *   t = (sum_l m x) / max(sum_l m, 1) @ text_projection.weight^T    // [B, P]
 * image (pixel_values [B, 3, N, N] float, N = imageSize):
 *   h = conv2d(pixel_values, conv.weight, conv.bias, stride, pad = kernel / 2)  // [B, C, S, S]
 *   h = h + position_bias                    if imagePositions      // [C, S, S] broadcast
 *   v = mean_{S,S} relu(h) @ visual_projection.weight^T            // [B, P]
 * score = exp(logit_scale) * (t / |t|) . (v / |v|)                   // [B]
 * </pre>
 *
 * Without positions the text tower is a bag of words and the image tower is translation
 * invariant; prompts with spatial relations ("a red circle above a blue square") need both
 * position options on.
 *
 * @param vocabSize      V, tokenizer vocabulary size
 * @param maxLength      maximum sequence length L (the position table's rows)
 * @param embedDim       D, token embedding width
 * @param textHidden     H, width of the per-token GELU layer, 0 for none
 * @param textPositions  whether learned position embeddings are added to the tokens
 * @param imageSize      N, square input resolution (the preprocessor's crop size)
 * @param channels       C, conv output channels
 * @param kernel         conv kernel size (odd)
 * @param stride         conv stride
 * @param imagePositions whether a learned per-position bias is added after the conv
 * @param projectionDim  P, shared embedding width
 */
public record TinyClipSpec(int vocabSize, int maxLength, int embedDim, int textHidden, boolean textPositions,
                           int imageSize, int channels, int kernel, int stride, boolean imagePositions,
                           int projectionDim) {

    /** {@code [V, D]} */
    public static final String TOKEN_EMBEDDING = "text.token_embedding.weight";
    /** {@code [L, D]} */
    public static final String POSITION_EMBEDDING = "text.position_embedding.weight";
    /** {@code [H, D]} */
    public static final String TEXT_FC_WEIGHT = "text.fc.weight";
    /** {@code [H]} */
    public static final String TEXT_FC_BIAS = "text.fc.bias";
    /** {@code [P, H or D]} */
    public static final String TEXT_PROJECTION = "text_projection.weight";
    /** {@code [C, 3, k, k]} */
    public static final String CONV_WEIGHT = "vision.conv.weight";
    /** {@code [C]} */
    public static final String CONV_BIAS = "vision.conv.bias";
    /** {@code [C, S, S]} */
    public static final String POSITION_BIAS = "vision.position_bias";
    /** {@code [P, C]} */
    public static final String VISUAL_PROJECTION = "visual_projection.weight";
    /** {@code []}: log of the score scale, as CLIP stores it. */
    public static final String LOGIT_SCALE = "logit_scale";

    /** Validates every dimension, naming it. */
    public TinyClipSpec {
        positive("vocabSize", vocabSize);
        positive("maxLength", maxLength);
        positive("embedDim", embedDim);
        positive("imageSize", imageSize);
        positive("channels", channels);
        positive("kernel", kernel);
        positive("stride", stride);
        positive("projectionDim", projectionDim);
        if (textHidden < 0) {
            throw new IllegalArgumentException("textHidden must be >= 0 (0 = no hidden layer), got " + textHidden);
        }
        if (kernel % 2 == 0) {
            throw new IllegalArgumentException("kernel must be odd (padding is kernel / 2), got " + kernel);
        }
        if (kernel > imageSize) {
            throw new IllegalArgumentException("kernel " + kernel + " is larger than imageSize " + imageSize);
        }
    }

    /** A small spec for tests and demos: 32x32 images, 16-token prompts, both position options on. */
    public static TinyClipSpec small(int vocabSize) {
        return new TinyClipSpec(vocabSize, 16, 16, 32, true, 32, 8, 5, 2, true, 16);
    }

    /** S: side of the conv output, {@code (N + 2 * (k / 2) - k) / stride + 1}. */
    public int convOutSize() {
        return (imageSize + 2 * (kernel / 2) - kernel) / stride + 1;
    }

    /** Width of the pooled text features: H, or D without a hidden layer. */
    public int textFeatures() {
        return textHidden > 0 ? textHidden : embedDim;
    }

    /** Every weight this spec needs, by name, with its PyTorch shape, in a stable order. */
    public Map<String, long[]> weightShapes() {
        Map<String, long[]> m = new LinkedHashMap<>();
        m.put(TOKEN_EMBEDDING, new long[] {vocabSize, embedDim});
        if (textPositions) {
            m.put(POSITION_EMBEDDING, new long[] {maxLength, embedDim});
        }
        if (textHidden > 0) {
            m.put(TEXT_FC_WEIGHT, new long[] {textHidden, embedDim});
            m.put(TEXT_FC_BIAS, new long[] {textHidden});
        }
        m.put(TEXT_PROJECTION, new long[] {projectionDim, textFeatures()});
        m.put(CONV_WEIGHT, new long[] {channels, 3, kernel, kernel});
        m.put(CONV_BIAS, new long[] {channels});
        if (imagePositions) {
            int s = convOutSize();
            m.put(POSITION_BIAS, new long[] {channels, s, s});
        }
        m.put(VISUAL_PROJECTION, new long[] {projectionDim, channels});
        m.put(LOGIT_SCALE, new long[] {});
        return m;
    }

    private static void positive(String name, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, got " + v);
        }
    }
}
