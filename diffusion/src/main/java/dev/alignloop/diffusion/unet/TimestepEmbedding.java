package dev.alignloop.diffusion.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.alignloop.diffusion.nn.Activation;
import dev.alignloop.diffusion.nn.Linear;
import dev.alignloop.diffusion.nn.Module;

/**
 * diffusers {@code TimestepEmbedding}: {@code linear_1 → act → linear_2 (→ post_act)}. Also used
 * as {@code add_embedding} for SDXL's text_time conditioning.
 */
public final class TimestepEmbedding extends Module {
    private final Linear linear1; // linear_1: (time_embed_dim, in)
    private final Activation act;
    private final Linear linear2; // linear_2: (time_embed_dim, time_embed_dim)
    private final Activation postAct; // may be null

    /** {@code TimestepEmbedding(in_channels, time_embed_dim, act_fn, post_act_fn=postAct)}. */
    public TimestepEmbedding(NDManager manager, int inChannels, int timeEmbedDim, Activation act, Activation postAct) {
        this.linear1 = register("linear_1", new Linear(manager, inChannels, timeEmbedDim));
        this.act = act;
        this.linear2 = register("linear_2", new Linear(manager, timeEmbedDim, timeEmbedDim));
        this.postAct = postAct;
    }

    /** sample [B, in] → [B, time_embed_dim]. */
    public NDArray forward(NDArray sample) {
        NDArray h;
        try (NDArray a = linear1.forward(sample); NDArray b = act.apply(a)) {
            h = linear2.forward(b);
        }
        if (postAct != null) {
            try (NDArray pre = h) {
                h = postAct.apply(pre);
            }
        }
        return h;
    }
}
