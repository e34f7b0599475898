/**
 * The independent programmatic judge of the shapes world (GenEval-like): detects the objects in
 * a possibly imperfect, generated image — colour segmentation, connected components, shape
 * fitting, size, centroids — and checks them against a prompt attribute by attribute
 * ({@link dev.alignloop.shapes.judge.SceneJudge}, {@link dev.alignloop.shapes.judge.JudgeResult}).
 * {@link dev.alignloop.shapes.judge.WinRate} and {@link dev.alignloop.shapes.judge.AttributeAccuracy}
 * turn per-prompt results into the numbers the eval gate reports.
 *
 * <p>The judge shares only the vocabulary (words and canonical palette colours) and the meaning
 * of relations with the renderer; it does not call renderer code, and it never looks at the
 * reward model. Its accuracy on rendered ground truth is tested.
 */
package dev.alignloop.shapes.judge;
