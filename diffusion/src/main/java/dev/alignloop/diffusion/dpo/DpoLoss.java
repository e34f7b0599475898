package dev.alignloop.diffusion.dpo;

import dev.alignloop.diffusion.nn.F;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;

/**
 * The Diffusion-DPO objective (Wallace et al. 2024) exactly as the official training script
 * ({@code SalesforceAIResearch/DiffusionDPO}, {@code train.py}) computes it, and the SFT baseline.
 *
 * <p>Predictions and targets hold the doubled batch {@code [winners; losers]} along dim 0: row
 * {@code i} and row {@code i + B} are the two images of pair {@code i}, noised with the same
 * noise and timestep. All arithmetic stays in the inputs' dtype (float32), as in the reference.
 */
public final class DpoLoss {
    private DpoLoss() {
    }

    /**
     * The DPO loss and its diagnostics.
     *
     * @param modelPred policy prediction {@code [2B, C, H, W]} (part of the autograd graph)
     * @param refPred frozen reference prediction {@code [2B, C, H, W]} (no gradient)
     * @param target the regression target {@code [2B, C, H, W]}: the noise for {@code epsilon}
     *     models, the velocity for {@code v_prediction}
     * @param beta the KL weight {@code beta_dpo} (> 0)
     */
    public static DpoLossOutput dpo(NDArray modelPred, NDArray refPred, NDArray target, double beta) {
        requireSameShape("modelPred", modelPred, target);
        requireSameShape("refPred", refPred, target);
        long rows = target.getShape().get(0);
        if (rows % 2 != 0 || rows == 0) {
            throw new IllegalArgumentException("DPO needs a doubled batch [winners; losers], got " + rows + " rows");
        }
        if (!(beta > 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("beta must be a positive finite number, got " + beta);
        }
        // model_losses = (model_pred - target).pow(2).mean(dim=[1,2,3])
        NDArray modelLosses = perSampleMse(modelPred, target);
        // model_losses_w, model_losses_l = model_losses.chunk(2)
        NDList modelChunks = modelLosses.split(2);
        NDArray modelW = modelChunks.get(0);
        NDArray modelL = modelChunks.get(1);
        // model_diff = model_losses_w - model_losses_l
        NDArray modelDiff = modelW.sub(modelL);
        // with torch.no_grad(): ref_losses = (ref_pred - target).pow(2).mean(dim=[1,2,3]) ...
        NDArray refLosses = perSampleMse(refPred.stopGradient(), target.stopGradient());
        NDList refChunks = refLosses.split(2);
        NDArray refW = refChunks.get(0);
        NDArray refL = refChunks.get(1);
        NDArray refDiff = refW.sub(refL);
        // scale_term = -0.5 * args.beta_dpo; inside_term = scale_term * (model_diff - ref_diff)
        NDArray delta = modelDiff.sub(refDiff);
        NDArray inside = F.mulScalar(delta, (float) (-0.5 * beta)); // a torch-owned scalar: backward reads it (see F)
        delta.close();
        // implicit_acc = (inside_term > 0).sum().float() / inside_term.size(0)
        NDArray implicitAcc = inside.gt(0).toType(DataType.FLOAT32, false).sum().div((float) inside.getShape().get(0));
        // loss = -1 * F.logsigmoid(inside_term).mean()
        NDArray loss = logSigmoid(inside).mean().neg();
        return new DpoLossOutput(loss, implicitAcc, modelDiff, refDiff, modelW, modelL, refW, refL, inside);
    }

    /**
     * The SFT baseline: {@code F.mse_loss(model_pred, target, reduction="mean")} on the winners.
     */
    public static NDArray sft(NDArray modelPred, NDArray target) {
        requireSameShape("modelPred", modelPred, target);
        return modelPred.sub(target).square().mean();
    }

    /** Per-sample mean squared error over every non-batch dimension: {@code [N, ...] -> [N]}. */
    public static NDArray perSampleMse(NDArray pred, NDArray target) {
        if (target.getShape().dimension() < 2) {
            throw new IllegalArgumentException("expected [N, ...] predictions, got " + target.getShape());
        }
        long n = target.getShape().get(0);
        // DJL's PyTorch mean takes one axis: flatten C,H,W first (same reduction as mean(dim=[1,2,3]))
        return pred.sub(target).square().reshape(n, -1).mean(new int[] {1});
    }

    /**
     * {@code F.logsigmoid}, computed as {@code -softplus(-x)} with PyTorch's thresholded softplus,
     * so it saturates without overflow: {@code logsigmoid(-100) = -100}, {@code logsigmoid(100) ≈ -4e-44}.
     */
    public static NDArray logSigmoid(NDArray x) {
        return Activation.softPlus(x.neg()).neg();
    }

    private static void requireSameShape(String name, NDArray a, NDArray target) {
        if (!a.getShape().equals(target.getShape())) {
            throw new IllegalArgumentException(name + " has shape " + a.getShape() + " but the target has " + target.getShape());
        }
    }
}
