/**
 * Diffusion-DPO (Wallace et al. 2024) exactly as the official implementation
 * ({@code SalesforceAIResearch/DiffusionDPO}, {@code train.py}) computes it.
 *
 * <ul>
 *   <li>{@link dev.alignloop.diffusion.dpo.DpoLoss}: the loss and its diagnostics on a doubled
 *       batch {@code [winners; losers]}; {@code logsigmoid} is {@code -softplus(-x)}, so large β
 *       saturates without overflow.
 *   <li>{@link dev.alignloop.diffusion.dpo.DpoTrainingStep}: one forward/backward over a
 *       {@link dev.alignloop.diffusion.dpo.DpoBatch} (shared noise and timestep per pair, target ε
 *       or v by the scheduler's {@code prediction_type}; frozen reference under no-grad), or the
 *       SFT baseline; {@code evaluate} runs it without backward.
 *   <li>{@link dev.alignloop.diffusion.dpo.PairNoiseSampler}: deterministic per-step noise and
 *       timesteps from (seed, position), so a checkpoint's RNG state is two numbers.
 *   <li>{@link dev.alignloop.diffusion.dpo.DpoParityTool}: {@code alignloop model dpo-step}.
 * </ul>
 *
 * <h2>Knobs</h2>
 * <ul>
 *   <li><b>β</b> ({@code beta_dpo}, default {@link dev.alignloop.diffusion.dpo.DpoTrainingStep#DEFAULT_BETA}
 *       = 5000, the paper's value for SD 1.5 and SDXL): the inverse strength of the KL tie to the
 *       reference. The logit is {@code -β/2 · (Δmodel − Δref)} where Δ are differences of
 *       per-image MSEs (typically 1e-4–1e-2), so β of a few thousand puts the logit in the
 *       sigmoid's useful range. Larger β: the policy stays closer to the reference and the loss
 *       saturates sooner; smaller β: larger, riskier moves.
 *   <li><b>learning rate</b>: the paper uses 1e-8 per sample, scaled by the effective batch
 *       ({@code --scale_lr}: {@link dev.alignloop.diffusion.optim.LrSchedule#scaleLr} — 2048 ×
 *       1e-8 = 2.048e-5), AdamW for SD 1.5, Adafactor for SDXL, constant schedule with warmup.
 *   <li><b>batch</b>: effective batch = pairs per micro-batch × gradient-accumulation steps ×
 *       processes (paper: 2048 pairs, 2000 steps). Each micro-batch loss is scaled by
 *       {@code 1/accumulation} ({@link dev.alignloop.diffusion.optim.GradientAccumulation}).
 * </ul>
 *
 * <h2>Metrics ({@link dev.alignloop.diffusion.dpo.DpoMetrics#toMap()})</h2>
 * <ul>
 *   <li>{@code loss}: starts at ln 2 ≈ 0.693 (policy = reference) and should drift down slowly;
 *       a collapse towards 0 within a few steps means β·lr is too large (over-fitting the pairs).
 *   <li>{@code implicit_acc}: the fraction of pairs whose implicit reward prefers the winner.
 *       0 at step 0 (ties count as wrong), then above 0.5 and rising — 0.55–0.7 is typical on
 *       real data; ≈1.0 on a large run is a sign of over-fitting.
 *   <li>{@code model_mse_w}, {@code model_mse_l}, {@code ref_mse_w}, {@code ref_mse_l},
 *       {@code raw_model_loss}, {@code raw_ref_loss}: denoising MSEs. Healthy: the policy's MSEs
 *       stay close to the reference's (the raw model loss should not climb much above the raw
 *       reference loss); the gap {@code model_mse_w − model_mse_l} falls below
 *       {@code ref_mse_w − ref_mse_l}. DPO often achieves this mainly by raising the losers'
 *       MSE; a steadily rising {@code raw_model_loss} means the model is degrading as a denoiser.
 *   <li>{@code implicit_reward_margin}: mean logit {@code -β/2 · (Δmodel − Δref)}, grows
 *       positive as training proceeds; {@code label_margin}: the reward model's mean margin of the
 *       batch's labels, passed through for correlation.
 * </ul>
 */
package dev.alignloop.diffusion.dpo;
