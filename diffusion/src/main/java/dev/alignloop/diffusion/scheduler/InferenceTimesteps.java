package dev.alignloop.diffusion.scheduler;

/** The {@code set_timesteps} spacing formulas of diffusers v0.25.0, per scheduler family. */
final class InferenceTimesteps {
    private InferenceTimesteps() {
    }

    static void checkSteps(SchedulerConfig c, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("num_inference_steps must be >= 1, got " + n);
        }
        if (n > c.numTrainTimesteps()) {
            throw new IllegalArgumentException("num_inference_steps " + n + " cannot be larger than num_train_timesteps "
                    + c.numTrainTimesteps());
        }
    }

    /** DDPM and DDIM (int64 timesteps). */
    static long[] ddim(SchedulerConfig c, int n) {
        checkSteps(c, n);
        int train = c.numTrainTimesteps();
        long[] t = new long[n];
        switch (c.timestepSpacing()) {
            case LINSPACE -> {
                // np.linspace(0, T - 1, n).round()[::-1].astype(np.int64)
                double[] l = ReferenceMath.npLinspace(0, train - 1, n);
                for (int i = 0; i < n; i++) {
                    t[i] = ReferenceMath.npRoundToLong(l[n - 1 - i]);
                }
            }
            case LEADING -> {
                // (np.arange(0, n) * (T // n)).round()[::-1] + steps_offset
                int ratio = train / n;
                for (int i = 0; i < n; i++) {
                    t[i] = (long) (n - 1 - i) * ratio + c.stepsOffset();
                }
            }
            case TRAILING -> {
                // np.round(np.arange(T, 0, -T / n)).astype(np.int64) - 1
                return trailing(train, (double) train / n, 0);
            }
            default -> throw new IllegalStateException();
        }
        return t;
    }

    /** Euler: float32 timesteps, linspace not rounded. */
    static float[] euler(SchedulerConfig c, int n) {
        checkSteps(c, n);
        int train = c.numTrainTimesteps();
        float[] t = new float[n];
        switch (c.timestepSpacing()) {
            case LINSPACE -> {
                // np.linspace(0, T - 1, n, dtype=np.float32)[::-1]
                double[] l = ReferenceMath.npLinspace(0, train - 1, n);
                for (int i = 0; i < n; i++) {
                    t[i] = (float) l[n - 1 - i];
                }
            }
            case LEADING -> {
                int ratio = train / n;
                for (int i = 0; i < n; i++) {
                    t[i] = (float) ((long) (n - 1 - i) * ratio) + c.stepsOffset();
                }
            }
            case TRAILING -> {
                // (np.arange(T, 0, -T / n)).round().astype(np.float32) - 1
                long[] l = trailing(train, (double) train / n, 0);
                t = new float[l.length];
                for (int i = 0; i < l.length; i++) {
                    t[i] = (float) l[i];
                }
            }
            default -> throw new IllegalStateException();
        }
        return t;
    }

    /** DPM-Solver: n + 1 points with the last dropped, up to {@code lastTimestep} (lambda clipping). */
    static long[] dpmSolver(SchedulerConfig c, int n, int lastTimestep) {
        if (n < 1) {
            throw new IllegalArgumentException("num_inference_steps must be >= 1, got " + n);
        }
        long[] t = new long[n];
        switch (c.timestepSpacing()) {
            case LINSPACE -> {
                // np.linspace(0, last - 1, n + 1).round()[::-1][:-1].astype(np.int64)
                double[] l = ReferenceMath.npLinspace(0, lastTimestep - 1, n + 1);
                for (int i = 0; i < n; i++) {
                    t[i] = ReferenceMath.npRoundToLong(l[n - i]);
                }
            }
            case LEADING -> {
                // (np.arange(0, n + 1) * (last // (n + 1))).round()[::-1][:-1] + steps_offset
                int ratio = lastTimestep / (n + 1);
                for (int i = 0; i < n; i++) {
                    t[i] = (long) (n - i) * ratio + c.stepsOffset();
                }
            }
            case TRAILING -> {
                // np.arange(last, 0, -T / n).round().astype(np.int64) - 1
                return trailing(lastTimestep, (double) c.numTrainTimesteps() / n, 0);
            }
            default -> throw new IllegalStateException();
        }
        return t;
    }

    private static long[] trailing(double start, double ratio, double stop) {
        double[] a = ReferenceMath.npArange(start, stop, -ratio);
        long[] t = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            t[i] = ReferenceMath.npRoundToLong(a[i]) - 1;
        }
        return t;
    }
}
