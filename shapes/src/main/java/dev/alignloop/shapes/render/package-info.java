/**
 * Ground truth for the shapes world: the Java2D {@link dev.alignloop.shapes.render.SceneRenderer}
 * that draws a {@link dev.alignloop.shapes.prompt.SceneSpec} (the pretraining and reward-model
 * data), tensor conversion for training ({@link dev.alignloop.shapes.render.ImageTensors}), and
 * (strict PNG encoding and decoding for service boundaries lives in {@code dev.alignloop.common.image.Png}).
 *
 * <p>Everything here is deterministic given a seed and runs headless (no display is needed; the
 * renderer sets {@code java.awt.headless=true} when nobody has chosen otherwise).
 */
package dev.alignloop.shapes.render;
