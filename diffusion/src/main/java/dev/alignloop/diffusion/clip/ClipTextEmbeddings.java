package dev.alignloop.diffusion.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.alignloop.diffusion.nn.Embedding;
import dev.alignloop.diffusion.nn.Module;

/** transformers' {@code CLIPTextEmbeddings}: token embedding plus learned absolute position embedding. */
final class ClipTextEmbeddings extends Module {
    private final Embedding tokenEmbedding;    // (V, D)
    private final Embedding positionEmbedding; // (P, D)

    ClipTextEmbeddings(NDManager manager, ClipTextConfig config) {
        this.tokenEmbedding = register("token_embedding",
                new Embedding(manager, config.vocabSize(), config.hiddenSize()));
        this.positionEmbedding = register("position_embedding",
                new Embedding(manager, config.maxPositionEmbeddings(), config.hiddenSize()));
    }

    /** ids [B, L] int64 → [B, L, D]; {@code position_ids = arange(L)}. */
    NDArray forward(NDArray ids) {
        long l = ids.getShape().get(1);
        try (NDArray tok = tokenEmbedding.forward(ids); NDArray pos = ids.getManager().arange(0, (int) l, 1, DataType.INT64);
             NDArray pe = positionEmbedding.forward(pos)) {
            return tok.add(pe); // [B, L, D] + [L, D]
        }
    }
}
