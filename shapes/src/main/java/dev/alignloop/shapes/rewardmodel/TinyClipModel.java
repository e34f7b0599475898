package dev.alignloop.shapes.rewardmodel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.alignloop.diffusion.nn.Conv2d;
import dev.alignloop.diffusion.nn.Embedding;
import dev.alignloop.diffusion.nn.F;
import dev.alignloop.diffusion.nn.Init;
import dev.alignloop.diffusion.nn.Linear;
import dev.alignloop.diffusion.nn.Module;
import dev.alignloop.diffusion.nn.Parameter;
import dev.alignloop.reward.onnx.TinyClipOnnx;
import dev.alignloop.reward.onnx.TinyClipSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The reward model's dual encoder in DJL, for training: exactly the math and weight names of
 * {@link TinyClipSpec} (which the ONNX export and {@code TinyClipReference} implement too), so
 * {@link #weights()} exports with {@link TinyClipOnnx#export}.
 *
 * <pre>
 * text:  x = token_embedding[ids] + position_embedding[:L]; x = gelu(fc(x));      // [B, L, H]
 *        t = text_projection(sum_l(mask * x) / max(sum_l mask, 1))                   // [B, P]
 * image: h = relu(conv(pixels) + position_bias); v = visual_projection(mean_{S,S} h) // [B, P]
 * score: exp(logit_scale) * cos(t, v)
 * </pre>
 *
 * Pixels are CLIP-normalized {@code [B, 3, N, N]}, as the reward manifest's preprocessing makes them.
 * No Java number enters an op whose backward reads it (see {@code F.mulScalar}).
 */
public final class TinyClipModel extends Module {
    private final TinyClipSpec spec;
    private final TextTower text;
    private final Linear textProjection;  // (P, F)
    private final VisionTower vision;
    private final Linear visualProjection; // (P, C)
    private final Parameter logitScale;   // ()

    /** The text tower: {@code text.token_embedding}, {@code text.position_embedding}, {@code text.fc}. */
    static final class TextTower extends Module {
        private final Embedding tokenEmbedding;    // (V, D)
        private final Embedding positionEmbedding; // (L, D) or null
        private final Linear fc;                   // (H, D) or null

        TextTower(TinyClipSpec spec, NDManager manager) {
            tokenEmbedding = register("token_embedding", new Embedding(manager, spec.vocabSize(), spec.embedDim()));
            positionEmbedding = spec.textPositions()
                    ? register("position_embedding", new Embedding(manager, spec.maxLength(), spec.embedDim())) : null;
            fc = spec.textHidden() > 0 ? register("fc", new Linear(manager, spec.embedDim(), spec.textHidden())) : null;
        }

        /** ids [B, L], mask [B, L] → pooled per-token features [B, F]. */
        NDArray forward(NDArray ids, NDArray mask) {
            long l = ids.getShape().get(1);
            NDArray x = tokenEmbedding.forward(ids);                                   // [B, L, D]
            if (positionEmbedding != null) {
                NDArray pos = positionEmbedding.namedParameters().get("weight").array().get("0:" + l); // [L, D]
                x = x.add(pos);
            }
            if (fc != null) {
                x = F.gelu(fc.forward(x));                                             // [B, L, H]
            }
            NDArray m = mask.toType(DataType.FLOAT32, false).expandDims(2);           // [B, L, 1]
            NDArray sum = x.mul(m).sum(new int[] {1});                                // [B, F]
            NDArray count = m.sum(new int[] {1}).maximum(F.scalar(m, 1f));           // [B, 1]
            return sum.div(count);
        }
    }

    /** The image tower: {@code vision.conv}, {@code vision.position_bias}. */
    static final class VisionTower extends Module {
        private final Conv2d conv;             // (C, 3, k, k)
        private final Parameter positionBias;  // (C, S, S) or null

        VisionTower(TinyClipSpec spec, NDManager manager) {
            conv = register("conv", new Conv2d(manager, 3, spec.channels(), spec.kernel(), spec.stride(), spec.kernel() / 2));
            int s = spec.convOutSize();
            positionBias = spec.imagePositions()
                    ? parameter(manager, "position_bias", Init.ZEROS, spec.channels(), s, s) : null;
        }

        /** pixels [B, 3, N, N] → pooled features [B, C]. */
        NDArray forward(NDArray pixels) {
            NDArray h = conv.forward(pixels);                 // [B, C, S, S]
            if (positionBias != null) {
                h = h.add(positionBias.array());
            }
            Shape s = h.getShape();
            // mean over two axes: DJL's PyTorch mean takes one axis, so flatten S×S first
            return ai.djl.nn.Activation.relu(h).reshape(s.get(0), s.get(1), s.get(2) * s.get(3)).mean(new int[] {2});
        }
    }

    /** A model with zero/default-filled parameters in {@code manager} (see {@link #random}). */
    public TinyClipModel(TinyClipSpec spec, NDManager manager) {
        this.spec = Objects.requireNonNull(spec, "spec");
        text = register("text", new TextTower(spec, manager));
        textProjection = register("text_projection", new Linear(manager, spec.textFeatures(), spec.projectionDim(), false));
        vision = register("vision", new VisionTower(spec, manager));
        visualProjection = register("visual_projection", new Linear(manager, spec.channels(), spec.projectionDim(), false));
        logitScale = parameter(manager, "logit_scale", Init.ZEROS);
    }

    /**
     * A deterministic random model: PyTorch-default layers (embeddings N(0, 1), linear and conv
     * weights U(±1/sqrt(fan_in)), zero biases and position bias), {@code logit_scale = ln(1/0.07)}
     * as CLIP initializes it.
     */
    public static TinyClipModel random(TinyClipSpec spec, long seed, NDManager manager) {
        TinyClipModel m = new TinyClipModel(spec, manager);
        m.initialize(seed);
        try (NDArray v = manager.create((float) Math.log(1 / 0.07))) {
            m.logitScale.set(v);
        }
        return m;
    }

    /** Loads weights by {@link TinyClipSpec} name (strict: every weight, no others). */
    public static TinyClipModel fromWeights(TinyClipSpec spec, Map<String, float[]> weights, NDManager manager) {
        TinyClipOnnx.checkWeights(spec, weights);
        TinyClipModel m = new TinyClipModel(spec, manager);
        try (NDManager tmp = manager.newSubManager()) {
            Map<String, NDArray> state = new LinkedHashMap<>();
            spec.weightShapes().forEach((name, shape) -> state.put(name, tmp.create(weights.get(name), new Shape(shape))));
            m.loadStateDict(state, true, "TinyClip weights");
        }
        return m;
    }

    /** The spec. */
    public TinyClipSpec spec() {
        return spec;
    }

    /** The weights by {@link TinyClipSpec} name, copied to Java arrays (for {@link TinyClipOnnx#export}). */
    public Map<String, float[]> weights() {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (String name : spec.weightShapes().keySet()) {
            out.put(name, stateDict().get(name).toFloatArray());
        }
        return out;
    }

    /** Unnormalized text embeddings: ids, mask [B, L] (integer) → [B, P]. */
    public NDArray textEmbeds(NDArray ids, NDArray mask) {
        if (ids.getShape().dimension() != 2 || !ids.getShape().equals(mask.getShape())
                || ids.getShape().get(1) > spec.maxLength()) {
            throw new IllegalArgumentException("input_ids and attention_mask must both be [B, L] with L <= "
                    + spec.maxLength() + ", got " + ids.getShape() + " and " + mask.getShape());
        }
        return textProjection.forward(text.forward(ids, mask));
    }

    /** Unnormalized image embeddings: pixels [B, 3, N, N] (CLIP-normalized) → [B, P]. */
    public NDArray imageEmbeds(NDArray pixels) {
        Shape s = pixels.getShape();
        if (s.dimension() != 4 || s.get(1) != 3 || s.get(2) != spec.imageSize() || s.get(3) != spec.imageSize()) {
            throw new IllegalArgumentException("pixel_values must be [B, 3, " + spec.imageSize() + ", "
                    + spec.imageSize() + "], got " + s);
        }
        return visualProjection.forward(vision.forward(pixels));
    }

    /** {@code exp(logit_scale)} as a scalar array. */
    public NDArray scale() {
        return logitScale.array().exp();
    }

    /** Row-wise L2 normalization {@code x / |x|} (no epsilon, as CLIP and the ONNX graph). */
    public static NDArray normalize(NDArray x) {
        return x.div(x.square().sum(new int[] {1}, true).sqrt());
    }

    /** Per-pair scores {@code exp(logit_scale) * cos(text_i, image_i)}: [B]. */
    public NDArray score(NDArray ids, NDArray mask, NDArray pixels) {
        NDArray t = normalize(textEmbeds(ids, mask));
        NDArray v = normalize(imageEmbeds(pixels));
        return t.mul(v).sum(new int[] {1}).mul(scale());
    }

    /** All-pairs logits {@code exp(logit_scale) * cos(image_i, text_j)}: [B_images, B_texts]. */
    public NDArray logits(NDArray imageEmbeds, NDArray textEmbeds) {
        return normalize(imageEmbeds).matMul(normalize(textEmbeds).transpose()).mul(scale());
    }
}
