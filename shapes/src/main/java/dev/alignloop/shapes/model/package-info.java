/**
 * The shapes world's models: the word-level {@link dev.alignloop.shapes.model.ShapesTokenizer}
 * (shared by the base model and the reward model), the tiny pixel-space base model's
 * configurations ({@link dev.alignloop.shapes.model.ShapesModelConfigs}), the model itself as one
 * trainable module tree ({@link dev.alignloop.shapes.model.ShapesBaseModel}), a CFG sampler
 * ({@link dev.alignloop.shapes.model.ShapesSampler}), and the shipped artifact layout with its
 * SHA-256 checks ({@link dev.alignloop.shapes.model.ShapesArtifacts}).
 */
package dev.alignloop.shapes.model;
