package dev.alignloop.diffusion.dpo;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Host-side diagnostics of one training step, for logs, metrics and checkpoints.
 *
 * <p>For {@link TrainMethod#SFT} only {@code loss} and {@code modelMseWinner} are meaningful (the
 * rest are NaN).
 *
 * @param method the objective
 * @param loss the loss value
 * @param implicitAcc fraction of pairs whose implicit reward ranks the winner first (DPO)
 * @param modelMseWinner policy denoising MSE of the winners (mean over the batch)
 * @param modelMseLoser policy denoising MSE of the losers
 * @param refMseWinner reference denoising MSE of the winners
 * @param refMseLoser reference denoising MSE of the losers
 * @param rawModelLoss {@code 0.5 * (modelMseWinner + modelMseLoser)}, the official {@code raw_model_loss}
 * @param rawRefLoss {@code 0.5 * (refMseWinner + refMseLoser)}, the official {@code raw_ref_loss}
 * @param implicitRewardMargin mean of {@code -0.5 * beta * (model_diff - ref_diff)}
 * @param labelMargin mean reward-model margin of the batch's labels (passed through), NaN if unknown
 */
public record DpoMetrics(
        TrainMethod method,
        double loss,
        double implicitAcc,
        double modelMseWinner,
        double modelMseLoser,
        double refMseWinner,
        double refMseLoser,
        double rawModelLoss,
        double rawRefLoss,
        double implicitRewardMargin,
        double labelMargin) {

    /** Metrics for an SFT step. */
    public static DpoMetrics sft(double loss, double labelMargin) {
        double nan = Double.NaN;
        return new DpoMetrics(TrainMethod.SFT, loss, nan, loss, nan, nan, nan, loss, nan, nan, labelMargin);
    }

    /** Stable metric names (as logged and stored in checkpoints) to values; NaN values are left out. */
    public Map<String, Double> toMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        put(m, "loss", loss);
        put(m, "implicit_acc", implicitAcc);
        put(m, "model_mse_w", modelMseWinner);
        put(m, "model_mse_l", modelMseLoser);
        put(m, "ref_mse_w", refMseWinner);
        put(m, "ref_mse_l", refMseLoser);
        put(m, "raw_model_loss", rawModelLoss);
        put(m, "raw_ref_loss", rawRefLoss);
        put(m, "implicit_reward_margin", implicitRewardMargin);
        put(m, "label_margin", labelMargin);
        return m;
    }

    private static void put(Map<String, Double> m, String k, double v) {
        if (!Double.isNaN(v)) {
            m.put(k, v);
        }
    }
}
