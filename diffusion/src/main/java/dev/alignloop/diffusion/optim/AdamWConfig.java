package dev.alignloop.diffusion.optim;

/**
 * AdamW hyper-parameters with PyTorch's defaults ({@code betas=(0.9, 0.999), eps=1e-8,
 * weight_decay=1e-2}).
 */
public record AdamWConfig(double beta1, double beta2, double eps, double weightDecay) {
    public AdamWConfig {
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new IllegalArgumentException("beta1 must be in [0, 1), got " + beta1);
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("beta2 must be in [0, 1), got " + beta2);
        }
        if (!(eps >= 0)) {
            throw new IllegalArgumentException("eps must be >= 0, got " + eps);
        }
        if (!(weightDecay >= 0)) {
            throw new IllegalArgumentException("weight_decay must be >= 0, got " + weightDecay);
        }
    }

    /** PyTorch's defaults. */
    public static AdamWConfig defaults() {
        return new AdamWConfig(0.9, 0.999, 1e-8, 1e-2);
    }

    public AdamWConfig withWeightDecay(double wd) {
        return new AdamWConfig(beta1, beta2, eps, wd);
    }
}
