package dev.alignloop.diffusion.pretrained;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.alignloop.diffusion.clip.ClipTextModel;
import dev.alignloop.diffusion.clip.ClipTextOutput;
import dev.alignloop.diffusion.pipeline.Conditioning;
import dev.alignloop.diffusion.pipeline.Denoiser;
import dev.alignloop.diffusion.pipeline.ImageDecoder;
import dev.alignloop.diffusion.pipeline.TextEncoder;
import dev.alignloop.diffusion.unet.UNet2DConditionModel;
import dev.alignloop.diffusion.vae.AutoencoderKL;
import dev.alignloop.text.TextTokenizer;
import java.util.List;
import java.util.Objects;

/**
 * The loaded models seen through the pipeline's interfaces ({@link Denoiser}, {@link TextEncoder},
 * {@link ImageDecoder}), as diffusers' {@code StableDiffusionPipeline} calls them. The adapters own
 * nothing: closing the models is their owner's job.
 */
public final class PolicyAdapters {
    private PolicyAdapters() {
    }

    /**
     * {@code unet(latent_model_input, t, encoder_hidden_states=prompt_embeds).sample}.
     *
     * @param unet a UNet without SDXL's added conditions
     * @return the denoiser
     */
    public static Denoiser denoiser(UNet2DConditionModel unet) {
        Objects.requireNonNull(unet, "unet");
        return (latents, timesteps, cond) -> unet.forward(latents, timesteps, cond.encoderHiddenStates(), null);
    }

    /**
     * SD 1.x/2.x {@code encode_prompt}: {@code tokenizer(prompt, padding="max_length",
     * max_length=maxLength, truncation=True)}, then {@code text_encoder(input_ids)[0]} (the
     * {@code last_hidden_state}, no attention mask, as the pipelines call it). Each prompt is padded
     * on its own, so a prompt's rows do not depend on the batch.
     *
     * @param clip the text encoder
     * @param tokenizer its tokenizer (strict or not: an unknown word then fails the whole call)
     * @param maxLength the padded sequence length, at most {@code max_position_embeddings}
     * @return the text encoder
     */
    public static TextEncoder textEncoder(ClipTextModel clip, TextTokenizer tokenizer, int maxLength) {
        Objects.requireNonNull(clip, "clip");
        Objects.requireNonNull(tokenizer, "tokenizer");
        if (maxLength < 1 || maxLength > clip.config().maxPositionEmbeddings()) {
            throw new IllegalArgumentException("maxLength must be in 1.." + clip.config().maxPositionEmbeddings()
                    + " (max_position_embeddings), got " + maxLength);
        }
        return (List<String> prompts, NDManager manager) -> {
            long[] ids = new long[prompts.size() * maxLength];
            for (int i = 0; i < prompts.size(); i++) {
                long[] row = tokenizer.encode(prompts.get(i), maxLength).inputIds();
                System.arraycopy(row, 0, ids, i * maxLength, maxLength);
            }
            try (NDArray input = manager.create(ids, new Shape(prompts.size(), maxLength))) {
                ClipTextOutput out = clip.forward(input);
                out.poolerOutput().close();
                out.penultimate().close();
                if (out.textEmbeds() != null) {
                    out.textEmbeds().close();
                }
                return Conditioning.of(out.lastHiddenState()); // (B, L, hidden_size)
            }
        };
    }

    /**
     * {@code vae.decode(latents / scaling_factor + shift_factor).sample}: the pipeline divides by
     * {@link ImageDecoder#scalingFactor()} before calling, the shift (SD3/FLUX-style VAEs) is added
     * here.
     *
     * @param vae the autoencoder
     * @return the decoder
     */
    public static ImageDecoder decoder(AutoencoderKL vae) {
        Objects.requireNonNull(vae, "vae");
        float scaling = vae.config().scalingFactor().floatValue();
        int factor = vae.config().downsampleFactor();
        double shift = vae.config().shift();
        return new ImageDecoder() {
            @Override
            public float scalingFactor() {
                return scaling;
            }

            @Override
            public int scaleFactor() {
                return factor;
            }

            @Override
            public NDArray decode(NDArray scaledLatents) {
                if (shift == 0) {
                    return vae.decode(scaledLatents);
                }
                try (NDArray z = scaledLatents.add((float) shift)) {
                    return vae.decode(z);
                }
            }
        };
    }
}
