package dev.alignloop.diffusion.clip;

import ai.djl.ndarray.NDArray;

/**
 * What {@link ClipTextModel#forward} returns; the arrays live in the input's manager and are
 * released by {@link #close()}.
 *
 * @param lastHiddenState [B, L, D]: after {@code final_layer_norm} (SD 1.x conditioning)
 * @param poolerOutput [B, D]: {@code last_hidden_state} at each sequence's EOS position
 * @param penultimate [B, L, D]: {@code hidden_states[-2]}, the second-to-last layer's output
 *     before the final layer norm (SDXL conditioning)
 * @param textEmbeds [B, projection_dim]: {@code text_projection(pooler_output)}, or null without projection
 */
public record ClipTextOutput(NDArray lastHiddenState, NDArray poolerOutput, NDArray penultimate, NDArray textEmbeds)
        implements AutoCloseable {
    @Override
    public void close() {
        lastHiddenState.close();
        poolerOutput.close();
        penultimate.close();
        if (textEmbeds != null) {
            textEmbeds.close();
        }
    }
}
