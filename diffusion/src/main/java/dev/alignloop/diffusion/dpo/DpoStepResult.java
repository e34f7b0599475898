package dev.alignloop.diffusion.dpo;

/**
 * Host-side result of a {@link DpoTrainingStep}: the metrics and the per-pair differences (in
 * float32 as computed).
 *
 * @param metrics the step's diagnostics
 * @param modelDiff per pair {@code mse_w - mse_l} of the policy (empty for SFT)
 * @param refDiff per pair {@code mse_w - mse_l} of the reference (empty for SFT)
 * @param loss the float32 loss (before any loss scaling)
 * @param implicitAcc the float32 implicit accuracy (NaN for SFT)
 */
public record DpoStepResult(DpoMetrics metrics, float[] modelDiff, float[] refDiff, float loss, float implicitAcc) {
}
