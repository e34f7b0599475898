package dev.alignloop.diffusion.checkpoint;

import java.io.IOException;

/**
 * Writes the model weights of a checkpoint into a diffusers folder (e.g. {@code unet/config.json}
 * and {@code unet/diffusion_pytorch_model.safetensors}, optionally {@code model_index.json} and
 * {@code scheduler/}) — typically a model's own {@code save}.
 */
@FunctionalInterface
public interface WeightsWriter {
    /** Writes into {@code modelDir} (the checkpoint's temporary folder). */
    void write(java.nio.file.Path modelDir) throws IOException;
}
