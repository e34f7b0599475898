package dev.alignloop.diffusion.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.alignloop.diffusion.nn.Linear;
import dev.alignloop.diffusion.nn.Module;
import dev.alignloop.diffusion.nn.ModuleList;
import dev.alignloop.diffusion.nn.Parameter;
import dev.alignloop.diffusion.unet.UNet2DConditionModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoraAdaptersTest {
    @TempDir
    static Path tmp;
    private static Path unetDir;
    private NDManager m;

    @BeforeAll
    static void folder() {
        unetDir = LoraFixtures.unetDir(tmp);
    }

    @BeforeEach
    void start() {
        m = NDManager.newBaseManager();
    }

    @AfterEach
    void stop() {
        m.close();
    }

    /** {@code attn.to_q} (2 → 2, no bias) and {@code attn.to_out.0} (2 → 2, bias), like diffusers' Attention. */
    static final class Toy extends Module {
        final Linear toQ;
        final Linear toOut;

        Toy(NDManager m) {
            Attn attn = register("attn", new Attn(m));
            this.toQ = attn.toQ;
            this.toOut = attn.toOut;
        }

        static final class Attn extends Module {
            final Linear toQ;
            final Linear toOut;

            Attn(NDManager m) {
                this.toQ = register("to_q", new Linear(m, 2, 2, false));
                this.toOut = register("to_out", new ModuleList<Linear>()).add(new Linear(m, 2, 2, true));
            }
        }
    }

    private static void set(Parameter p, NDManager m, float... values) {
        try (NDArray a = m.create(values, p.shape())) {
            p.set(a);
        }
    }

    @Test
    void goldenTinyCaseForwardAndMergeByHand() {
        Toy toy = new Toy(m);
        set(toy.toQ.weight(), m, 1, 2, 3, 4); // W = [[1, 2], [3, 4]]
        LoraAdapters lora = LoraAdapters.inject(toy, new LoraConfig(1, 2.0, List.of("to_q"), 0.0), m, 5);
        LoraLinear l = lora.layers().get("attn.to_q");
        assertEquals(List.of("attn.to_q.lora_A.weight", "attn.to_q.lora_B.weight"), List.copyOf(lora.namedParameters().keySet()));
        assertEquals(new Shape(1, 2), l.loraA().shape());
        assertEquals(new Shape(2, 1), l.loraB().shape());
        set(l.loraA(), m, 1, 1);    // A = [[1, 1]]
        set(l.loraB(), m, 1, 2);    // B = [[1], [2]]
        assertEquals(2.0, l.scaling()); // alpha / r
        try (NDArray x = m.create(new float[] {1, 2}, new Shape(1, 2))) {
            // W x = [5, 11]; A x = 3; B (A x) = [3, 6]; * 2 = [6, 12]  ->  [11, 23]
            assertArrayEquals(new float[] {11, 23}, toy.toQ.forward(x).toFloatArray());
            // W + 2 B A = [[3, 4], [7, 8]]
            assertArrayEquals(new float[] {3, 4, 7, 8}, lora.mergedStateDict(m).get("attn.to_q.weight").toFloatArray());
            assertArrayEquals(new float[] {1, 2, 3, 4}, toy.toQ.weight().array().toFloatArray(), "model left as it was");
            assertSame(toy, lora.mergeAndUnload());
            assertNull(toy.toQ.adapter());
            assertArrayEquals(new float[] {3, 4, 7, 8}, toy.toQ.weight().array().toFloatArray());
            assertArrayEquals(new float[] {11, 23}, toy.toQ.forward(x).toFloatArray());
        }
    }

    @Test
    void initialisationIsPeftsAndTheBaseIsFrozen() {
        Toy toy = new Toy(m);
        LoraAdapters lora = LoraAdapters.inject(toy, new LoraConfig(2, 4.0, List.of("to_q", "to_out.0"), 0.0), m, 9);
        assertEquals(List.of("attn.to_q", "attn.to_out.0"), List.copyOf(lora.layers().keySet()));
        for (LoraLinear l : lora.layers().values()) {
            float bound = (float) (1 / Math.sqrt(2)); // kaiming_uniform_(a=sqrt(5)): U(-1/sqrt(in), 1/sqrt(in))
            float[] a = l.loraA().array().toFloatArray();
            assertTrue(a[0] != 0 && a[0] != a[1], "A is random");
            for (float v : a) {
                assertTrue(Math.abs(v) <= bound, "A within the kaiming bound: " + v);
            }
            assertArrayEquals(new float[4], l.loraB().array().toFloatArray(), "B starts at zero");
            assertTrue(l.loraA().requiresGrad() && l.loraB().requiresGrad());
            assertSame(l, l.base().adapter());
        }
        toy.namedParameters().values().forEach(p -> assertFalse(p.requiresGrad(), "base frozen"));
        assertEquals(2 * (2 * 2 + 2 * 2), lora.parameterCount());
    }

    @Test
    void zeroInitLeavesTheUnetOutputBitIdentical() {
        UNet2DConditionModel unet = UNet2DConditionModel.fromPretrained(unetDir, m);
        float[] base = LoraFixtures.predict(unet, m);
        LoraAdapters lora = LoraAdapters.inject(unet, LoraConfig.attention(4, 8), 1);
        // attention in down_blocks.1, the mid block and up_blocks.0 (two layers there), attn1 and attn2 each, 4 projections
        assertEquals(4 * 2 * 4, lora.layers().size());
        assertArrayEquals(base, LoraFixtures.predict(unet, m));
        LoraFixtures.randomizeB(lora, m, 0.5);
        float[] adapted = LoraFixtures.predict(unet, m);
        assertTrue(LoraFixtures.maxAbsDiff(base, adapted) > 1e-3, "non-zero B changes the output");
        lora.unload();
        assertArrayEquals(base, LoraFixtures.predict(unet, m), "unload restores the base output");
        lora.install();
        assertArrayEquals(adapted, LoraFixtures.predict(unet, m));
    }

    @Test
    void mergedWeightsReproduceTheAdaptedOutput() {
        UNet2DConditionModel unet = UNet2DConditionModel.fromPretrained(unetDir, m);
        LoraAdapters lora = LoraAdapters.inject(unet, LoraConfig.attention(4, 2), 3);
        LoraFixtures.randomizeB(lora, m, 0.5);
        float[] adapted = LoraFixtures.predict(unet, m);

        // merged state dict into a fresh plain UNet (what a trainer checkpoint holds)
        UNet2DConditionModel plain = UNet2DConditionModel.fromPretrained(unetDir, m);
        Map<String, NDArray> merged = lora.mergedStateDict(m);
        plain.loadStateDict(merged, true);
        double viaStateDict = LoraFixtures.maxAbsDiff(adapted, LoraFixtures.predict(plain, m));
        assertTrue(viaStateDict <= 1e-5, "merged state dict vs LoRA: " + viaStateDict);

        // merge in place
        lora.mergeAndUnload();
        double inPlace = LoraFixtures.maxAbsDiff(adapted, LoraFixtures.predict(unet, m));
        assertTrue(inPlace <= 1e-5, "merge_and_unload vs LoRA: " + inPlace);
        assertTrue(lora.layers().values().stream().allMatch(l -> l.base().adapter() == null));
    }

    @Test
    void targetsThatDoNotFitAreNamed() {
        UNet2DConditionModel unet = UNet2DConditionModel.fromPretrained(unetDir, m);
        LoraException none = assertThrows(LoraException.class,
                () -> LoraAdapters.inject(unet, new LoraConfig(4, 4, List.of("to_q", "to_x"), 0), 1));
        assertTrue(none.getMessage().contains("'to_x' matches no module") && none.getMessage().contains("to_out.0"),
                none.getMessage());
        LoraException conv = assertThrows(LoraException.class,
                () -> LoraAdapters.inject(unet, new LoraConfig(4, 4, List.of("conv_in"), 0), 1));
        assertTrue(conv.getMessage().contains("'conv_in' matches modules that are not Linear layers"), conv.getMessage());
        assertTrue(unet.namedParameters().values().stream().allMatch(Parameter::requiresGrad), "nothing changed");

        LoraAdapters.inject(unet, LoraConfig.attention(2, 2), 1);
        LoraException twice = assertThrows(LoraException.class, () -> LoraAdapters.inject(unet, LoraConfig.attention(2, 2), 1));
        assertTrue(twice.getMessage().contains("already has an adapter"), twice.getMessage());
    }

    @Test
    void configValidationNamesTheField() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LoraConfig.attention(0, 1)).getMessage().contains("rank"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LoraConfig.attention(4, -1)).getMessage().contains("alpha"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new LoraConfig(4, 4, List.of("to q"), 0))
                .getMessage().contains("'to q'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new LoraConfig(4, 4, List.of("to_q", "to_q"), 0))
                .getMessage().contains("repeat"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new LoraConfig(4, 4, List.of("to_q"), 1.0))
                .getMessage().contains("dropout"));
        assertEquals(0.5, LoraConfig.attention(8, 4).scaling());
        assertTrue(LoraConfig.attention(8, 4).matches("mid_block.attentions.0.transformer_blocks.0.attn1.to_out.0"));
        assertFalse(LoraConfig.attention(8, 4).matches("mid_block.attentions.0.transformer_blocks.0.attn1.to_out"));
        assertFalse(LoraConfig.attention(8, 4).matches("x.not_to_q"));
    }
}
