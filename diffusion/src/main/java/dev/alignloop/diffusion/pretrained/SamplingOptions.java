package dev.alignloop.diffusion.pretrained;

import java.util.List;

/**
 * How {@link DiffusionPolicy#generate} samples: the per-call settings of a text-to-image run. The
 * scheduler class is chosen when the policy is loaded ({@link PolicyLoader#optSampler}), because
 * it is part of how the pipeline is built, not of one request.
 *
 * @param steps denoising steps, 1 to 1000
 * @param guidanceScale classifier-free guidance weight; at most 1 disables guidance (one UNet pass per step)
 * @param negativePrompts null (the empty, unconditional prompt for every image), one prompt for
 *     all images, or one per image
 * @param eta DDIM's {@code eta} (0: deterministic); ignored by the other schedulers
 */
public record SamplingOptions(int steps, double guidanceScale, List<String> negativePrompts, double eta) {

    /** Validates ranges, naming the field at fault. */
    public SamplingOptions {
        if (steps < 1 || steps > 1000) {
            throw new IllegalArgumentException("steps must be in 1..1000, got " + steps);
        }
        if (!(guidanceScale >= 0) || Double.isInfinite(guidanceScale)) {
            throw new IllegalArgumentException("guidanceScale must be a finite number >= 0, got " + guidanceScale);
        }
        if (!(eta >= 0 && eta <= 1)) {
            throw new IllegalArgumentException("eta must be in [0, 1], got " + eta);
        }
        negativePrompts = negativePrompts == null ? null : List.copyOf(negativePrompts);
    }

    /**
     * Deterministic sampling without negative prompts.
     *
     * @param steps denoising steps
     * @param guidanceScale classifier-free guidance weight
     * @return the options
     */
    public static SamplingOptions of(int steps, double guidanceScale) {
        return new SamplingOptions(steps, guidanceScale, null, 0);
    }

    /**
     * @param negatives null, one negative prompt for all images, or one per image
     * @return a copy with these negative prompts
     */
    public SamplingOptions withNegativePrompts(List<String> negatives) {
        return new SamplingOptions(steps, guidanceScale, negatives, eta);
    }

    /**
     * @param scale the guidance weight
     * @return a copy with this guidance weight
     */
    public SamplingOptions withGuidanceScale(double scale) {
        return new SamplingOptions(steps, scale, negativePrompts, eta);
    }
}
