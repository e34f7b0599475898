package dev.alignloop.diffusion.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.alignloop.diffusion.nn.Parameter;
import dev.alignloop.diffusion.pretrained.ModelIndex;
import dev.alignloop.diffusion.pretrained.TinyPolicyFolder;
import dev.alignloop.diffusion.unet.UNet2DConditionModel;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** The tiny random pixel-space policy (attention at the lower resolution and in the mid block) and inputs for it. */
final class LoraFixtures {
    static final int SIZE = 8;
    static final int TOKENS = 6;

    private LoraFixtures() {
    }

    /** Writes the tiny policy folder; returns its {@code unet/} folder. */
    static Path unetDir(Path tmp) {
        return TinyPolicyFolder.write(tmp.resolve("tiny"), SIZE, List.of("red", "circle"), 11).resolve(ModelIndex.UNET);
    }

    /** A float array with values from N(0, std²), deterministic in {@code seed}, PyTorch-owned. */
    static NDArray normal(NDManager m, long seed, double std, long... shape) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[Math.toIntExact(new Shape(shape).size())];
        for (int i = 0; i < v.length; i++) {
            double u1 = 1.0 - r.nextDouble();
            double u2 = r.nextDouble();
            v[i] = (float) (std * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
        }
        try (NDArray a = m.create(v, new Shape(shape))) {
            return a.duplicate(); // not a view of a Java buffer
        }
    }

    /** {@code unet(sample, t, context).sample} for fixed inputs, on the host. */
    static float[] predict(UNet2DConditionModel unet, NDManager m) {
        try (NDManager s = m.newSubManager()) {
            NDArray sample = normal(s, 1, 1, 2, 3, SIZE, SIZE);
            NDArray t = s.create(new long[] {10, 700});
            NDArray context = normal(s, 2, 1, 2, TOKENS, TinyPolicyFolder.HIDDEN);
            return unet.forward(sample, t, context, null).toFloatArray();
        }
    }

    /** Host copies of every parameter. */
    static Map<String, float[]> snapshot(Map<String, Parameter> params) {
        Map<String, float[]> out = new LinkedHashMap<>();
        params.forEach((k, p) -> out.put(k, p.array().toFloatArray()));
        return out;
    }

    /** Gives every {@code lora_B} N(0, std²) values, so the adapters change the output. */
    static void randomizeB(LoraAdapters lora, NDManager m, double std) {
        long seed = 100;
        for (LoraLinear l : lora.layers().values()) {
            try (NDArray b = normal(m, seed++, std, l.loraB().shape().getShape())) {
                l.loraB().set(b);
            }
        }
    }

    static double maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("lengths " + a.length + " vs " + b.length);
        }
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }
}
