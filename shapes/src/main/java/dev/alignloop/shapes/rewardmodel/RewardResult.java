package dev.alignloop.shapes.rewardmodel;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The outcome of a reward-model training run.
 *
 * @param outputDir      the artifact folder written
 * @param steps          steps trained
 * @param finalLoss      smoothed contrastive loss at the end
 * @param heldOut        accuracy of the exported ONNX model on held-out scenes
 * @param train          accuracy of the exported ONNX model on train scenes
 * @param maxParityError largest |ONNX Runtime score - DJL score| over the evaluation
 * @param elapsed        wall time
 */
public record RewardResult(Path outputDir, long steps, double finalLoss, RewardAccuracy heldOut, RewardAccuracy train,
                           double maxParityError, Duration elapsed) {
}
