package dev.alignloop.diffusion.optim;

import java.util.Arrays;
import java.util.Locale;

/**
 * Learning-rate schedules of diffusers' {@code get_scheduler} (PyTorch {@code LambdaLR}
 * multipliers of the base rate).
 *
 * <p>{@code step} counts scheduler steps taken so far, as PyTorch does: the first optimizer step
 * runs at {@code multiplier(0)} (zero under warmup), the {@code k}-th at {@code multiplier(k - 1)}.
 * The official Diffusion-DPO script passes {@code lr_warmup_steps * gradient_accumulation_steps}
 * and {@code max_train_steps * gradient_accumulation_steps} because it steps the scheduler on
 * every micro-batch; counting optimizer steps instead, pass the plain numbers.
 *
 * @param kind the schedule shape
 * @param warmupSteps linear warmup length ({@code num_warmup_steps})
 * @param trainingSteps total steps ({@code num_training_steps}); used by cosine and linear
 * @param numCycles cosine waves ({@code num_cycles}, diffusers' default 0.5: a half cosine to 0)
 */
public record LrSchedule(Kind kind, int warmupSteps, int trainingSteps, double numCycles) {

    /** Schedule names as in diffusers' {@code SchedulerType}. */
    public enum Kind {
        CONSTANT("constant"),
        CONSTANT_WITH_WARMUP("constant_with_warmup"),
        COSINE("cosine"),
        LINEAR("linear");

        private final String configName;

        Kind(String configName) {
            this.configName = configName;
        }

        public String configName() {
            return configName;
        }

        /** Parses a diffusers scheduler name ({@code constant_with_warmup}, ...). */
        public static Kind parse(String name) {
            for (Kind k : values()) {
                if (k.configName.equals(name.trim().toLowerCase(Locale.ROOT))) {
                    return k;
                }
            }
            throw new IllegalArgumentException("lr_scheduler '" + name + "' is not one of "
                    + Arrays.stream(values()).map(Kind::configName).toList());
        }
    }

    public LrSchedule {
        if (kind == null) {
            throw new IllegalArgumentException("lr_scheduler is required");
        }
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("lr_warmup_steps must be >= 0, got " + warmupSteps);
        }
        if ((kind == Kind.COSINE || kind == Kind.LINEAR) && trainingSteps <= 0) {
            throw new IllegalArgumentException("lr_scheduler " + kind.configName() + " needs max_train_steps > 0, got " + trainingSteps);
        }
        if (kind == Kind.CONSTANT && warmupSteps != 0) {
            throw new IllegalArgumentException("lr_scheduler constant takes no warmup (lr_warmup_steps=" + warmupSteps
                    + "); use constant_with_warmup");
        }
        if (!(numCycles > 0)) {
            throw new IllegalArgumentException("num_cycles must be > 0, got " + numCycles);
        }
    }

    public static LrSchedule constant() {
        return new LrSchedule(Kind.CONSTANT, 0, 0, 0.5);
    }

    public static LrSchedule constantWithWarmup(int warmupSteps) {
        return new LrSchedule(Kind.CONSTANT_WITH_WARMUP, warmupSteps, 0, 0.5);
    }

    public static LrSchedule cosine(int warmupSteps, int trainingSteps) {
        return new LrSchedule(Kind.COSINE, warmupSteps, trainingSteps, 0.5);
    }

    public static LrSchedule linear(int warmupSteps, int trainingSteps) {
        return new LrSchedule(Kind.LINEAR, warmupSteps, trainingSteps, 0.5);
    }

    /** The {@code lr_lambda} value after {@code step} scheduler steps. */
    public double multiplier(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + step);
        }
        if (kind == Kind.CONSTANT) {
            return 1.0;
        }
        if (step < warmupSteps) {
            // return float(current_step) / float(max(1.0, num_warmup_steps))
            return (double) step / Math.max(1.0, warmupSteps);
        }
        return switch (kind) {
            case CONSTANT_WITH_WARMUP -> 1.0;
            case COSINE -> {
                // progress = (step - warmup) / max(1, total - warmup); max(0, 0.5 * (1 + cos(pi * num_cycles * 2 * progress)))
                double progress = (double) (step - warmupSteps) / Math.max(1, trainingSteps - warmupSteps);
                yield Math.max(0.0, 0.5 * (1.0 + Math.cos(Math.PI * numCycles * 2.0 * progress)));
            }
            case LINEAR -> Math.max(0.0, (double) (trainingSteps - step) / Math.max(1, trainingSteps - warmupSteps));
            case CONSTANT -> 1.0;
        };
    }

    /** {@code baseLr * multiplier(step)}. */
    public double lr(double baseLr, long step) {
        return baseLr * multiplier(step);
    }

    /**
     * {@code --scale_lr} of the official script: {@code lr * gradient_accumulation_steps *
     * train_batch_size * num_processes} — the paper's 1e-8 at an effective batch of 2048 gives
     * 2.048e-5.
     */
    public static double scaleLr(double lr, int gradientAccumulationSteps, int trainBatchSize, int numProcesses) {
        if (gradientAccumulationSteps < 1 || trainBatchSize < 1 || numProcesses < 1) {
            throw new IllegalArgumentException("gradient_accumulation_steps, train_batch_size and num_processes must be >= 1");
        }
        return lr * gradientAccumulationSteps * trainBatchSize * numProcesses;
    }
}
