package dev.alignloop.cli.demo;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The configuration the demo gives each service: the same keys a Kubernetes deployment sets
 * through environment variables, with values sized for the tiny embedded world on 2 cores.
 */
final class DemoSettings {
    static final String GENERATOR_GROUP = "alignloop-generator";
    static final String SCORER_GROUP = "alignloop-scorer";
    static final String TRAINER_GROUP = "alignloop-trainer";
    /** Prompts per generator transaction. */
    static final int BATCH = 8;
    /**
     * Pairs per DPO micro-batch: half a default round. Batches of 8 gave gradients so noisy that
     * later rounds undid the first round's gain (docs/results.md); 32 held it.
     */
    static final int TRAINER_BATCH = 32;
    /** Longest wait for a micro-batch to fill: about the time the generator takes for 32 pairs. */
    static final String TRAINER_LINGER = "60s";
    /**
     * DPO passes over each batch (fresh noise and timesteps each): the trainer would otherwise idle
     * while the generator, the slow part on CPU, makes the next batch.
     */
    static final int PASSES = 4;

    private DemoSettings() {
    }

    static Map<String, String> forService(ServiceKind kind, DemoOptions opt, Path home, Path state, Path checkpoints) {
        String base = home.resolve(opt.baseModel()).toAbsolutePath().toString();
        String reward = home.resolve(opt.rewardManifest()).toAbsolutePath().toString();
        Map<String, String> p = new LinkedHashMap<>();
        switch (kind) {
            case GENERATOR -> {
                p.put("alignloop.generator.model-dir", base);
                p.put("alignloop.generator.checkpoint-dir", checkpoints.toString());
                p.put("alignloop.generator.batch-size", String.valueOf(BATCH));
                p.put("alignloop.generator.steps", String.valueOf(opt.steps()));
                p.put("alignloop.generator.instance-id", "demo");
            }
            case SCORER -> {
                p.put("alignloop.scorer.models", reward);
                p.put("alignloop.scorer.instance-id", "demo");
            }
            case TRAINER -> {
                p.put("alignloop.trainer.model-dir", base);
                p.put("alignloop.trainer.checkpoint-dir", checkpoints.toString());
                p.put("alignloop.trainer.beta", String.valueOf(opt.beta()));
                p.put("alignloop.trainer.learning-rate", String.valueOf(opt.learningRate()));
                p.put("alignloop.trainer.scale-lr", "false");
                p.put("alignloop.trainer.lr-warmup-steps", "0");
                p.put("alignloop.trainer.batch-size", String.valueOf(TRAINER_BATCH));
                p.put("alignloop.trainer.passes-per-batch", String.valueOf(PASSES));
                // One checkpoint per round (one eval each): after the round's last labels, a partial
                // batch is trained once the linger passes, and the idle checkpoint closes the round.
                // The idle time must exceed the gap between the generator's batches of pairs.
                p.put("alignloop.trainer.checkpoint-every-steps", "100000");
                p.put("alignloop.trainer.checkpoint-max-interval", "10m");
                p.put("alignloop.trainer.checkpoint-when-idle", "30s");
                p.put("alignloop.trainer.batch-linger", TRAINER_LINGER);
            }
            case GATE -> {
                p.put("alignloop.gate.base-model-dir", base);
                p.put("alignloop.gate.reward-manifest", reward);
                p.put("alignloop.gate.checkpoint-dir", checkpoints.toString());
                p.put("alignloop.gate.prompt-count", String.valueOf(opt.evalPrompts()));
                p.put("alignloop.gate.steps", String.valueOf(opt.steps()));
                p.put("alignloop.gate.grid-dir", state.resolve("evals").toAbsolutePath().toString());
                p.put("alignloop.gate.instance-id", "demo");
            }
        }
        return p;
    }

    /** Heap per service: the tensors live off-heap (PyTorch, ONNX Runtime). */
    static String heap(ServiceKind kind) {
        return switch (kind) {
            case SCORER -> "512m";
            case TRAINER -> "1g";
            default -> "768m";
        };
    }
}
