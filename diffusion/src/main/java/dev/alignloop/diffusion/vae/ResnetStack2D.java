package dev.alignloop.diffusion.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.alignloop.diffusion.blocks.Downsample2D;
import dev.alignloop.diffusion.blocks.ResnetBlock2D;
import dev.alignloop.diffusion.blocks.Upsample2D;
import dev.alignloop.diffusion.nn.Activation;
import dev.alignloop.diffusion.nn.Module;
import dev.alignloop.diffusion.nn.ModuleList;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * diffusers' {@code DownEncoderBlock2D} ({@link #downEncoder}) and {@code UpDecoderBlock2D}
 * ({@link #upDecoder}), which differ only in their sampler: {@code resnets.i} (no time embedding),
 * then, except on the last level, {@code downsamplers.0} or {@code upsamplers.0}.
 *
 * @param <S> the sampler module type
 */
final class ResnetStack2D<S extends Module> extends Module {
    /** The VAE's {@code resnet_eps} (diffusers' {@code Encoder}/{@code Decoder} pass 1e-6). */
    static final float EPS = 1e-6f;

    private final ModuleList<ResnetBlock2D> resnets;
    private final ModuleList<S> samplers; // null on the last level
    private final BiFunction<S, NDArray, NDArray> sample;

    private ResnetStack2D(NDManager manager, int in, int out, int layers, int groups, Activation act,
                          String samplersName, Supplier<S> sampler, BiFunction<S, NDArray, NDArray> sample) {
        this.resnets = register("resnets", new ModuleList<>());
        for (int i = 0; i < layers; i++) {
            // ResnetBlock2D(in_channels=input_channels, out_channels, temb_channels=None, eps=resnet_eps, dropout=0.0,
            //               groups=resnet_groups, output_scale_factor=1.0)
            resnets.add(new ResnetBlock2D(manager, i == 0 ? in : out, out, null, groups, EPS, 0f, act, 1.0));
        }
        this.samplers = sampler == null ? null : register(samplersName, new ModuleList<>());
        if (samplers != null) {
            samplers.add(sampler.get());
        }
        this.sample = sample;
    }

    /** {@code DownEncoderBlock2D}, ending in {@code Downsample2D(use_conv=True, padding=0)} unless last. */
    static ResnetStack2D<Downsample2D> downEncoder(NDManager manager, int in, int out, int layers, int groups,
                                                   Activation act, boolean downsample) {
        return new ResnetStack2D<>(manager, in, out, layers, groups, act, "downsamplers",
                downsample ? () -> new Downsample2D(manager, out, 0) : null, Downsample2D::forward);
    }

    /** {@code UpDecoderBlock2D}, ending in {@code Upsample2D(use_conv=True)} unless last. */
    static ResnetStack2D<Upsample2D> upDecoder(NDManager manager, int in, int out, int layers, int groups,
                                               Activation act, boolean upsample) {
        return new ResnetStack2D<>(manager, in, out, layers, groups, act, "upsamplers",
                upsample ? () -> new Upsample2D(manager, out) : null, Upsample2D::forward);
    }

    /** x [B, in, H, W] → [B, out, H', W']. */
    NDArray forward(NDArray x) {
        NDArray h = null;
        for (ResnetBlock2D r : resnets) {
            NDArray next = r.forward(h == null ? x : h);
            if (h != null) {
                h.close();
            }
            h = next;
        }
        if (samplers != null) {
            try (NDArray prev = h) {
                h = sample.apply(samplers.get(0), prev);
            }
        }
        return h;
    }
}
