package dev.alignloop.shapes.pretrain;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The outcome of a pretraining run.
 *
 * @param outputDir    the artifact folder written
 * @param steps        total steps of the model written
 * @param resumedFrom  the step the run resumed from (0 for a fresh run)
 * @param finalLoss    smoothed training loss at the end
 * @param elapsed      wall time of this invocation
 */
public record PretrainResult(Path outputDir, long steps, long resumedFrom, double finalLoss, Duration elapsed) {
}
