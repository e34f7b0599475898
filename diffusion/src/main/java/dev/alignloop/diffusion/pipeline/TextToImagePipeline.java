package dev.alignloop.diffusion.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.alignloop.diffusion.scheduler.DDIMScheduler;
import dev.alignloop.diffusion.scheduler.NoiseGenerator;
import dev.alignloop.diffusion.scheduler.Scheduler;
import dev.alignloop.diffusion.scheduler.SchedulerConfig;
import dev.alignloop.diffusion.scheduler.Schedulers;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Text-to-image sampling as diffusers' {@code StableDiffusionPipeline} / {@code StableDiffusionXLPipeline}
 * {@code __call__} does it: encode the prompts (negative rows first when guidance &gt; 1), draw seeded noise
 * times {@code init_noise_sigma}, then for every timestep scale the model input, run the denoiser on the
 * unconditional and conditional rows together, guide, and step the scheduler; finally decode (VAE, or
 * nothing for pixel-space models) and map to [0, 1].
 *
 * <p>Reproducibility: image {@code b} depends only on its prompt, negative prompt and seed (its noise is
 * drawn from its own {@link NoiseGenerator} stream, so not on the batch it is generated in), given a
 * denoiser whose rows do not interact. The noise recipe is engine- and device-independent; a fresh
 * scheduler is built per call, so one pipeline may serve concurrent calls if its denoiser, text encoder
 * and decoder can.
 */
public final class TextToImagePipeline {
    private final Denoiser denoiser;
    private final TextEncoder textEncoder;
    private final ImageDecoder decoder;
    private final SchedulerConfig schedulerConfig;
    private final int latentChannels;
    private final int defaultHeight;
    private final int defaultWidth;
    private final boolean forceZerosForEmptyPrompt;

    private TextToImagePipeline(Builder b) {
        this.denoiser = b.denoiser;
        this.textEncoder = b.textEncoder;
        this.decoder = b.decoder;
        this.schedulerConfig = b.schedulerConfig;
        this.latentChannels = b.latentChannels;
        this.defaultHeight = b.defaultHeight;
        this.defaultWidth = b.defaultWidth;
        this.forceZerosForEmptyPrompt = b.forceZerosForEmptyPrompt;
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the scheduler configuration each call samples with */
    public SchedulerConfig schedulerConfig() {
        return schedulerConfig;
    }

    /** @return how many pixels one latent spans per side (1 for pixel-space models) */
    public int scaleFactor() {
        return decoder == null ? 1 : decoder.scaleFactor();
    }

    /**
     * Generates images without progress reports.
     *
     * @param request the prompts and settings
     * @param manager owns the returned images
     * @return the images in [0, 1] and their seeds
     */
    public GenerationResult generate(GenerationRequest request, NDManager manager) {
        return generate(request, manager, null);
    }

    /**
     * Generates images.
     *
     * @param request the prompts and settings
     * @param manager owns the returned images; every intermediate array is freed before returning
     * @param listener called after every step, or null
     * @return the images in [0, 1] and their seeds
     */
    public GenerationResult generate(GenerationRequest request, NDManager manager, StepListener listener) {
        int batch = request.prompts().size();
        int height = request.height() > 0 ? request.height() : defaultHeight;
        int width = request.width() > 0 ? request.width() : defaultWidth;
        int f = scaleFactor();
        if (height % f != 0 || width % f != 0) {
            throw new IllegalArgumentException("height and width must be multiples of " + f + ", got " + height + "x"
                    + width);
        }
        long[] seeds = request.seeds() != null ? request.seeds() : freshSeeds(batch);
        boolean cfg = request.classifierFreeGuidance();
        NoiseGenerator generator = NoiseGenerator.ofSeeds(seeds);
        try (NDManager run = manager.newSubManager(); Scheduler scheduler = Schedulers.create(schedulerConfig)) {
            if (scheduler instanceof DDIMScheduler ddim) {
                ddim.setEta(request.eta());
            }
            Conditioning cond = encode(request, cfg, height, width, run);
            scheduler.setTimesteps(request.numInferenceSteps());
            float[] timesteps = scheduler.timesteps();
            Shape shape = new Shape(batch, latentChannels, height / f, width / f);
            NDArray noise = request.latents() != null ? request.latents().duplicate() : generator.randn(run, shape);
            noise.attach(run);
            if (!noise.getShape().equals(shape)) {
                throw new IllegalArgumentException("latents must be " + shape + ", got " + noise.getShape());
            }
            NDArray latents = noise.mul(scheduler.initNoiseSigma()); // latents * self.scheduler.init_noise_sigma
            for (int i = 0; i < timesteps.length; i++) {
                latents = denoiseStep(scheduler, latents, timesteps[i], cond, request, generator, run);
                if (listener != null) {
                    listener.onStep(i, timesteps.length, timesteps[i], latents);
                }
            }
            NDArray decoded = decoder == null ? latents : decoder.decode(latents.div(decoder.scalingFactor()));
            NDArray images = Images.denormalize(decoded).toType(DataType.FLOAT32, false);
            images.attach(manager);
            return new GenerationResult(images, seeds, timesteps);
        }
    }

    /** One iteration of the denoising loop; the returned latents belong to {@code run}. */
    private NDArray denoiseStep(Scheduler scheduler, NDArray latents, float t, Conditioning cond,
            GenerationRequest request, NoiseGenerator generator, NDManager run) {
        NDArray next;
        try (NDManager step = run.newSubManager()) {
            latents.tempAttach(step);
            boolean cfg = request.classifierFreeGuidance();
            // latent_model_input = torch.cat([latents] * 2) if do_classifier_free_guidance else latents
            NDArray input = cfg ? NDArrays.concat(new NDList(latents, latents)) : latents;
            input = scheduler.scaleModelInput(input, t);
            NDArray timestep = step.full(new Shape(input.getShape().get(0)), t, DataType.FLOAT32);
            NDArray prediction = denoiser.predict(input, timestep, cond);
            if (cfg) {
                prediction = Guidance.apply(prediction, request.guidanceScale(), request.guidanceRescale());
            }
            next = scheduler.step(prediction, t, latents, generator);
            next.attach(run);
        }
        latents.close();
        return next;
    }

    /** {@code encode_prompt} plus SDXL's added conditions; unconditional rows first when guiding. */
    private Conditioning encode(GenerationRequest request, boolean cfg, int height, int width, NDManager run) {
        List<String> prompts = request.prompts();
        int batch = prompts.size();
        Conditioning cond;
        if (!cfg) {
            cond = textEncoder.encode(prompts, run);
        } else if (request.negativePrompts() == null && forceZerosForEmptyPrompt) {
            Conditioning positive = textEncoder.encode(prompts, run);
            cond = Conditioning.concat(positive.zerosLike(), positive);
        } else {
            List<String> all = new ArrayList<>(negatives(request.negativePrompts(), batch));
            all.addAll(prompts);
            cond = textEncoder.encode(all, run);
        }
        long rows = cond.batchSize();
        if (rows != (cfg ? 2L * batch : batch)) {
            throw new IllegalStateException("the text encoder returned " + rows + " rows for " + (cfg ? 2 * batch : batch)
                    + " prompts");
        }
        if (cond.textEmbeds() == null) {
            return cond;
        }
        // SDXL: add_time_ids = original_size + crops_coords_top_left + target_size, one row per image
        MicroConditioning micro = request.microConditioning() != null ? request.microConditioning()
                : MicroConditioning.of(height, width);
        MicroConditioning negative = request.negativeMicroConditioning() != null ? request.negativeMicroConditioning()
                : micro;
        float[] ids = new float[(int) rows * 6];
        for (int r = 0; r < rows; r++) {
            float[] row = (cfg && r < batch ? negative : micro).timeIds();
            System.arraycopy(row, 0, ids, r * 6, 6);
        }
        return cond.withTimeIds(run.create(ids, new Shape(rows, 6)));
    }

    private static List<String> negatives(List<String> negativePrompts, int batch) {
        if (negativePrompts == null) {
            return Collections.nCopies(batch, ""); // uncond_tokens = [""] * batch_size
        }
        return negativePrompts.size() == 1 ? Collections.nCopies(batch, negativePrompts.get(0)) : negativePrompts;
    }

    private static long[] freshSeeds(int n) {
        SecureRandom r = new SecureRandom();
        long[] s = new long[n];
        for (int i = 0; i < n; i++) {
            s[i] = r.nextLong();
        }
        return s;
    }

    /** Builder; {@code setX} are required, {@code optX} optional. */
    public static final class Builder {
        private Denoiser denoiser;
        private TextEncoder textEncoder;
        private ImageDecoder decoder;
        private SchedulerConfig schedulerConfig;
        private int latentChannels = 4;
        private int defaultHeight = 512;
        private int defaultWidth = 512;
        private boolean forceZerosForEmptyPrompt;

        private Builder() {
        }

        /** @param d the UNet @return this */
        public Builder setDenoiser(Denoiser d) {
            this.denoiser = d;
            return this;
        }

        /** @param e the text encoder @return this */
        public Builder setTextEncoder(TextEncoder e) {
            this.textEncoder = e;
            return this;
        }

        /** @param c the scheduler each call samples with @return this */
        public Builder setScheduler(SchedulerConfig c) {
            this.schedulerConfig = c;
            return this;
        }

        /** @param d the VAE decoder; leave unset for pixel-space models @return this */
        public Builder optDecoder(ImageDecoder d) {
            this.decoder = d;
            return this;
        }

        /** @param c the UNet's {@code in_channels} (default 4) @return this */
        public Builder optLatentChannels(int c) {
            this.latentChannels = c;
            return this;
        }

        /** @param h height @param w width of images when the request gives none (default 512) @return this */
        public Builder optDefaultSize(int h, int w) {
            this.defaultHeight = h;
            this.defaultWidth = w;
            return this;
        }

        /** @param z SDXL's {@code force_zeros_for_empty_prompt} (default false) @return this */
        public Builder optForceZerosForEmptyPrompt(boolean z) {
            this.forceZerosForEmptyPrompt = z;
            return this;
        }

        /** @return the pipeline */
        public TextToImagePipeline build() {
            if (denoiser == null || textEncoder == null || schedulerConfig == null) {
                throw new IllegalStateException("a TextToImagePipeline needs a denoiser, a text encoder and a scheduler");
            }
            if (latentChannels < 1 || defaultHeight < 1 || defaultWidth < 1) {
                throw new IllegalStateException("latent channels and default size must be positive");
            }
            return new TextToImagePipeline(this);
        }
    }
}
