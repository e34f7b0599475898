package dev.alignloop.shapes.pretrain;

import java.time.Duration;

/**
 * One progress report of a pretraining run (base or reward).
 *
 * @param step           steps done
 * @param totalSteps     steps of the run
 * @param loss           loss of the last step
 * @param smoothedLoss   exponential moving average of the loss (weight 0.05 per step, bias-corrected)
 * @param learningRate   learning rate of the last step
 * @param stepsPerSecond steps per second since the run (or resume) started
 * @param elapsed        wall time since the run (or resume) started
 * @param eta            estimated time to the last step
 */
public record PretrainProgress(long step, long totalSteps, double loss, double smoothedLoss, double learningRate,
                               double stepsPerSecond, Duration elapsed, Duration eta) {

    /** "step 200/1500 loss 0.0812 (avg 0.0850) lr 8.0e-04 1.25 it/s elapsed 2m40s ETA 17m20s". */
    @Override
    public String toString() {
        return String.format("step %d/%d loss %.4f (avg %.4f) lr %.1e %.2f it/s elapsed %s ETA %s", step, totalSteps,
                loss, smoothedLoss, learningRate, stepsPerSecond, format(elapsed), format(eta));
    }

    /** "1h02m", "3m05s" or "12s". */
    public static String format(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s >= 3600) {
            return String.format("%dh%02dm", s / 3600, (s % 3600) / 60);
        }
        if (s >= 60) {
            return String.format("%dm%02ds", s / 60, s % 60);
        }
        return s + "s";
    }
}
