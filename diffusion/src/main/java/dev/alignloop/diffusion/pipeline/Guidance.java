package dev.alignloop.diffusion.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/** Classifier-free guidance (arXiv:2207.12598) and its rescaling (arXiv:2305.08891, section 3.4). */
final class Guidance {
    private Guidance() {
    }

    /**
     * {@code noise_pred_uncond, noise_pred_text = noise_pred.chunk(2)};
     * {@code noise_pred_uncond + guidance_scale * (noise_pred_text - noise_pred_uncond)}, then
     * {@code rescale_noise_cfg} when {@code rescale > 0}.
     *
     * @param prediction (2B, ...) unconditional rows first
     * @param scale guidance scale
     * @param rescale guidance rescale phi
     * @return (B, ...) the guided prediction
     */
    static NDArray apply(NDArray prediction, double scale, double rescale) {
        NDList halves = prediction.split(2);
        NDArray uncond = halves.get(0);
        NDArray text = halves.get(1);
        NDArray guided = uncond.add(text.sub(uncond).mul((float) scale));
        return rescale > 0 ? rescale(guided, text, rescale) : guided;
    }

    /**
     * {@code rescale_noise_cfg}: match the per-sample standard deviation of the guided prediction to the
     * text prediction's, then blend: {@code phi * rescaled + (1 - phi) * cfg}.
     */
    static NDArray rescale(NDArray cfg, NDArray text, double phi) {
        NDArray stdText = std(text);
        NDArray stdCfg = std(cfg);
        NDArray rescaled = cfg.mul(stdText.div(stdCfg)); // noise_cfg * (std_text / std_cfg)
        return rescaled.mul((float) phi).add(cfg.mul((float) (1 - phi)));
    }

    /** {@code x.std(dim=[1, ..., n-1], keepdim=True)} with Bessel's correction, as torch's default. */
    private static NDArray std(NDArray x) {
        long b = x.getShape().get(0);
        long n = x.getShape().size() / b;
        long[] keep = new long[x.getShape().dimension()];
        Arrays.fill(keep, 1);
        keep[0] = b;
        NDArray flat = x.reshape(b, n);
        NDArray centered = flat.sub(flat.mean(new int[] {1}, true));
        return centered.square().sum(new int[] {1}, true).div((float) (n - 1)).sqrt().reshape(new Shape(keep));
    }
}
