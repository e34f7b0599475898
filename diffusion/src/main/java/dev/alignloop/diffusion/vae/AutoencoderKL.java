package dev.alignloop.diffusion.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.alignloop.diffusion.nn.Conv2d;
import dev.alignloop.diffusion.nn.ModelLoadException;
import dev.alignloop.diffusion.nn.Module;
import dev.alignloop.diffusion.pretrained.ComponentLayout;
import dev.alignloop.diffusion.pretrained.ModelFiles;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * diffusers' {@code AutoencoderKL} (the Stable Diffusion VAE), loaded from and saved to a
 * {@code vae/} folder ({@code config.json} + {@code diffusion_pytorch_model.safetensors}) with
 * diffusers' parameter names ({@code encoder.down_blocks.0.resnets.0.conv1.weight}, ...,
 * {@code quant_conv.weight}, {@code post_quant_conv.weight}).
 *
 * <p>Images are [B, C, H, W] in [-1, 1]; latents here are unscaled (what {@code latent_dist} and
 * {@code decode} use). The UNet works on scaled latents: {@link #toLatents} and {@link #fromLatents}
 * apply {@code scaling_factor} (and {@code shift_factor} when the config has one) the way the
 * diffusers pipelines and training scripts do. No tiling or slicing: memory grows with H*W.
 * All results are placed in the manager of the input array.
 */
public final class AutoencoderKL extends Module {
    /** Weights file name in the folder. */
    public static final String WEIGHTS = "diffusion_pytorch_model.safetensors";
    /** Config file name in the folder. */
    public static final String CONFIG = "config.json";

    private final AutoencoderKLConfig config;
    private final Encoder encoder;
    private final Decoder decoder;
    private final Conv2d quantConv;      // (2 * latent, 2 * latent, 1, 1) or null
    private final Conv2d postQuantConv;  // (latent, latent, 1, 1) or null

    /** A model with zero/one-filled parameters in {@code manager} (use {@link #random} or load). */
    public AutoencoderKL(AutoencoderKLConfig config, NDManager manager) {
        this.config = config;
        int z = config.latentChannels();
        this.encoder = register("encoder", new Encoder(manager, config));
        this.decoder = register("decoder", new Decoder(manager, config));
        this.quantConv = config.hasQuantConv() ? register("quant_conv", new Conv2d(manager, 2L * z, 2L * z, 1, 1, 0)) : null;
        this.postQuantConv = config.hasPostQuantConv() ? register("post_quant_conv", new Conv2d(manager, z, z, 1, 1, 0)) : null;
        eval();
    }

    /** A model initialised deterministically from {@code seed} (for tests and tiny worlds). */
    public static AutoencoderKL random(AutoencoderKLConfig config, long seed, NDManager manager) {
        AutoencoderKL m = new AutoencoderKL(config, manager);
        m.initialize(seed);
        return m;
    }

    /**
     * Loads {@code dir/config.json} and {@code dir/diffusion_pytorch_model.safetensors} strictly
     * (deprecated attention names are converted as diffusers does, see {@link LegacyAttentionNames}).
     *
     * @throws dev.alignloop.diffusion.pretrained.DiffusersFolderException if files are missing
     * @throws dev.alignloop.diffusion.pretrained.ConfigException if the config is invalid
     * @throws ModelLoadException naming missing, unexpected or mis-shaped tensors
     */
    public static AutoencoderKL fromPretrained(Path dir, NDManager manager) {
        ComponentLayout.DIFFUSERS_MODEL.requireValid(dir);
        AutoencoderKLConfig config = AutoencoderKLConfig.read(dir.resolve(CONFIG));
        AutoencoderKL model = new AutoencoderKL(config, manager);
        ModelFiles.loadStrict(model, dir.resolve(WEIGHTS), manager, LegacyAttentionNames::convert);
        return model;
    }

    /** Writes {@code dir/config.json} and the weights (names sorted, {@code format: pt}). */
    public void save(Path dir) {
        ModelFiles.save(this, dir, CONFIG, config::write, WEIGHTS);
    }

    /** The configuration. */
    public AutoencoderKLConfig config() {
        return config;
    }

    /** images [B, in, H, W] in [-1, 1] → the posterior ({@code vae.encode(x).latent_dist}). */
    public LatentDistribution encode(NDArray images) {
        checkChannels("images", images, config.inChannels());
        NDArray[] parts = scoped(images, x -> {
            NDArray h = encoder.forward(x);
            NDArray moments = quantConv == null ? h : quantConv.forward(h);
            // mean, logvar = torch.chunk(parameters, 2, dim=1); logvar = torch.clamp(logvar, -30.0, 20.0)
            NDList halves = moments.split(2, 1);
            return new NDArray[] {halves.get(0), halves.get(1).clip(-30.0f, 20.0f)};
        });
        return new LatentDistribution(parts[0], parts[1]);
    }

    /** {@code vae.encode(images).latent_dist.mean}: [B, latent, H / f, W / f], unscaled. */
    public NDArray encodeMean(NDArray images) {
        LatentDistribution d = encode(images);
        d.logvar().close();
        return d.mean();
    }

    /** {@code latent_dist.sample()} with host noise from {@code seed} (see {@link LatentDistribution#sample(long)}). */
    public NDArray encodeSample(NDArray images, long seed) {
        try (LatentDistribution d = encode(images)) {
            return d.sample(seed);
        }
    }

    /** {@code vae.decode(latents).sample}: unscaled latents [B, latent, h, w] → images [B, out, h * f, w * f]. */
    public NDArray decode(NDArray latents) {
        checkChannels("latents", latents, config.latentChannels());
        return scoped(latents, z -> {
            NDArray h = postQuantConv == null ? z : postQuantConv.forward(z);
            return new NDArray[] {decoder.forward(h)};
        })[0];
    }

    /** UNet-space latents of {@code images}: {@code (latent_dist.mean - shift_factor) * scaling_factor}. */
    public NDArray toLatents(NDArray images) {
        try (NDArray mean = encodeMean(images)) {
            return scale(mean);
        }
    }

    /** {@code (latents - shift_factor) * scaling_factor} for unscaled latents. */
    public NDArray scale(NDArray latents) {
        float s = config.scalingFactor().floatValue();
        if (config.shift() == 0) {
            return latents.mul(s);
        }
        try (NDArray shifted = latents.sub((float) config.shift())) {
            return shifted.mul(s);
        }
    }

    /** Images from UNet-space latents: {@code decode(latents / scaling_factor + shift_factor)}. */
    public NDArray fromLatents(NDArray scaledLatents) {
        try (NDArray z = unscale(scaledLatents)) {
            return decode(z);
        }
    }

    /** {@code latents / scaling_factor + shift_factor}. */
    public NDArray unscale(NDArray scaledLatents) {
        NDArray z = scaledLatents.div(config.scalingFactor().floatValue());
        if (config.shift() == 0) {
            return z;
        }
        try (z) {
            return z.add((float) config.shift());
        }
    }

    private static void checkChannels(String what, NDArray x, int channels) {
        Shape s = x.getShape();
        if (s.dimension() != 4 || s.get(1) != channels) {
            throw new IllegalArgumentException(what + " must be [B, " + channels + ", H, W], got " + s);
        }
    }

    /**
     * Runs {@code body} on a view of {@code input} in a sub-manager, so every intermediate is
     * released, and moves the returned arrays to the input's manager.
     */
    private static NDArray[] scoped(NDArray input, Function<NDArray, NDArray[]> body) {
        NDManager caller = input.getManager();
        try (NDManager scope = caller.newSubManager()) {
            NDArray x = input.reshape(input.getShape()); // a new handle we may attach to the scope
            x.attach(scope);
            NDArray[] out = body.apply(x);
            for (NDArray a : out) {
                a.attach(caller);
            }
            return out;
        }
    }
}
