package dev.alignloop.diffusion.scheduler;

/** Sigma-space helpers Euler and DPM-Solver share ({@code _convert_to_karras}, {@code _sigma_to_t}, ...). */
final class SigmaMath {
    private SigmaMath() {
    }

    /**
     * {@code _convert_to_karras}: {@code (max^(1/rho) + ramp * (min^(1/rho) - max^(1/rho)))^rho} over
     * {@code ramp = np.linspace(0, 1, n)}, in float64 (Karras et al. 2022, eq. 5).
     */
    static double[] karras(double sigmaMin, double sigmaMax, int n, double rho) {
        double[] ramp = ReferenceMath.npLinspace(0, 1, n);
        double minInvRho = Math.pow(sigmaMin, 1 / rho);
        double maxInvRho = Math.pow(sigmaMax, 1 / rho);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = Math.pow(maxInvRho + ramp[i] * (minInvRho - maxInvRho), rho);
        }
        return out;
    }

    /**
     * {@code _sigma_to_t(sigma, log_sigmas)}: the fractional training timestep whose (log-linearly
     * interpolated) sigma is {@code sigma}.
     *
     * @param sigma the sigma
     * @param logSigmas float32 log of the training sigmas, ascending with t
     * @return t in float64
     */
    static double sigmaToT(double sigma, float[] logSigmas) {
        double logSigma = Math.log(Math.max(sigma, 1e-10));
        int n = logSigmas.length;
        // low_idx = np.cumsum(dists >= 0, axis=0).argmax(axis=0).clip(max=n - 2): the last i with log_sigmas[i] <= log_sigma
        int lowIdx = 0;
        for (int i = 0; i < n; i++) {
            if (logSigma - logSigmas[i] >= 0) {
                lowIdx = i;
            }
        }
        lowIdx = Math.min(lowIdx, n - 2);
        int highIdx = lowIdx + 1;
        double low = logSigmas[lowIdx];
        double high = logSigmas[highIdx];
        double w = (low - logSigma) / (low - high);
        w = Math.min(Math.max(w, 0), 1);
        return (1 - w) * lowIdx + w * highIdx;
    }

    /**
     * {@code _init_step_index}: the index of {@code t} in {@code timesteps}, the second match when there
     * are several (so image-to-image starting mid-schedule does not skip a sigma).
     *
     * @param lastIfMissing DPM-Solver's rule (the last index when {@code t} is absent); Euler fails instead
     */
    static int initStepIndex(float[] timesteps, float t, boolean lastIfMissing) {
        int first = -1;
        for (int i = 0; i < timesteps.length; i++) {
            if (timesteps[i] == t) {
                if (first >= 0) {
                    return i;
                }
                first = i;
            }
        }
        if (first >= 0) {
            return first;
        }
        if (lastIfMissing) {
            return timesteps.length - 1;
        }
        throw new IllegalArgumentException("timestep " + t + " is not one of the scheduler's timesteps");
    }
}
