package dev.alignloop.shapes.pretrain;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.alignloop.diffusion.nn.Parameter;
import dev.alignloop.diffusion.optim.GradientClipping;
import dev.alignloop.diffusion.optim.Optimizer;
import dev.alignloop.diffusion.scheduler.DDPMScheduler;
import dev.alignloop.shapes.model.ShapesBaseModel;
import java.util.ArrayList;
import java.util.List;

/**
 * One denoising-loss training step of UNet and text encoder together, as diffusers'
 * {@code train_text_to_image.py} does it (with the text encoder trainable):
 *
 * <pre>
 * noisy = scheduler.add_noise(x0, noise, t)
 * pred = unet(noisy, t, text_encoder(ids)[0])
 * loss = F.mse_loss(pred, target, reduction="mean")     # target: noise, or get_velocity for v_prediction
 * loss.backward(); clip_grad_norm_(params, clip); optimizer.step(); optimizer.zero_grad()
 * </pre>
 *
 * Every array of the step lives in a per-step sub-manager closed at the end (DJL's backward
 * allocates its ones seed in the loss's manager and never frees it).
 */
final class DiffusionTrainStep {
    private final ShapesBaseModel model;
    private final DDPMScheduler scheduler;
    private final Optimizer optimizer;
    private final double gradClip;
    private double lastGradNorm = Double.NaN;

    DiffusionTrainStep(ShapesBaseModel model, DDPMScheduler scheduler, Optimizer optimizer, double gradClip) {
        this.model = model;
        this.scheduler = scheduler;
        this.optimizer = optimizer;
        this.gradClip = gradClip;
    }

    /** Global gradient norm (before clipping) of the last step. */
    double lastGradNorm() {
        return lastGradNorm;
    }

    /** The loss on {@code batch} without gradients or updates (for validation). */
    double evaluate(PretrainData.Batch batch, NDManager manager) {
        int b = batch.captions().size();
        int n = (int) Math.round(Math.sqrt(batch.images().length / (3.0 * b)));
        Shape shape = new Shape(b, 3, n, n);
        try (NDManager m = manager.newSubManager()) {
            NDArray x0 = m.create(batch.images(), shape);
            NDArray noise = m.create(batch.noise(), shape);
            NDArray t = m.create(batch.timesteps());
            NDArray pred = model.predict(scheduler.addNoise(x0, noise, t), t, model.encodePrompts(batch.captions(), m));
            return pred.sub(scheduler.trainingTarget(x0, noise, t)).square().mean().getFloat();
        }
    }

    /** Runs one step on {@code batch} at learning rate {@code lr}; returns the loss. */
    double run(PretrainData.Batch batch, double lr, NDManager manager) {
        int b = batch.captions().size();
        int n = (int) Math.round(Math.sqrt(batch.images().length / (3.0 * b)));
        Shape shape = new Shape(b, 3, n, n);
        try (NDManager m = manager.newSubManager()) {
            NDArray x0 = m.create(batch.images(), shape);
            NDArray noise = m.create(batch.noise(), shape);
            NDArray t = m.create(batch.timesteps());
            NDArray noisy = scheduler.addNoise(x0, noise, t);
            NDArray target = scheduler.trainingTarget(x0, noise, t);
            NDArray loss;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray context = model.encodePrompts(batch.captions(), m); // [B, L, D]
                NDArray pred = model.predict(noisy, t, context);     // [B, 3, n, n]
                loss = pred.sub(target).square().mean();                 // mse over every element
                collector.backward(loss);
            }
            double value = loss.getFloat();
            if (!Double.isFinite(value)) {
                throw new PretrainException("loss is " + value + "; training diverged (lower the learning rate)");
            }
            lastGradNorm = GradientClipping.clipGradNorm(model, gradClip);
            optimizer.step(model, lr);
            model.zeroGrad();
            return value;
        }
    }
}
