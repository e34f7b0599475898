package dev.alignloop.diffusion.unet;

import ai.djl.ndarray.NDArray;
import java.util.Objects;

/**
 * SDXL's {@code added_cond_kwargs} for {@code addition_embed_type="text_time"}.
 *
 * @param textEmbeds pooled text embeddings [B, E]
 * @param timeIds size/crop conditioning [B, K] (K = 6 for SDXL: original size, crop, target size)
 */
public record AddedCond(NDArray textEmbeds, NDArray timeIds) {
    /** Both tensors are required. */
    public AddedCond {
        Objects.requireNonNull(textEmbeds, "text_embeds");
        Objects.requireNonNull(timeIds, "time_ids");
    }
}
