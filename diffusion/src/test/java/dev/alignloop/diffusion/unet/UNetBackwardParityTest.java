package dev.alignloop.diffusion.unet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.alignloop.diffusion.nn.Parameter;
import dev.alignloop.diffusion.safetensors.SafeTensors;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The UNet's backward pass against diffusers: parity/dpo-step-sd15-tiny holds the gradient of the
 * official Diffusion-DPO loss for every UNet parameter. The loss is written out inline here (the
 * trainer's own implementation lives elsewhere); what this test checks is the UNet's gradients.
 */
class UNetBackwardParityTest {
    static final double TOLERANCE = 2e-3; // the case's tolerance (DPO amplifies float32 rounding)

    @Test
    void dpoLossGradientsMatchDiffusersForEveryParameter() {
        Path c = UNetParityTest.parityDir().resolve("dpo-step-sd15-tiny");
        float beta = 50f;
        try (NDManager m = NDManager.newBaseManager()) {
            UNet2DConditionModel policy = UNet2DConditionModel.fromPretrained(c.resolve("policy/unet"), m);
            UNet2DConditionModel ref = UNet2DConditionModel.fromPretrained(c.resolve("ref/unet"), m);
            ref.freeze();
            policy.attachGradients();
            Map<String, NDArray> in = SafeTensors.load(c.resolve("inputs.safetensors"), m);
            long[] t = in.get("timesteps").toLongArray();
            // DDPM scaled_linear betas: linspace(sqrt(0.00085), sqrt(0.012), 1000) ** 2; alphas_cumprod = cumprod(1 - betas)
            float[] coefA = new float[4];
            float[] coefN = new float[4];
            double lo = Math.sqrt(0.00085);
            double hi = Math.sqrt(0.012);
            double[] cum = new double[1000];
            double prod = 1;
            for (int i = 0; i < 1000; i++) {
                float s = (float) (lo + (hi - lo) * i / 999);
                prod *= 1 - (double) (s * s);
                cum[i] = prod;
            }
            for (int i = 0; i < 4; i++) {
                double a = cum[(int) t[i % 2]];
                coefA[i] = (float) Math.sqrt(a);
                coefN[i] = (float) Math.sqrt(1 - a);
            }
            NDArray x = in.get("x_w").concat(in.get("x_l"), 0);              // [4, 4, 16, 16]: winners then losers
            NDArray noise = in.get("noise").concat(in.get("noise"), 0);
            NDArray noisy = x.mul(m.create(coefA, new Shape(4, 1, 1, 1))).add(noise.mul(m.create(coefN, new Shape(4, 1, 1, 1))));
            NDArray timesteps = in.get("timesteps").concat(in.get("timesteps"), 0);
            NDArray ctx = in.get("encoder_hidden_states").concat(in.get("encoder_hidden_states"), 0);

            NDArray refDiff;
            try (NDArray refPred = ref.forward(noisy, timesteps, ctx, null)) {
                refDiff = wMinusL(refPred, noise);
            }
            float loss;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray pred = policy.forward(noisy, timesteps, ctx, null);
                NDArray modelDiff = wMinusL(pred, noise);
                NDArray inside = modelDiff.sub(refDiff).mul(-0.5f * beta);
                // loss = -F.logsigmoid(inside).mean() = softplus(-inside).mean()
                NDArray lossArr = inside.neg().getNDArrayInternal().softPlus().mean();
                loss = lossArr.getFloat();
                gc.backward(lossArr);
            }
            try (SafeTensors exp = SafeTensors.open(c.resolve("expected.safetensors"))) {
                assertEquals(exp.readFloats("loss")[0], loss, 2e-3 * Math.max(1, Math.abs(loss)), "loss");
                double worst = 0;
                String worstName = "";
                for (Map.Entry<String, Parameter> e : policy.namedParameters().entrySet()) {
                    try (NDArray g = e.getValue().gradient()) {
                        double err = UNetParityTest.error(g.toFloatArray(), exp.readFloats(e.getKey()));
                        if (err > worst) {
                            worst = err;
                            worstName = e.getKey();
                        }
                    }
                }
                System.out.println("dpo-step-sd15-tiny: loss " + loss + ", worst gradient error " + worst + " (" + worstName + ")");
                assertTrue(worst <= TOLERANCE, worstName + " gradient error " + worst);
                assertEquals(208, policy.namedParameters().size());
            }
        }
    }

    /** mean((pred - noise)^2) over C, H, W, then winners minus losers: [2]. */
    private static NDArray wMinusL(NDArray pred, NDArray target) {
        NDArray sq = pred.sub(target).square();
        NDArray mse = sq.reshape(sq.getShape().get(0), -1).mean(new int[] {1});
        NDList parts = mse.split(2);
        return parts.get(0).sub(parts.get(1));
    }
}
