package dev.alignloop.reward.onnx;

import static dev.alignloop.reward.onnx.TinyClipSpec.CONV_BIAS;
import static dev.alignloop.reward.onnx.TinyClipSpec.CONV_WEIGHT;
import static dev.alignloop.reward.onnx.TinyClipSpec.LOGIT_SCALE;
import static dev.alignloop.reward.onnx.TinyClipSpec.POSITION_BIAS;
import static dev.alignloop.reward.onnx.TinyClipSpec.POSITION_EMBEDDING;
import static dev.alignloop.reward.onnx.TinyClipSpec.TEXT_FC_BIAS;
import static dev.alignloop.reward.onnx.TinyClipSpec.TEXT_FC_WEIGHT;
import static dev.alignloop.reward.onnx.TinyClipSpec.TEXT_PROJECTION;
import static dev.alignloop.reward.onnx.TinyClipSpec.TOKEN_EMBEDDING;
import static dev.alignloop.reward.onnx.TinyClipSpec.VISUAL_PROJECTION;

import dev.alignloop.reward.RewardManifest;
import dev.alignloop.reward.image.ClipImageConfig;
import dev.alignloop.reward.onnx.OnnxGraphBuilder.ElemType;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

/**
 * Exports a {@link TinyClipSpec} dual encoder to ONNX with the PickScore-style signature:
 * {@code input_ids [B, L] int64, attention_mask [B, L] int64, pixel_values [B, 3, N, N] float ->
 * score [B]}, plus {@code text_embeds [B, P]} and {@code image_embeds [B, P]} (unnormalized
 * projections, as HF's {@code get_text_features}/{@code get_image_features} return them).
 */
public final class TinyClipOnnx {

    /** Graph input and output names. */
    public static final String INPUT_IDS = "input_ids";
    /** Attention mask input. */
    public static final String ATTENTION_MASK = "attention_mask";
    /** Pixel input. */
    public static final String PIXEL_VALUES = "pixel_values";
    /** Per-image score output. */
    public static final String SCORE = "score";
    /** Text embedding output. */
    public static final String TEXT_EMBEDS = "text_embeds";
    /** Image embedding output. */
    public static final String IMAGE_EMBEDS = "image_embeds";

    private TinyClipOnnx() {
    }

    /** Serialized ONNX model for the spec and weights (checked by {@link #checkWeights}). */
    public static byte[] build(TinyClipSpec spec, Map<String, float[]> weights) {
        checkWeights(spec, weights);
        OnnxGraphBuilder g = new OnnxGraphBuilder("tiny_clip");
        Map<String, long[]> shapes = spec.weightShapes();
        // initializers keep the PyTorch names; Linear weights are stored transposed for MatMul
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            String name = e.getKey();
            long[] shape = e.getValue();
            boolean linear = name.equals(TEXT_FC_WEIGHT) || name.equals(TEXT_PROJECTION) || name.equals(VISUAL_PROJECTION);
            if (linear) {
                g.initializer(name, transpose(weights.get(name), (int) shape[0], (int) shape[1]), shape[1], shape[0]);
            } else {
                g.initializer(name, weights.get(name), shape);
            }
        }
        String ids = g.input(INPUT_IDS, ElemType.INT64, "batch", "sequence");
        String mask = g.input(ATTENTION_MASK, ElemType.INT64, "batch", "sequence");
        String pixels = g.input(PIXEL_VALUES, ElemType.FLOAT, "batch", 3, spec.imageSize(), spec.imageSize());

        // ---- text tower
        String x = g.gather(TOKEN_EMBEDDING, ids, 0);                          // [B, L, D]
        if (spec.textPositions()) {
            String len = g.shape(ids, 1, 2);                                    // [1] = L
            x = g.add(x, g.slice(POSITION_EMBEDDING, g.longs(0), len, g.longs(0))); // + pos[:L]
        }
        if (spec.textHidden() > 0) {
            x = g.gelu(g.add(g.matMul(x, TEXT_FC_WEIGHT), TEXT_FC_BIAS));      // [B, L, H]
        }
        String m = g.unsqueeze(g.cast(mask, ElemType.FLOAT), 2);               // [B, L, 1]
        String sum = g.reduceSum(g.mul(x, m), false, 1);                      // [B, F]
        String count = g.max(g.reduceSum(m, false, 1), g.scalar(1f));         // [B, 1]
        String text = g.matMul(g.div(sum, count), TEXT_PROJECTION);           // [B, P]

        // ---- image tower
        String h = g.conv2d(pixels, CONV_WEIGHT, CONV_BIAS, spec.kernel(), spec.stride(), spec.kernel() / 2);
        if (spec.imagePositions()) {
            h = g.add(h, POSITION_BIAS);                                       // [B, C, S, S]
        }
        String pooled = g.reduceMean(g.relu(h), false, 2, 3);                 // [B, C]
        String image = g.matMul(pooled, VISUAL_PROJECTION);                   // [B, P]

        // ---- score = exp(logit_scale) * cos(text, image)
        String cos = g.reduceSum(g.mul(l2Normalize(g, text), l2Normalize(g, image)), false, 1); // [B]
        g.identity(g.mul(cos, g.exp(LOGIT_SCALE)), SCORE);
        g.identity(text, TEXT_EMBEDS);
        g.identity(image, IMAGE_EMBEDS);
        g.output(SCORE, ElemType.FLOAT, "batch");
        g.output(TEXT_EMBEDS, ElemType.FLOAT, "batch", spec.projectionDim());
        g.output(IMAGE_EMBEDS, ElemType.FLOAT, "batch", spec.projectionDim());
        return g.toBytes();
    }

    /** Builds and writes the model atomically; returns {@code file}. */
    public static Path write(TinyClipSpec spec, Map<String, float[]> weights, Path file) {
        return OnnxGraphBuilder.writeAtomically(file, build(spec, weights));
    }

    /**
     * Writes {@code model.onnx} and a {@code reward.json} manifest for it into {@code dir}: score
     * output, CLIP normalization at {@code imageSize} (shortest edge = crop), padding to
     * {@code maxLength}.
     *
     * @param tokenizer tokenizer file or directory recorded in the manifest (may be null)
     * @return the manifest written
     */
    public static RewardManifest export(TinyClipSpec spec, Map<String, float[]> weights, Path dir, String name,
                                        Path tokenizer) {
        Path model = write(spec, weights, dir.resolve("model.onnx"));
        RewardManifest m = new RewardManifest(dir.resolve(RewardManifest.DEFAULT_FILE_NAME), name, model,
                RewardManifest.sha256(model), RewardManifest.InputNames.DEFAULT, RewardManifest.OutputSpec.score(SCORE),
                ClipImageConfig.clipDefaults(spec.imageSize()),
                new RewardManifest.TokenizerSpec(tokenizer, spec.maxLength(), RewardManifest.TokenPadding.MAX_LENGTH), null);
        m.write(m.file());
        return m;
    }

    /**
     * Deterministic random weights: normal with std {@code 1/sqrt(fan_in)}, embeddings std 1,
     * {@code logit_scale = ln(1 / 0.07)} as CLIP initializes it.
     */
    public static Map<String, float[]> random(TinyClipSpec spec, long seed) {
        Random rnd = new Random(seed);
        Map<String, float[]> w = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : spec.weightShapes().entrySet()) {
            long[] shape = e.getValue();
            int n = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
            double std = switch (e.getKey()) {
                case TOKEN_EMBEDDING, POSITION_EMBEDDING -> 1.0;
                case POSITION_BIAS, CONV_BIAS, TEXT_FC_BIAS -> 0.1;
                case CONV_WEIGHT -> 1.0 / Math.sqrt(shape[1] * shape[2] * shape[3]);
                default -> shape.length == 2 ? 1.0 / Math.sqrt(shape[1]) : 0;
            };
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = (float) (rnd.nextGaussian() * std);
            }
            if (e.getKey().equals(LOGIT_SCALE)) {
                v[0] = (float) Math.log(1 / 0.07);
            }
            w.put(e.getKey(), v);
        }
        return w;
    }

    /**
     * Checks that {@code weights} holds exactly the spec's names with the right sizes and finite
     * values; the message names the first offending weight and its expected shape.
     */
    public static void checkWeights(TinyClipSpec spec, Map<String, float[]> weights) {
        Map<String, long[]> shapes = spec.weightShapes();
        TreeSet<String> unknown = new TreeSet<>(weights.keySet());
        unknown.removeAll(shapes.keySet());
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown weights " + unknown + " for " + spec + " (expected " + shapes.keySet() + ")");
        }
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            float[] v = weights.get(e.getKey());
            long n = Arrays.stream(e.getValue()).reduce(1, (a, b) -> a * b);
            if (v == null) {
                throw new IllegalArgumentException("missing weight " + e.getKey() + " " + Arrays.toString(e.getValue()));
            }
            if (v.length != n) {
                throw new IllegalArgumentException("weight " + e.getKey() + " must have shape " + Arrays.toString(e.getValue())
                        + " (" + n + " values), got " + v.length + " values");
            }
            for (int i = 0; i < v.length; i++) {
                if (!Float.isFinite(v[i])) {
                    throw new IllegalArgumentException("weight " + e.getKey() + "[" + i + "] is " + v[i]);
                }
            }
        }
    }

    /** {@code x / sqrt(sum(x^2, axis=-1))} for [B, P], as CLIP normalizes (no epsilon). */
    private static String l2Normalize(OnnxGraphBuilder g, String x) {
        return g.div(x, g.sqrt(g.reduceSum(g.mul(x, x), true, 1)));
    }

    private static float[] transpose(float[] w, int rows, int cols) {
        float[] t = new float[w.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = w[r * cols + c];
            }
        }
        return t;
    }
}
