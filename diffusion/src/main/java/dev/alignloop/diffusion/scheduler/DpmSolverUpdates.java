package dev.alignloop.diffusion.scheduler;

import ai.djl.ndarray.NDArray;

/**
 * The multistep updates of {@code DPMSolverMultistepScheduler} at one step index. Scalars are float32 as
 * diffusers' 0-dim tensors; each tensor expression keeps the reference's order of operations.
 */
final class DpmSolverUpdates {
    private final boolean plusPlus;
    private final boolean heun;
    private final float[] sigmas;
    private final int i;

    DpmSolverUpdates(SchedulerConfig config, float[] sigmas, int stepIndex) {
        this.plusPlus = config.algorithmType() == AlgorithmType.DPMSOLVER_PLUS_PLUS;
        this.heun = config.solverType() == SolverType.HEUN;
        this.sigmas = sigmas;
        this.i = stepIndex;
    }

    /** alpha_t = 1 / ((sigma**2 + 1) ** 0.5). */
    private static float alpha(float sigma) {
        return 1 / ReferenceMath.sqrt(sigma * sigma + 1);
    }

    /** lambda = log(alpha_t) - log(sigma_t) with sigma_t = sigma * alpha_t. */
    private static float lambda(float sigma) {
        float a = alpha(sigma);
        return ReferenceMath.log(a) - ReferenceMath.log(sigma * a);
    }

    /** {@code dpm_solver_first_order_update} (DDIM in lambda). */
    NDArray firstOrder(NDArray m, NDArray sample) {
        float sigmaT = sigmas[i + 1];
        float sigmaS = sigmas[i];
        float alphaT = alpha(sigmaT);
        float alphaS = alpha(sigmaS);
        float h = lambda(sigmaT) - lambda(sigmaS);
        if (plusPlus) {
            // (sigma_t / sigma_s) * sample - (alpha_t * (torch.exp(-h) - 1.0)) * model_output
            float c1 = (sigmaT * alphaT) / (sigmaS * alphaS);
            float c2 = alphaT * (ReferenceMath.exp(-h) - 1.0f);
            return sample.mul(c1).sub(m.mul(c2));
        }
        // (alpha_t / alpha_s) * sample - (sigma_t * (torch.exp(h) - 1.0)) * model_output
        float c1 = alphaT / alphaS;
        float c2 = (sigmaT * alphaT) * (ReferenceMath.exp(h) - 1.0f);
        return sample.mul(c1).sub(m.mul(c2));
    }

    /** {@code multistep_dpm_solver_second_order_update}; m0 is the newest output, m1 the previous one. */
    NDArray secondOrder(NDArray m0, NDArray m1, NDArray sample) {
        float sigmaT = sigmas[i + 1];
        float sigmaS0 = sigmas[i];
        float sigmaS1 = sigmas[i - 1];
        float alphaT = alpha(sigmaT);
        float alphaS0 = alpha(sigmaS0);
        float lambdaS0 = lambda(sigmaS0);
        float h = lambda(sigmaT) - lambdaS0;
        float h0 = lambdaS0 - lambda(sigmaS1);
        float r0 = h0 / h;
        // D0, D1 = m0, (1.0 / r0) * (m0 - m1)
        NDArray d1 = m0.sub(m1).mul(1.0f / r0);
        float sT = sigmaT * alphaT;
        if (plusPlus) {
            float c1 = sT / (sigmaS0 * alphaS0);
            float e = ReferenceMath.exp(-h) - 1.0f;
            float c2 = alphaT * e;
            NDArray x = sample.mul(c1).sub(m0.mul(c2));
            if (heun) {
                // + (alpha_t * ((torch.exp(-h) - 1.0) / h + 1.0)) * D1
                return x.add(d1.mul(alphaT * (e / h + 1.0f)));
            }
            return x.sub(d1.mul(0.5f * c2)); // - 0.5 * (alpha_t * (torch.exp(-h) - 1.0)) * D1
        }
        float c1 = alphaT / alphaS0;
        float e = ReferenceMath.exp(h) - 1.0f;
        float c2 = sT * e;
        NDArray x = sample.mul(c1).sub(m0.mul(c2));
        if (heun) {
            return x.sub(d1.mul(sT * (e / h - 1.0f))); // - (sigma_t * ((torch.exp(h) - 1.0) / h - 1.0)) * D1
        }
        return x.sub(d1.mul(0.5f * c2)); // - 0.5 * (sigma_t * (torch.exp(h) - 1.0)) * D1
    }

    /** {@code multistep_dpm_solver_third_order_update}; m0 newest, m2 oldest. */
    NDArray thirdOrder(NDArray m0, NDArray m1, NDArray m2, NDArray sample) {
        float sigmaT = sigmas[i + 1];
        float sigmaS0 = sigmas[i];
        float alphaT = alpha(sigmaT);
        float alphaS0 = alpha(sigmaS0);
        float lambdaS0 = lambda(sigmaS0);
        float lambdaS1 = lambda(sigmas[i - 1]);
        float h = lambda(sigmaT) - lambdaS0;
        float h0 = lambdaS0 - lambdaS1;
        float h1 = lambdaS1 - lambda(sigmas[i - 2]);
        float r0 = h0 / h;
        float r1 = h1 / h;
        NDArray d10 = m0.sub(m1).mul(1.0f / r0); // (1.0 / r0) * (m0 - m1)
        NDArray d11 = m1.sub(m2).mul(1.0f / r1); // (1.0 / r1) * (m1 - m2)
        NDArray diff = d10.sub(d11);
        NDArray d1 = d10.add(diff.mul(r0 / (r0 + r1))); // D1_0 + (r0 / (r0 + r1)) * (D1_0 - D1_1)
        NDArray d2 = diff.mul(1.0f / (r0 + r1)); // (1.0 / (r0 + r1)) * (D1_0 - D1_1)
        float sT = sigmaT * alphaT;
        if (plusPlus) {
            float e = ReferenceMath.exp(-h) - 1.0f;
            return sample.mul(sT / (sigmaS0 * alphaS0))
                    .sub(m0.mul(alphaT * e))
                    .add(d1.mul(alphaT * (e / h + 1.0f)))
                    .sub(d2.mul(alphaT * ((e + h) / (h * h) - 0.5f))); // (exp(-h) - 1.0 + h) / h**2 - 0.5
        }
        float e = ReferenceMath.exp(h) - 1.0f;
        return sample.mul(alphaT / alphaS0)
                .sub(m0.mul(sT * e))
                .sub(d1.mul(sT * (e / h - 1.0f)))
                .sub(d2.mul(sT * ((e - h) / (h * h) - 0.5f))); // (exp(h) - 1.0 - h) / h**2 - 0.5
    }
}
