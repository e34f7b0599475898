package dev.alignloop.shapes.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.alignloop.diffusion.nn.F;
import dev.alignloop.diffusion.scheduler.NoiseGenerator;
import dev.alignloop.diffusion.scheduler.Scheduler;
import dev.alignloop.diffusion.scheduler.SchedulerType;
import dev.alignloop.diffusion.scheduler.Schedulers;
import dev.alignloop.shapes.render.ImageTensors;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Text-to-image sampling for the pixel-space base model with classifier-free guidance
 * ({@code eps = eps_uncond + g * (eps_text - eps_uncond)}, the unconditional prompt being "").
 * Each image's initial noise comes from its own seed ({@link NoiseGenerator}), so an image does not
 * depend on the batch it is generated in.
 *
 * <p>This is the small loop the shapes world needs for previews and tests; the general
 * {@code TextToImagePipeline} of the diffusion module does the same against its interfaces.
 */
public final class ShapesSampler {

    /**
     * Sampling settings.
     *
     * @param steps         denoising steps, 1..1000
     * @param guidanceScale CFG scale; 1 disables guidance (one UNet pass per step)
     * @param eta           DDIM eta (0: deterministic)
     * @param scheduler     scheduler class (the folder's config read as this class)
     */
    public record Options(int steps, double guidanceScale, double eta, SchedulerType scheduler) {
        public Options {
            if (steps < 1 || steps > 1000) {
                throw new IllegalArgumentException("steps must be in 1..1000, got " + steps);
            }
            if (!(guidanceScale >= 1) || !Double.isFinite(guidanceScale)) {
                throw new IllegalArgumentException("guidanceScale must be a finite number >= 1, got " + guidanceScale);
            }
            if (!(eta >= 0 && eta <= 1)) {
                throw new IllegalArgumentException("eta must be in [0, 1], got " + eta);
            }
            Objects.requireNonNull(scheduler, "scheduler");
        }

        /** DDIM, 25 steps, guidance 3, eta 0. */
        public static Options defaults() {
            return new Options(25, 3.0, 0.0, SchedulerType.DDIM);
        }

        /** A copy with another step count. */
        public Options withSteps(int n) {
            return new Options(n, guidanceScale, eta, scheduler);
        }

        /** A copy with another guidance scale. */
        public Options withGuidanceScale(double g) {
            return new Options(steps, g, eta, scheduler);
        }
    }

    private final ShapesBaseModel model;

    /** A sampler over {@code model} (which it does not own). */
    public ShapesSampler(ShapesBaseModel model) {
        this.model = Objects.requireNonNull(model, "model");
    }

    /**
     * Samples one image per prompt.
     *
     * @param prompts prompts (strictly tokenized)
     * @param seeds   one seed per prompt
     * @return [B, 3, H, W] in [-1, 1] (clipped), in {@code manager}
     */
    public NDArray sample(List<String> prompts, long[] seeds, Options options, NDManager manager) {
        if (prompts.isEmpty() || prompts.size() != seeds.length) {
            throw new IllegalArgumentException("need one seed per prompt (at least one), got " + prompts.size()
                    + " prompts and " + seeds.length + " seeds");
        }
        int b = prompts.size();
        int size = model.unet().config().sampleSize() == null ? ShapesModelConfigs.IMAGE_SIZE
                : model.unet().config().sampleSize();
        boolean cfg = options.guidanceScale() > 1;
        Shape shape = new Shape(b, model.unet().config().inChannels(), size, size);
        try (Scheduler scheduler = Schedulers.create(model.schedulerConfig().withType(options.scheduler()));
             NDManager scope = manager.newSubManager()) {
            if (scheduler instanceof dev.alignloop.diffusion.scheduler.DDIMScheduler ddim) {
                ddim.setEta(options.eta());
            }
            scheduler.setTimesteps(options.steps());
            NoiseGenerator gen = NoiseGenerator.ofSeeds(seeds);
            NDArray x = gen.randn(scope, shape).muli(scheduler.initNoiseSigma());
            List<String> all = new ArrayList<>(b * 2);
            if (cfg) {
                all.addAll(Collections.nCopies(b, ""));
            }
            all.addAll(prompts);
            NDArray context = model.encodePrompts(all, scope);
            for (float t : scheduler.timesteps()) {
                NDArray next;
                try (NDManager step = scope.newSubManager()) {
                    x.tempAttach(step); // every intermediate of this step lands in (and dies with) step
                    NDArray in = scheduler.scaleModelInput(x, t);
                    NDArray input = cfg ? F.cat(0, in, in) : in;
                    NDArray ts = step.full(new Shape(input.getShape().get(0)), t);
                    NDArray eps = model.predict(input, ts, context); // epsilon or v: guidance is linear in either
                    if (cfg) {
                        NDArray uncond = eps.get("0:" + b);
                        NDArray text = eps.get(b + ":");
                        // noise_pred = noise_pred_uncond + guidance_scale * (noise_pred_text - noise_pred_uncond)
                        eps = uncond.add(text.sub(uncond).muli((float) options.guidanceScale()));
                    }
                    next = scheduler.step(eps, t, x, gen);
                    next.attach(scope);
                }
                x.close();
                x = next;
            }
            NDArray out = x.clip(-1f, 1f);
            out.attach(manager);
            return out;
        }
    }

    /** {@link #sample} converted to RGB images. */
    public List<BufferedImage> sampleImages(List<String> prompts, long[] seeds, Options options, NDManager manager) {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = sample(prompts, seeds, options, m);
            float[] v = x.toFloatArray();
            int h = (int) x.getShape().get(2);
            int w = (int) x.getShape().get(3);
            List<BufferedImage> out = new ArrayList<>();
            for (int i = 0; i < prompts.size(); i++) {
                out.add(ImageTensors.fromCHW(v, i * 3 * h * w, h, w));
            }
            return out;
        }
    }
}
