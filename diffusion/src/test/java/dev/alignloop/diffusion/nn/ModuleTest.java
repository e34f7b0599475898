package dev.alignloop.diffusion.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModuleTest {

    /** resnets.0.{norm1,conv1}, proj (Linear) — mirrors a diffusers fragment. */
    static final class Block extends Module {
        final ModuleList<Res> resnets = register("resnets", new ModuleList<>());
        final Linear proj;

        Block(NDManager m) {
            resnets.add(new Res(m));
            resnets.add(new Res(m));
            proj = register("proj", new Linear(m, 4, 2));
        }
    }

    static final class Res extends Module {
        final GroupNorm norm1;
        final Conv2d conv1;

        Res(NDManager m) {
            norm1 = register("norm1", new GroupNorm(m, 2, 4, 1e-5f, true));
            conv1 = register("conv1", new Conv2d(m, 4, 4, 3, 1, 1));
        }

        NDArray forward(NDArray x) {
            try (NDArray h = norm1.forward(x); NDArray a = F.silu(h)) {
                return conv1.forward(a);
            }
        }
    }

    @Test
    void pathsAreDottedCheckpointNames() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block b = new Block(m);
            assertEquals(List.of("resnets.0.norm1.weight", "resnets.0.norm1.bias", "resnets.0.conv1.weight",
                    "resnets.0.conv1.bias", "resnets.1.norm1.weight", "resnets.1.norm1.bias", "resnets.1.conv1.weight",
                    "resnets.1.conv1.bias", "proj.weight", "proj.bias"), List.copyOf(b.namedParameters().keySet()));
            assertEquals(new Shape(4, 4, 3, 3), b.stateDict().get("resnets.1.conv1.weight").getShape());
            assertEquals(2 * (4 + 4 + 144 + 4) + 8 + 2, b.parameterCount());
        }
    }

    @Test
    void strictLoadListsMissingUnexpectedAndMismatched() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block b = new Block(m);
            Map<String, NDArray> sd = new HashMap<>();
            b.stateDict().forEach((k, v) -> sd.put(k, m.ones(v.getShape())));
            sd.remove("proj.bias");
            sd.put("proj.extra", m.ones(new Shape(1)));
            sd.put("resnets.0.conv1.bias", m.ones(new Shape(5)));
            ModelLoadException e = assertThrows(ModelLoadException.class, () -> b.loadStateDict(sd, true, "x.safetensors"));
            assertEquals(List.of("proj.bias"), e.missing());
            assertEquals(List.of("proj.extra"), e.unexpected());
            assertEquals(List.of("resnets.0.conv1.bias: expected (4) but got (5)"), e.mismatched());
            assertTrue(e.getMessage().contains("x.safetensors"), e.getMessage());
            // nothing was changed by the failed load
            assertEquals(0f, b.stateDict().get("resnets.0.conv1.bias").sum().getFloat());

            sd.put("resnets.0.conv1.bias", m.ones(new Shape(4)));
            b.loadStateDict(sd, false); // non-strict tolerates missing/unexpected
            assertEquals(4f, b.stateDict().get("resnets.0.conv1.bias").sum().getFloat());
            assertEquals(0f, b.stateDict().get("proj.bias").sum().getFloat());
        }
    }

    @Test
    void initializeIsDeterministicAndPyTorchLike() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block a = new Block(m);
            Block b = new Block(m);
            a.initialize(7);
            b.initialize(7);
            float[] wa = a.stateDict().get("resnets.0.conv1.weight").toFloatArray();
            assertArrayEquals(wa, b.stateDict().get("resnets.0.conv1.weight").toFloatArray());
            assertNotEquals(wa[0], a.stateDict().get("resnets.1.conv1.weight").toFloatArray()[0]);
            double bound = 1 / Math.sqrt(4 * 9);
            for (float w : wa) {
                assertTrue(Math.abs(w) <= bound);
            }
            assertArrayEquals(new float[] {1, 1, 1, 1}, a.stateDict().get("resnets.0.norm1.weight").toFloatArray());
            assertArrayEquals(new float[] {0, 0, 0, 0}, a.stateDict().get("resnets.0.conv1.bias").toFloatArray());
        }
    }

    @Test
    void gradientsFlowToTrainableParametersOnly() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block b = new Block(m);
            b.initialize(1);
            b.resnets.get(1).freeze();
            b.attachGradients();
            for (int round = 0; round < 2; round++) {
                b.zeroGrad();
                try (NDManager scope = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray x = scope.randomNormal(new Shape(1, 4, 4, 4));
                    NDArray h = b.resnets.get(1).forward(b.resnets.get(0).forward(x));
                    NDArray loss = h.square().mean();
                    gc.backward(loss);
                }
                Parameter w0 = b.namedParameters().get("resnets.0.conv1.weight");
                try (NDArray g = w0.gradient()) {
                    assertTrue(g.abs().sum().getFloat() > 0, "trainable weight gets a gradient");
                }
                assertFalse(b.namedParameters().get("resnets.1.conv1.weight").array().hasGradient());
            }
        }
    }

    @Test
    void trainEvalPropagates() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block b = new Block(m);
            assertTrue(b.resnets.get(0).conv1.isTraining());
            b.eval();
            assertFalse(b.resnets.get(0).conv1.isTraining());
            assertThrows(IllegalArgumentException.class, () -> new GroupNorm(m, 3, 4, 1e-5f, true));
            assertThrows(IllegalArgumentException.class, () -> Activation.fromName("act_fn", "tanhshrink"));
        }
    }
}
