package dev.alignloop.diffusion.pipeline;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * The arguments of one {@link TextToImagePipeline#generate} call (diffusers' {@code __call__}); build with
 * {@link #builder(List)}.
 *
 * @param prompts one prompt per image
 * @param negativePrompts null (the empty prompt, or zeros with {@code force_zeros_for_empty_prompt}), one
 *     prompt for all images, or one per image
 * @param seeds one seed per image, or null to draw fresh ones (reported in the result)
 * @param numInferenceSteps denoising steps
 * @param guidanceScale classifier-free guidance weight; at most 1 disables guidance (no unconditional pass)
 * @param guidanceRescale {@code guidance_rescale} phi of arXiv:2305.08891 (0 = off)
 * @param eta DDIM's {@code eta} (ignored by other schedulers)
 * @param height image height in pixels, or 0 for the pipeline default
 * @param width image width in pixels, or 0 for the pipeline default
 * @param microConditioning SDXL size conditioning, or null for the default (the image size, no crop)
 * @param negativeMicroConditioning SDXL size conditioning of the unconditional rows, or null for the same
 * @param latents explicit initial noise (B, C, h, w), not yet scaled by {@code init_noise_sigma}, or null to
 *     draw it from the seeds
 */
public record GenerationRequest(
        List<String> prompts,
        List<String> negativePrompts,
        long[] seeds,
        int numInferenceSteps,
        double guidanceScale,
        double guidanceRescale,
        double eta,
        int height,
        int width,
        MicroConditioning microConditioning,
        MicroConditioning negativeMicroConditioning,
        NDArray latents) {

    /** Validates sizes and ranges, naming the argument at fault. */
    public GenerationRequest {
        if (prompts == null || prompts.isEmpty()) {
            throw new IllegalArgumentException("prompts must hold at least one prompt");
        }
        prompts = List.copyOf(prompts);
        int b = prompts.size();
        if (negativePrompts != null) {
            negativePrompts = List.copyOf(negativePrompts);
            if (negativePrompts.size() != 1 && negativePrompts.size() != b) {
                throw new IllegalArgumentException("negativePrompts must hold 1 or " + b + " prompts, got "
                        + negativePrompts.size());
            }
        }
        if (seeds != null) {
            seeds = seeds.clone();
            if (seeds.length != b) {
                throw new IllegalArgumentException("seeds must hold one seed per prompt (" + b + "), got " + seeds.length);
            }
        }
        if (numInferenceSteps < 1) {
            throw new IllegalArgumentException("numInferenceSteps must be >= 1, got " + numInferenceSteps);
        }
        if (!(guidanceScale >= 0) || Double.isInfinite(guidanceScale)) {
            throw new IllegalArgumentException("guidanceScale must be a finite number >= 0, got " + guidanceScale);
        }
        if (!(guidanceRescale >= 0 && guidanceRescale <= 1)) {
            throw new IllegalArgumentException("guidanceRescale must be in [0, 1], got " + guidanceRescale);
        }
        if (!(eta >= 0 && eta <= 1)) {
            throw new IllegalArgumentException("eta must be in [0, 1], got " + eta);
        }
        if (height < 0 || width < 0) {
            throw new IllegalArgumentException("height and width must be positive (or 0 for the default), got "
                    + height + "x" + width);
        }
        if (latents != null && (latents.getShape().dimension() != 4 || latents.getShape().get(0) != b)) {
            throw new IllegalArgumentException("latents must be (" + b + ", C, h, w), got " + latents.getShape());
        }
    }

    /** @return a copy of the seeds, or null */
    @Override
    public long[] seeds() {
        return seeds == null ? null : seeds.clone();
    }

    /** @return whether an unconditional pass runs ({@code do_classifier_free_guidance}: guidance &gt; 1) */
    public boolean classifierFreeGuidance() {
        return guidanceScale > 1;
    }

    /**
     * @param prompts one prompt per image
     * @return a builder with diffusers' defaults (50 steps, guidance 7.5)
     */
    public static Builder builder(List<String> prompts) {
        return new Builder(prompts);
    }

    /** Builder with diffusers' {@code StableDiffusionPipeline.__call__} defaults. */
    public static final class Builder {
        private final List<String> prompts;
        private List<String> negativePrompts;
        private long[] seeds;
        private int numInferenceSteps = 50;
        private double guidanceScale = 7.5;
        private double guidanceRescale;
        private double eta;
        private int height;
        private int width;
        private MicroConditioning micro;
        private MicroConditioning negativeMicro;
        private NDArray latents;

        private Builder(List<String> prompts) {
            this.prompts = prompts;
        }

        /** @param p negative prompts (1 or one per image) @return this */
        public Builder optNegativePrompts(List<String> p) {
            this.negativePrompts = p;
            return this;
        }

        /** @param s one seed per image @return this */
        public Builder optSeeds(long... s) {
            this.seeds = s;
            return this;
        }

        /** @param n denoising steps @return this */
        public Builder optSteps(int n) {
            this.numInferenceSteps = n;
            return this;
        }

        /** @param g guidance scale @return this */
        public Builder optGuidanceScale(double g) {
            this.guidanceScale = g;
            return this;
        }

        /** @param r guidance rescale phi @return this */
        public Builder optGuidanceRescale(double r) {
            this.guidanceRescale = r;
            return this;
        }

        /** @param e DDIM eta @return this */
        public Builder optEta(double e) {
            this.eta = e;
            return this;
        }

        /** @param h height @param w width, in pixels @return this */
        public Builder optSize(int h, int w) {
            this.height = h;
            this.width = w;
            return this;
        }

        /** @param m SDXL micro-conditioning @param negative that of the unconditional rows, or null @return this */
        public Builder optMicroConditioning(MicroConditioning m, MicroConditioning negative) {
            this.micro = m;
            this.negativeMicro = negative;
            return this;
        }

        /** @param l explicit initial noise (B, C, h, w) @return this */
        public Builder optLatents(NDArray l) {
            this.latents = l;
            return this;
        }

        /** @return the validated request */
        public GenerationRequest build() {
            return new GenerationRequest(prompts, negativePrompts, seeds, numInferenceSteps, guidanceScale,
                    guidanceRescale, eta, height, width, micro, negativeMicro, latents);
        }
    }
}
