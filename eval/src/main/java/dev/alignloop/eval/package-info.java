/**
 * The eval gate: is a checkpoint better than its baseline? Both generate images for the same
 * held-out prompts with the same seeds; each pair of images is compared by the reward model
 * (the signal training optimised) and by an independent {@link dev.alignloop.eval.PromptJudge}
 * (a signal it never saw). A configurable {@link dev.alignloop.eval.GateRule} turns the two
 * paired win-rates (ties half, Wilson 95% interval) and the mean scores into PROMOTED or
 * REJECTED, and rejects reward hacking: reward up while the judge goes down.
 *
 * <p>Entry points: {@link dev.alignloop.eval.EvalGate#evaluate} over any two
 * {@link dev.alignloop.eval.ImageSampler}s (a {@link dev.alignloop.eval.DiffusionSampler} for a
 * diffusers folder or training checkpoint); {@link dev.alignloop.eval.EvalCommandSupport} for
 * {@code alignloop eval --policy DIR --baseline DIR}; {@link dev.alignloop.eval.EvalReport#toTable()}
 * and {@link dev.alignloop.eval.SampleGrid} to show the result.
 */
package dev.alignloop.eval;
