package dev.alignloop.diffusion.unet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.alignloop.diffusion.nn.ModelLoadException;
import dev.alignloop.diffusion.nn.Parameter;
import dev.alignloop.diffusion.safetensors.SafeTensors;
import dev.alignloop.diffusion.safetensors.SafeTensorsWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Config switches without a reference: shapes, finiteness, gradients reaching every parameter, save/load. */
class UNetModelTest {
    /** SDXL-like: text_time, linear projection, per-block heads and transformer depth. */
    static final String SDXL_TINY = """
            {"sample_size": 16, "block_out_channels": [32, 64, 64], "layers_per_block": 1,
             "down_block_types": ["DownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D"],
             "up_block_types": ["CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "UpBlock2D"],
             "attention_head_dim": [1, 2, 4], "transformer_layers_per_block": [1, 1, 2], "cross_attention_dim": 24,
             "use_linear_projection": true, "addition_embed_type": "text_time", "addition_time_embed_dim": 8,
             "projection_class_embeddings_input_dim": 64}
            """;
    /** The shapes world's pixel model: 3 channels, 32x32, attention at 16 and 8 only. */
    static final String PIXEL_TINY = """
            {"sample_size": 32, "in_channels": 3, "out_channels": 3, "block_out_channels": [16, 32, 32],
             "layers_per_block": 1, "norm_num_groups": 8, "attention_head_dim": 4, "cross_attention_dim": 16,
             "down_block_types": ["DownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D"],
             "up_block_types": ["CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "UpBlock2D"]}
            """;

    static UNet2DConditionConfig config(String json) {
        return UNet2DConditionConfigJson.parse(json);
    }

    static void assertFinite(NDArray a) {
        for (float v : a.toFloatArray()) {
            assertTrue(Float.isFinite(v), "non-finite output");
        }
    }

    @Test
    void sdxlLikeTextTimeShapesAndNames() {
        try (NDManager m = NDManager.newBaseManager()) {
            UNet2DConditionModel unet = UNet2DConditionModel.random(config(SDXL_TINY), 3, m);
            Map<String, Parameter> p = unet.namedParameters();
            assertEquals(new Shape(128, 64), p.get("add_embedding.linear_1.weight").shape());
            assertEquals(new Shape(64, 64), p.get("down_blocks.1.attentions.0.proj_in.weight").shape()); // linear
            assertEquals(new Shape(64, 24), p.get("down_blocks.2.attentions.0.transformer_blocks.1.attn2.to_k.weight").shape());
            assertEquals(new Shape(64, 24), p.get("mid_block.attentions.0.transformer_blocks.1.attn2.to_v.weight").shape());
            assertEquals(new Shape(512, 64), p.get("up_blocks.0.attentions.1.transformer_blocks.0.ff.net.0.proj.weight").shape());
            assertEquals(new Shape(64, 128, 1, 1), p.get("up_blocks.0.resnets.0.conv_shortcut.weight").shape());
            assertEquals(new Shape(32, 96, 3, 3), p.get("up_blocks.2.resnets.0.conv1.weight").shape());
            assertTrue(!p.containsKey("up_blocks.2.upsamplers.0.conv.weight") && p.containsKey("up_blocks.1.upsamplers.0.conv.weight"));

            NDArray sample = m.randomNormal(new Shape(2, 4, 16, 16));
            NDArray ctx = m.randomNormal(new Shape(2, 5, 24));
            AddedCond added = new AddedCond(m.randomNormal(new Shape(2, 16)),
                    m.create(new float[] {64, 64, 0, 0, 64, 64, 48, 80, 4, 8, 64, 64}, new Shape(2, 6)));
            NDArray out = unet.forward(sample, m.create(new long[] {999, 17}), ctx, added);
            assertEquals(sample.getShape(), out.getShape());
            assertFinite(out);
            // text_time conditioning changes the output
            AddedCond other = new AddedCond(added.textEmbeds(), added.timeIds().add(16));
            NDArray out2 = unet.forward(sample, m.create(new long[] {999, 17}), ctx, other);
            assertTrue(out.sub(out2).abs().max().getFloat() > 1e-6);
            assertThrows(IllegalArgumentException.class, () -> unet.forward(sample, m.create(5L), ctx, null));
        }
    }

    @Test
    void pixelSpaceGradientsReachEveryParameter() {
        try (NDManager m = NDManager.newBaseManager()) {
            UNet2DConditionModel unet = UNet2DConditionModel.random(config(PIXEL_TINY), 11, m);
            unet.train(true);
            unet.attachGradients();
            NDArray x = m.randomNormal(new Shape(2, 3, 32, 32));
            NDArray ctx = m.randomNormal(new Shape(2, 4, 16));
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray out = unet.forward(x, m.create(new float[] {3.5f, 640.25f}), ctx, null);
                assertEquals(x.getShape(), out.getShape());
                assertFinite(out);
                gc.backward(out.sub(x).square().mean());
            }
            List<String> zero = new ArrayList<>();
            for (Map.Entry<String, Parameter> e : unet.namedParameters().entrySet()) {
                try (NDArray g = e.getValue().gradient()) {
                    float s = g.abs().sum().getFloat();
                    assertTrue(Float.isFinite(s), e.getKey());
                    if (s == 0) {
                        zero.add(e.getKey());
                    }
                }
            }
            assertEquals(List.of(), zero, "parameters without gradient");
        }
    }

    @Test
    void oddSpatialSizesAndScalarTimestep() {
        try (NDManager m = NDManager.newBaseManager()) {
            UNet2DConditionModel unet = UNet2DConditionModel.random(config(PIXEL_TINY), 5, m);
            NDArray x = m.randomNormal(new Shape(1, 3, 10, 14)); // 10x14 → 5x7 → 3x4: upsample to explicit sizes
            NDArray out = unet.forward(x, m.create(250), m.randomNormal(new Shape(1, 3, 16)), null);
            assertEquals(x.getShape(), out.getShape());
            assertFinite(out);
            NDArray big = unet.forward(m.randomNormal(new Shape(3, 3, 24, 40)), m.create(7f), m.randomNormal(new Shape(3, 2, 16)), null);
            assertEquals(new Shape(3, 3, 24, 40), big.getShape());
        }
    }

    @Test
    void saveLoadRoundTripIsBitIdentical(@TempDir Path dir) throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            UNet2DConditionModel a = UNet2DConditionModel.random(config(SDXL_TINY), 21, m);
            a.save(dir.resolve("unet"));
            assertTrue(Files.exists(dir.resolve("unet/config.json")));
            UNet2DConditionModel b = UNet2DConditionModel.fromPretrained(dir.resolve("unet"), m);
            assertEquals(a.config(), b.config());
            Map<String, NDArray> sa = a.stateDict();
            Map<String, NDArray> sb = b.stateDict();
            assertEquals(sa.keySet(), sb.keySet());
            for (String k : sa.keySet()) {
                assertArrayEquals(sa.get(k).toByteArray(), sb.get(k).toByteArray(), k);
            }
            NDArray x = m.randomNormal(new Shape(1, 4, 8, 8));
            NDArray ctx = m.randomNormal(new Shape(1, 3, 24));
            AddedCond added = new AddedCond(m.randomNormal(new Shape(1, 16)), m.ones(new Shape(1, 6)).mul(32));
            assertArrayEquals(a.forward(x, m.create(10), ctx, added).toFloatArray(), b.forward(x, m.create(10), ctx, added).toFloatArray());
            // the saved folder re-saves to the same bytes
            b.save(dir.resolve("again"));
            assertArrayEquals(Files.readAllBytes(dir.resolve("unet/diffusion_pytorch_model.safetensors")),
                    Files.readAllBytes(dir.resolve("again/diffusion_pytorch_model.safetensors")));
            assertEquals(Files.readString(dir.resolve("unet/config.json")), Files.readString(dir.resolve("again/config.json")));
        }
    }

    @Test
    void strictLoadNamesMissingUnexpectedAndMisshapedWeights(@TempDir Path dir) throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            UNet2DConditionModel a = UNet2DConditionModel.random(config(PIXEL_TINY), 1, m);
            a.save(dir);
            Path weights = dir.resolve(UNetCheckpoints.WEIGHTS);
            Map<String, NDArray> sd = new TreeMap<>(SafeTensors.load(weights, m));
            sd.remove("conv_out.bias");
            sd.put("conv_out.extra", m.zeros(new Shape(3)));
            sd.put("conv_in.bias", m.zeros(new Shape(17)));
            SafeTensorsWriter.writeArrays(weights, sd, Map.of("format", "pt"));
            ModelLoadException e = assertThrows(ModelLoadException.class, () -> UNet2DConditionModel.fromPretrained(dir, m));
            assertEquals(List.of("conv_out.bias"), e.missing());
            assertEquals(List.of("conv_out.extra"), e.unexpected());
            assertEquals(List.of("conv_in.bias: expected (16) but got (17)"), e.mismatched());
            assertTrue(e.getMessage().contains(weights.toString()), e.getMessage());
        }
    }

    @Test
    void repeatedForwardsDoNotLeak() {
        try (NDManager m = NDManager.newBaseManager()) {
            UNet2DConditionModel unet = UNet2DConditionModel.random(config(PIXEL_TINY), 2, m);
            NDArray x = m.randomNormal(new Shape(1, 3, 16, 16));
            NDArray ctx = m.randomNormal(new Shape(1, 4, 16));
            NDArray t = m.create(new long[] {1});
            unet.forward(x, t, ctx, null).close(); // warm-up: GroupNorms cache unit scales per resolution
            int before = m.getManagedArrays().size();
            long rssWarm = 0;
            for (int i = 0; i < 50; i++) {
                try (NDArray out = unet.forward(x, t, ctx, null)) {
                    assertEquals(DataType.FLOAT32, out.getDataType());
                }
                if (i == 9) {
                    rssWarm = rssBytes();
                }
            }
            assertEquals(before, m.getManagedArrays().size(), "arrays left in the caller's manager");
            long growth = rssBytes() - rssWarm;
            assertTrue(growth < 64L << 20, "RSS grew by " + (growth >> 20) + " MiB over 40 forwards");
            // training steps leave nothing behind either (the step's own arrays live in a step scope:
            // DJL's backward allocates its seed gradient in the loss's manager)
            unet.attachGradients();
            int params = m.getManagedArrays().size();
            for (int i = 0; i < 3; i++) {
                unet.zeroGrad();
                try (NDManager step = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    step.tempAttachAll(x, t, ctx);
                    NDArray out = unet.forward(x, t, ctx, null);
                    gc.backward(out.square().mean());
                }
            }
            assertEquals(params, m.getManagedArrays().size(), "arrays left after training steps");
        }
    }

    private static long rssBytes() {
        try {
            String[] f = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
            return Long.parseLong(f[1]) * 4096;
        } catch (Exception e) {
            return 0;
        }
    }
}
