/**
 * ONNX graphs built in Java: {@link dev.alignloop.reward.onnx.OnnxGraphBuilder} over the ONNX
 * protobuf classes, and the tiny CLIP-style dual encoder of the shapes world
 * ({@link dev.alignloop.reward.onnx.TinyClipSpec}, exported by
 * {@link dev.alignloop.reward.onnx.TinyClipOnnx}, mirrored in plain Java by
 * {@link dev.alignloop.reward.onnx.TinyClipReference}).
 */
package dev.alignloop.reward.onnx;
