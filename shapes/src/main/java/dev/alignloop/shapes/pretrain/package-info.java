/**
 * Base-model pretraining ({@code alignloop pretrain base}): {@link
 * dev.alignloop.shapes.pretrain.BasePretrainer} trains the tiny UNet and text encoder from scratch
 * on rendered TRAIN scenes with noisy captions, seeded, resumable from checkpoints, reporting
 * {@link dev.alignloop.shapes.pretrain.PretrainProgress}.
 */
package dev.alignloop.shapes.pretrain;
