package dev.alignloop.diffusion.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alignloop.diffusion.nn.F;
import dev.alignloop.diffusion.nn.GroupNorm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Per-op microbenchmarks at the pixel UNet's shapes (batch 16), to locate where the DJL side loses
 * time; {@code bench/op_bench.py} runs the same ops in PyTorch with the same names.
 *
 * <p>usage: {@code OpBench OUT.json [threads]}. Each op: median over 15 rounds of the mean of k calls,
 * in microseconds; the result of every call is closed, as the model code does.
 */
public final class OpBench {
    private OpBench() {
    }

    public static void main(String[] args) {
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        System.setProperty("ai.djl.offline", "true");
        Engine.getInstance();
        Map<String, Double> us = new LinkedHashMap<>();
        try (NDManager m = NDManager.newBaseManager()) {
            Random r = new Random(0);
            NDArray one = randn(m, r, 1);
            NDArray x64 = randn(m, r, 16, 64, 16, 16);
            NDArray x32 = randn(m, r, 16, 32, 32, 32);
            NDArray w64 = randn(m, r, 64, 64, 3, 3).mul(0.05f);
            NDArray w32 = randn(m, r, 32, 32, 3, 3).mul(0.05f);
            NDArray b64 = randn(m, r, 64);
            NDArray b32 = randn(m, r, 32);
            GroupNorm gn = new GroupNorm(m, 16, 64, 1e-5f, true);
            NDArray q = randn(m, r, 16, 4, 256, 16);
            NDArray k = randn(m, r, 16, 4, 256, 16);
            NDArray v = randn(m, r, 16, 4, 256, 16);
            NDArray tokens = randn(m, r, 16, 256, 64);
            NDArray wl = randn(m, r, 64, 64).mul(0.1f);
            us.put("tiny add [1] (per-call overhead)", time(2000, () -> one.add(one)));
            us.put("conv3x3 [16,64,16,16] 64->64", time(10, () -> F.conv2d(x64, w64, b64, 1, 1)));
            us.put("conv3x3 [16,32,32,32] 32->32", time(10, () -> F.conv2d(x32, w32, b32, 1, 1)));
            us.put("group_norm [16,64,16,16] G=16", time(20, () -> gn.forward(x64)));
            NDArray chw = b64.reshape(1, 64, 1, 1);
            NDArray g256 = x64.reshape(256, 1024);
            us.put("  layer_norm [256,1024] (inside group_norm)", time(20, () -> F.layerNorm(g256, null, null, 1e-5f)));
            us.put("  mul [16,64,16,16] * [1,64,1,1]", time(20, () -> x64.mul(chw)));
            NDArray gw = m.ones(new Shape(64));
            NDArray gb = m.zeros(new Shape(64));
            NDArray zeros = m.zeros(new Shape(64));
            NDArray ones = m.ones(new Shape(64));
            NDArray rm = m.zeros(new Shape(256));
            NDArray rv = m.ones(new Shape(256));
            NDArray one256 = m.ones(new Shape(256));
            NDArray zero256 = m.zeros(new Shape(256));
            us.put("  group_norm: layer_norm + batch_norm(eval) affine", time(20, () -> {
                try (NDArray g = x64.reshape(16, 16, -1); NDArray n = F.layerNorm(g, null, null, 1e-5f);
                     NDArray y = n.reshape(16, 64, 16, 16)) {
                    return affine(y, gw, gb, zeros, ones);
                }
            }));
            us.put("  group_norm: batch_norm(train) + batch_norm(eval)", time(20, () -> {
                try (NDArray g = x64.reshape(1, 256, -1);
                     NDArray n = JniUtils.batchNorm((PtNDArray) g, (PtNDArray) rm, (PtNDArray) rv, (PtNDArray) one256,
                             (PtNDArray) zero256, true, 0.0, 1e-5);
                     NDArray y = n.reshape(16, 64, 16, 16)) {
                    return affine(y, gw, gb, zeros, ones);
                }
            }));
            us.put("silu [16,64,16,16]", time(20, () -> F.silu(x64)));
            us.put("attention [16,4,256,16] (4-D matmul)", time(5, () -> F.scaledDotProductAttention(q, k, v, null)));
            NDArray q3 = q.reshape(64, 256, 16);
            NDArray k3 = k.reshape(64, 256, 16);
            NDArray v3 = v.reshape(64, 256, 16);
            us.put("attention [64,256,16] (3-D bmm)", time(5, () -> F.scaledDotProductAttention(q3, k3, v3, null)));
            us.put("linear [16,256,64] x 64->64 + bias", time(20, () -> F.linear(tokens, wl, b64)));
        }
        ObjectNode out = new ObjectMapper().createObjectNode();
        out.put("side", "djl");
        out.put("threads", JniUtils.getNumThreads());
        ObjectNode ops = out.putObject("us_per_call");
        us.forEach(ops::put);
        us.forEach((name, t) -> System.out.printf("djl  %-40s %10.1f us%n", name, t));
        try {
            Files.writeString(Path.of(args[0]), out.toPrettyString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** y * w[None, :, None, None] + b[None, :, None, None] in one kernel: eval-mode batch_norm, mean 0, var 1, eps 0. */
    private static NDArray affine(NDArray y, NDArray w, NDArray b, NDArray zeros, NDArray ones) {
        return JniUtils.batchNorm((PtNDArray) y, (PtNDArray) zeros, (PtNDArray) ones, (PtNDArray) w, (PtNDArray) b, false,
                0.0, 0.0);
    }

    private static NDArray randn(NDManager m, Random r, long... shape) {
        float[] f = new float[Math.toIntExact(new Shape(shape).size())];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) r.nextGaussian();
        }
        return m.create(f, new Shape(shape));
    }

    /** Median over rounds of the mean time of {@code k} calls, in microseconds. */
    private static double time(int k, Supplier<NDArray> op) {
        for (int i = 0; i < k; i++) {
            op.get().close();
        }
        double[] rounds = new double[15];
        for (int rnd = 0; rnd < rounds.length; rnd++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < k; i++) {
                op.get().close();
            }
            rounds[rnd] = (System.nanoTime() - t0) / 1e3 / k;
        }
        Arrays.sort(rounds);
        return rounds[rounds.length / 2];
    }
}
