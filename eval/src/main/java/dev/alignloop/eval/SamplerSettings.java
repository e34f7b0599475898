package dev.alignloop.eval;

import dev.alignloop.diffusion.pretrained.SamplingOptions;
import java.util.List;

/**
 * How a diffusion policy samples during evaluation. Policy and baseline sample with the same
 * settings, so the comparison is about the weights only.
 *
 * @param steps denoising steps, 1..1000
 * @param guidance classifier-free guidance weight, finite and {@code >= 0} ({@code <= 1}: no guidance)
 * @param negativePrompt a negative prompt for every image, or null for the unconditional one
 */
public record SamplerSettings(int steps, double guidance, String negativePrompt) {
    /** Default denoising steps. */
    public static final int DEFAULT_STEPS = 20;
    /** Default guidance weight. */
    public static final double DEFAULT_GUIDANCE = 3.0;

    /** Validates ranges, naming the field. */
    public SamplerSettings {
        if (steps < 1 || steps > 1000) {
            throw new IllegalArgumentException("steps must be in 1..1000, got " + steps);
        }
        if (!(guidance >= 0) || Double.isInfinite(guidance)) {
            throw new IllegalArgumentException("guidance must be a finite number >= 0, got " + guidance);
        }
    }

    /** @return {@value #DEFAULT_STEPS} steps, guidance {@value #DEFAULT_GUIDANCE}, no negative prompt */
    public static SamplerSettings defaults() {
        return new SamplerSettings(DEFAULT_STEPS, DEFAULT_GUIDANCE, null);
    }

    /** @return the diffusion module's options for these settings (deterministic: eta 0) */
    public SamplingOptions toSamplingOptions() {
        SamplingOptions o = SamplingOptions.of(steps, guidance);
        return negativePrompt == null ? o : o.withNegativePrompts(List.of(negativePrompt));
    }

    @Override
    public String toString() {
        return steps + " steps, guidance " + guidance + (negativePrompt == null ? "" : ", negative \"" + negativePrompt
                + "\"");
    }
}
