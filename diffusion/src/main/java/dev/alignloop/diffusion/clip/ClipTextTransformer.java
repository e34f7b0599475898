package dev.alignloop.diffusion.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.alignloop.diffusion.nn.LayerNorm;
import dev.alignloop.diffusion.nn.Module;
import dev.alignloop.diffusion.nn.ModuleList;

/**
 * transformers' {@code CLIPTextTransformer} (registered as {@code text_model}): embeddings, the
 * encoder's layers and {@code final_layer_norm}. Pooling is done by {@link ClipTextModel}.
 */
final class ClipTextTransformer extends Module {
    /** Output of the layer stack. */
    record Hidden(NDArray lastHiddenState, NDArray penultimate) {
    }

    /** {@code CLIPEncoder}: only holds {@code layers}. */
    static final class Encoder extends Module {
        final ModuleList<ClipEncoderLayer> layers;

        Encoder(NDManager manager, ClipTextConfig config) {
            this.layers = register("layers", new ModuleList<>());
            for (int i = 0; i < config.numHiddenLayers(); i++) {
                layers.add(new ClipEncoderLayer(manager, config));
            }
        }
    }

    private final ClipTextEmbeddings embeddings;
    private final Encoder encoder;
    private final LayerNorm finalLayerNorm; // (D)

    ClipTextTransformer(NDManager manager, ClipTextConfig config) {
        this.embeddings = register("embeddings", new ClipTextEmbeddings(manager, config));
        this.encoder = register("encoder", new Encoder(manager, config));
        this.finalLayerNorm = register("final_layer_norm",
                new LayerNorm(manager, config.hiddenSize(), config.layerNormEps().floatValue(), true));
    }

    /**
     * ids [B, L] int64, additive mask [B or 1, 1, L, L] → last hidden state [B, L, D] (after
     * {@code final_layer_norm}) and {@code hidden_states[-2]} [B, L, D] (the input of the last
     * layer: the second-to-last layer's output, or the embeddings when there is one layer).
     */
    Hidden forward(NDArray ids, NDArray mask) {
        NDArray h = embeddings.forward(ids);
        NDArray previous = null;
        for (ClipEncoderLayer layer : encoder.layers) {
            if (previous != null) {
                previous.close();
            }
            previous = h;
            h = layer.forward(h, mask);
        }
        try (NDArray last = h) {
            return new Hidden(finalLayerNorm.forward(last), previous);
        }
    }
}
