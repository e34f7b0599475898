package dev.alignloop.diffusion.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.alignloop.diffusion.scheduler.NoiseSchedule;
import dev.alignloop.diffusion.scheduler.SchedulerConfig;
import java.util.List;
import java.util.Map;

/** Analytic stand-ins for the text encoder and UNet of a 3-channel pixel-space model. */
final class ToyModels {
    /** Target colours in model space [-1, 1]; the empty prompt is grey (0). */
    static final Map<String, float[]> COLOURS = Map.of(
            "", new float[] {0f, 0f, 0f},
            "red", new float[] {0.5f, -0.3f, -0.3f},
            "green", new float[] {-0.3f, 0.5f, -0.3f},
            "blue", new float[] {-0.3f, -0.3f, 0.5f});

    private ToyModels() {
    }

    /** Encodes a prompt as its colour: hidden states (B, 1, 3); with {@code pooled}, text_embeds (B, 2). */
    static TextEncoder encoder(boolean pooled) {
        return (List<String> prompts, NDManager m) -> {
            float[] h = new float[prompts.size() * 3];
            float[] p = new float[prompts.size() * 2];
            for (int i = 0; i < prompts.size(); i++) {
                float[] c = COLOURS.get(prompts.get(i));
                if (c == null) {
                    throw new IllegalArgumentException("unknown toy prompt " + prompts.get(i));
                }
                System.arraycopy(c, 0, h, i * 3, 3);
                p[2 * i] = prompts.get(i).length();
                p[2 * i + 1] = 1f;
            }
            NDArray hidden = m.create(h, new Shape(prompts.size(), 1, 3));
            return new Conditioning(hidden, pooled ? m.create(p, new Shape(prompts.size(), 2)) : null, null);
        };
    }

    /**
     * The exact epsilon for a target image filled with the prompt's colour: the input is
     * alpha x* + sigma eps with sigma interpolated from the training schedule at t (as Euler does), so
     * eps = (z - alpha x*) / sigma.
     */
    static Denoiser oracle(SchedulerConfig config) {
        float[] ac = NoiseSchedule.of(config).alphasCumprod();
        return (latents, timesteps, cond) -> {
            double t = timesteps.getFloat(0);
            int lo = (int) Math.floor(t);
            int hi = Math.min(lo + 1, ac.length - 1);
            double s0 = Math.sqrt((1 - ac[lo]) / ac[lo]);
            double s1 = Math.sqrt((1 - ac[hi]) / ac[hi]);
            double sigma = s0 + (s1 - s0) * (t - lo);
            double alpha = 1 / Math.sqrt(sigma * sigma + 1);
            NDArray target = targetImage(cond, latents.getShape());
            return latents.sub(target.mul((float) alpha)).div((float) (sigma * alpha));
        };
    }

    /** A deterministic but imperfect denoiser (90% of the exact epsilon): its images depend on the noise. */
    static Denoiser noiseSensitive(SchedulerConfig config) {
        Denoiser exact = oracle(config);
        return (latents, timesteps, cond) -> exact.predict(latents, timesteps, cond).mul(0.9f);
    }

    /** (N, 3, h, w): each row filled with the colour in its hidden states. */
    static NDArray targetImage(Conditioning cond, Shape shape) {
        NDArray colour = cond.encoderHiddenStates().reshape(shape.get(0), 3, 1, 1);
        return colour.broadcast(shape);
    }
}
