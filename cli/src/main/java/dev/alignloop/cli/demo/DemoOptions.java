package dev.alignloop.cli.demo;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The demo's settings, validated once.
 *
 * @param home project root (models/ and the service builds live there)
 * @param stateDir where Kafka data, blobs, checkpoints, eval grids and logs go (kept between runs)
 * @param rounds loop rounds
 * @param pairsPerRound prompts sent per round (one image pair each)
 * @param evalPrompts held-out prompts per eval
 * @param steps sampling steps (generator and eval)
 * @param beta DPO beta
 * @param learningRate DPO learning rate
 * @param threads DJL threads per service
 * @param seed prompt-sampling seed
 * @param fresh delete {@code stateDir} first
 * @param monitor start the dashboard
 * @param monitorPort dashboard port (0 = any free port)
 * @param roundTimeout longest wait for one phase of a round
 * @param baseModel base policy folder, relative to {@code home}
 * @param rewardManifest reward manifest, relative to {@code home}
 * @param promptFile prompts used in turn (one per line), or null for the shapes grammar's training split
 * @param overrides extra service configuration (applied last, to every service)
 */
public record DemoOptions(Path home, Path stateDir, int rounds, int pairsPerRound, int evalPrompts, int steps, double beta,
                          double learningRate, int threads, long seed, boolean fresh, boolean monitor, int monitorPort,
                          Duration roundTimeout, Path baseModel, Path rewardManifest, Path promptFile,
                          java.util.Map<String, String> overrides) {
    public DemoOptions {
        positive("--rounds", rounds);
        positive("--pairs-per-round", pairsPerRound);
        positive("--eval-prompts", evalPrompts);
        positive("--steps", steps);
        positive("--threads", threads);
        if (!(beta > 0)) {
            throw new IllegalArgumentException("--beta must be positive, got " + beta);
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("--lr must be positive, got " + learningRate);
        }
        overrides = java.util.Map.copyOf(overrides);
        overrides.keySet().forEach(k -> {
            if (!k.startsWith("alignloop.") && !k.startsWith("micronaut.")) {
                throw new IllegalArgumentException("--set " + k + ": only alignloop.* and micronaut.* keys are service configuration");
            }
        });
        if (monitorPort < 0 || monitorPort > 65535) {
            throw new IllegalArgumentException("--monitor-port must be 0..65535, got " + monitorPort);
        }
    }

    private static void positive(String option, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(option + " must be at least 1, got " + v);
        }
    }
}
