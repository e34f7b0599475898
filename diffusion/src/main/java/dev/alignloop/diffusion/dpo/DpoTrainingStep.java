package dev.alignloop.diffusion.dpo;

import dev.alignloop.diffusion.nn.F;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDResource;
import ai.djl.training.GradientCollector;
import dev.alignloop.diffusion.scheduler.DDPMScheduler;
import dev.alignloop.diffusion.scheduler.SchedulerConfig;
import dev.alignloop.diffusion.scheduler.SchedulerType;
import dev.alignloop.diffusion.unet.AddedCond;
import java.nio.file.Path;

/**
 * One forward/backward pass of Diffusion-DPO (or SFT) on a batch of pairs, as the official
 * {@code train.py} does it inside {@code accelerator.accumulate(unet)}:
 *
 * <ol>
 *   <li>latents {@code = cat([x_w, x_l])}; noise and timesteps are the pair's, repeated twice
 *       ({@code noise.chunk(2)[0].repeat(2, 1, 1, 1)}), as is the text conditioning;
 *   <li>{@code noisy = scheduler.add_noise(latents, noise, t)}; target {@code = noise} for
 *       {@code epsilon}, {@code scheduler.get_velocity(latents, noise, t)} for {@code v_prediction}
 *       (x₀ for {@code sample});
 *   <li>the frozen reference predicts under no-grad; the policy predicts with autograd on;
 *   <li>{@link DpoLoss#dpo} and {@code backward}: gradients accumulate into the policy's
 *       parameters (the caller zeroes them between optimizer steps).
 * </ol>
 *
 * Intermediate arrays are freed when the step returns (they live in a sub-manager of the batch's
 * manager); only host-side results come back.
 */
public final class DpoTrainingStep {
    /** β used by the paper for SD 1.5 and SDXL ({@code --beta_dpo 5000}). */
    public static final double DEFAULT_BETA = 5000.0;

    private final TrainMethod method;
    private final double beta;
    private final DDPMScheduler scheduler;

    /**
     * @param method DPO or the SFT baseline
     * @param beta {@code beta_dpo} (> 0; ignored for SFT)
     * @param scheduler the model's training scheduler (the official script loads the model's
     *     {@code scheduler/} config as a {@code DDPMScheduler}; see {@link #trainingScheduler})
     */
    public DpoTrainingStep(TrainMethod method, double beta, DDPMScheduler scheduler) {
        if (method == null || scheduler == null) {
            throw new IllegalArgumentException("method and scheduler are required");
        }
        if (!(beta > 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("beta must be a positive finite number, got " + beta);
        }
        this.method = method;
        this.beta = beta;
        this.scheduler = scheduler;
    }

    /**
     * {@code DDPMScheduler.from_pretrained(model, subfolder="scheduler")}: the model's scheduler
     * config read as DDPM (whatever its sampling class), as the official training script does.
     *
     * @param schedulerDir a diffusers {@code scheduler/} folder
     */
    public static DDPMScheduler trainingScheduler(Path schedulerDir) {
        return new DDPMScheduler(SchedulerConfig.load(schedulerDir, SchedulerType.DDPM));
    }

    public DDPMScheduler scheduler() {
        return scheduler;
    }

    public TrainMethod method() {
        return method;
    }

    public double beta() {
        return beta;
    }

    /**
     * Runs the step and back-propagates {@code loss * lossScale} into the policy.
     *
     * @param policy the model being trained (its trainable parameters must require gradients)
     * @param reference the frozen reference (unused for SFT; may be null then)
     * @param batch the pairs
     * @param lossScale multiplier of the loss before backward, e.g. {@code 1 / gradient_accumulation_steps}
     */
    public DpoStepResult run(Denoiser policy, Denoiser reference, DpoBatch batch, double lossScale) {
        return compute(policy, reference, batch, lossScale, true);
    }

    /**
     * The same forward computation without autograd or backward (validation, monitoring): the
     * policy's gradients are left untouched.
     */
    public DpoStepResult evaluate(Denoiser policy, Denoiser reference, DpoBatch batch) {
        return compute(policy, reference, batch, 1.0, false);
    }

    private DpoStepResult compute(Denoiser policy, Denoiser reference, DpoBatch batch, double lossScale, boolean train) {
        if (method == TrainMethod.DPO && reference == null) {
            throw new IllegalArgumentException("DPO needs a reference model");
        }
        // Per-step sub-manager: the batch is attached to it for the duration of the step, so every
        // array derived from it (activations, losses, backward's seed) lands there and is freed on
        // return, while arrays that modules cache in their own managers survive.
        try (NDManager scope = batch.xW().getManager().newSubManager()) {
            scope.tempAttachAll(batch.arrays().toArray(new NDResource[0]));
            boolean dpo = method == TrainMethod.DPO;
            int b = batch.size();
            // feed_pixel_values = torch.cat(batch["pixel_values"].chunk(2, dim=1)) -> [winners; losers]
            NDArray latents = dpo ? batch.xW().concat(batch.xL(), 0) : batch.xW();
            // noise = noise.chunk(2)[0].repeat(2, 1, 1, 1); timesteps = timesteps.chunk(2)[0].repeat(2)
            NDArray noise = dpo ? twice(batch.noise()) : batch.noise();
            NDArray timesteps = dpo ? twice(batch.timesteps()) : batch.timesteps();
            // encoder_hidden_states = encoder_hidden_states.repeat(2, 1, 1)
            NDArray context = dpo ? twice(batch.encoderHiddenStates()) : batch.encoderHiddenStates();
            AddedCond added = null;
            if (batch.hasAddedConditions()) {
                added = new AddedCond(rows(batch.textEmbeds(), b, dpo), rows(batch.timeIds(), b, dpo));
            }
            // noisy_latents = noise_scheduler.add_noise(latents, noise, timesteps)
            NDArray noisy = scheduler.addNoise(latents, noise, timesteps);
            // target = noise (epsilon) | noise_scheduler.get_velocity(latents, noise, timesteps) (v_prediction)
            NDArray target = scheduler.trainingTarget(latents, noise, timesteps);
            NDArray refPred = null;
            if (dpo) {
                // with torch.no_grad(): ref_pred = ref_unet(*model_batch_args, ...).sample.detach()
                refPred = reference.predict(noisy, timesteps, context, added).stopGradient();
            }
            if (!train) {
                return loss(policy.predict(noisy, timesteps, context, added), refPred, target, batch, null, 1.0);
            }
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray modelPred = policy.predict(noisy, timesteps, context, added);
                return loss(modelPred, refPred, target, batch, collector, lossScale);
            }
        }
    }

    private DpoStepResult loss(NDArray modelPred, NDArray refPred, NDArray target, DpoBatch batch,
            GradientCollector collector, double lossScale) {
        if (method == TrainMethod.DPO) {
            DpoLossOutput out = DpoLoss.dpo(modelPred, refPred, target, beta);
            if (collector != null) {
                backward(collector, out.loss(), lossScale);
            }
            return new DpoStepResult(out.metrics(batch.meanMargin()), out.modelDiff().toFloatArray(),
                    out.refDiff().toFloatArray(), (float) DpoLossOutput.scalar(out.loss()),
                    (float) DpoLossOutput.scalar(out.implicitAcc()));
        }
        NDArray loss = DpoLoss.sft(modelPred, target);
        if (collector != null) {
            backward(collector, loss, lossScale);
        }
        float value = loss.toFloatArray()[0];
        return new DpoStepResult(DpoMetrics.sft(value, batch.meanMargin()), new float[0], new float[0], value, Float.NaN);
    }

    private static NDArray twice(NDArray a) {
        return NDArrays.concat(new ai.djl.ndarray.NDList(a, a), 0);
    }

    /** Per-pair rows are repeated for DPO; already doubled rows are used as they are (first half for SFT). */
    private static NDArray rows(NDArray a, int b, boolean dpo) {
        boolean doubled = a.getShape().get(0) == 2L * b;
        if (dpo) {
            return doubled ? a : twice(a);
        }
        return doubled ? a.get("0:" + b) : a;
    }

    private static void backward(GradientCollector collector, NDArray loss, double scale) {
        try {
            collector.backward(scale == 1.0 ? loss : F.mulScalar(loss, (float) scale));
        } catch (EngineException e) {
            // PyTorch: "element 0 of tensors does not require grad and does not have a grad_fn"
            throw new IllegalStateException("backward failed (" + e.getMessage() + "): does the loss depend on a trainable"
                    + " parameter? Attach gradients to the policy (Module.attachGradients()) before training", e);
        }
    }
}
