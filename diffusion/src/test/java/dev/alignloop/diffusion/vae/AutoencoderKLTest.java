package dev.alignloop.diffusion.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.alignloop.diffusion.nn.ModelLoadException;
import dev.alignloop.diffusion.pretrained.ConfigException;
import dev.alignloop.diffusion.pretrained.DiffusersFolderException;
import dev.alignloop.diffusion.pretrained.ManagedTest;
import dev.alignloop.diffusion.pretrained.ParityCases;
import dev.alignloop.diffusion.safetensors.SafeTensors;
import dev.alignloop.diffusion.safetensors.SafeTensorsWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AutoencoderKLTest extends ManagedTest {
    static final Path CASE = ParityCases.dir("vae-tiny");

    /** Two levels of 8/16 channels, 8x8 images: a few milliseconds per pass. */
    private static AutoencoderKLConfig tiny() {
        return AutoencoderKLConfig.of(3, List.of(8, 16), 1, 4, 4, 8);
    }

    private NDArray images(long seed, int b, int size) {
        float[] v = LatentDistribution.gaussian(new Shape(b, 3, size, size), seed);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.tanh(v[i]);
        }
        return manager.create(v, new Shape(b, 3, size, size));
    }

    @Test
    void matchesDiffusersOnParityCase() {
        Path out = dir.resolve("out.safetensors");
        VaeParityTool.run(CASE.resolve("vae"), CASE.resolve("inputs.safetensors"), out);
        assertEquals(2, ParityCases.assertMatches(CASE.resolve("expected.safetensors"), out, 1e-4).size());
    }

    @Test
    void parityFolderSavesBackByteForByteConfigAndEqualWeights() throws Exception {
        AutoencoderKL vae = AutoencoderKL.fromPretrained(CASE.resolve("vae"), manager);
        vae.save(dir);
        assertEquals(Files.readString(CASE.resolve("vae/config.json")), Files.readString(dir.resolve("config.json")));
        try (SafeTensors orig = SafeTensors.open(CASE.resolve("vae/" + AutoencoderKL.WEIGHTS));
             SafeTensors saved = SafeTensors.open(dir.resolve(AutoencoderKL.WEIGHTS))) {
            assertEquals(orig.tensors().keySet(), saved.tensors().keySet());
            for (String n : orig.tensors().keySet()) {
                assertArrayEquals(orig.readFloats(n), saved.readFloats(n), 0f, n);
            }
        }
    }

    @Test
    void saveAndReloadIsBitIdentical() throws Exception {
        AutoencoderKL vae = AutoencoderKL.random(tiny(), 7, manager);
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        vae.save(a);
        AutoencoderKL loaded = AutoencoderKL.fromPretrained(a, manager);
        loaded.save(b);
        assertArrayEquals(Files.readAllBytes(a.resolve(AutoencoderKL.WEIGHTS)), Files.readAllBytes(b.resolve(AutoencoderKL.WEIGHTS)));
        assertArrayEquals(Files.readAllBytes(a.resolve("config.json")), Files.readAllBytes(b.resolve("config.json")));
        assertEquals(vae.config(), loaded.config());
        NDArray x = images(1, 2, 8);
        try (NDArray m1 = vae.encodeMean(x); NDArray m2 = loaded.encodeMean(x); NDArray d1 = vae.decode(m1);
             NDArray d2 = loaded.decode(m2)) {
            assertEquals(new Shape(2, 4, 4, 4), m1.getShape());
            assertEquals(new Shape(2, 3, 8, 8), d1.getShape());
            assertArrayEquals(m1.toFloatArray(), m2.toFloatArray(), 0f);
            assertArrayEquals(d1.toFloatArray(), d2.toFloatArray(), 0f);
        }
    }

    @Test
    void scalingHelpersAndSampling() {
        AutoencoderKL vae = AutoencoderKL.random(tiny(), 3, manager);
        NDArray x = images(2, 1, 8);
        try (LatentDistribution d = vae.encode(x); NDArray scaled = vae.toLatents(x); NDArray back = vae.fromLatents(scaled);
             NDArray direct = vae.decode(d.mean()); NDArray s1 = vae.encodeSample(x, 42); NDArray s2 = vae.encodeSample(x, 42);
             NDArray s3 = vae.encodeSample(x, 43); NDArray std = d.std()) {
            float[] mean = d.mean().toFloatArray();
            float[] sc = scaled.toFloatArray();
            for (int i = 0; i < mean.length; i++) {
                assertEquals(mean[i] * 0.18215f, sc[i], 1e-7f);
            }
            assertArrayEquals(direct.toFloatArray(), back.toFloatArray(), 1e-5f);
            assertArrayEquals(s1.toFloatArray(), s2.toFloatArray(), 0f);
            assertTrue(ParityCases.error(s1.toFloatArray(), s3.toFloatArray()) > 0);
            // sample = mean + std * noise(seed)
            float[] noise = LatentDistribution.gaussian(d.mean().getShape(), 42);
            float[] sd = std.toFloatArray();
            float[] got = s1.toFloatArray();
            for (int i = 0; i < mean.length; i++) {
                assertEquals(mean[i] + sd[i] * noise[i], got[i], 1e-5f);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> vae.decode(images(1, 1, 4)));
    }

    @Test
    void deprecatedAttentionNamesLoadLikeDiffusers() throws Exception {
        AutoencoderKL vae = AutoencoderKL.random(tiny(), 5, manager);
        vae.save(dir);
        Path weights = dir.resolve(AutoencoderKL.WEIGHTS);
        Map<String, NDArray> old = new LinkedHashMap<>();
        try (SafeTensors st = SafeTensors.open(weights)) {
            st.loadAll(manager).forEach((n, a) -> old.put(n.replace(".to_q.", ".query.").replace(".to_k.", ".key.")
                    .replace(".to_v.", ".value.").replace(".to_out.0.", ".proj_attn."), a));
        }
        assertTrue(old.containsKey("encoder.mid_block.attentions.0.proj_attn.weight"));
        SafeTensorsWriter.writeArrays(weights, old, Map.of("format", "pt"));
        AutoencoderKL loaded = AutoencoderKL.fromPretrained(dir, manager);
        NDArray x = images(9, 1, 8);
        try (NDArray a = vae.encodeMean(x); NDArray b = loaded.encodeMean(x)) {
            assertArrayEquals(a.toFloatArray(), b.toFloatArray(), 0f);
        }
    }

    @Test
    void badFoldersFailWithClearErrors() throws Exception {
        AutoencoderKL.random(tiny(), 1, manager).save(dir);
        Path weights = dir.resolve(AutoencoderKL.WEIGHTS);
        Map<String, NDArray> state;
        try (SafeTensors st = SafeTensors.open(weights)) {
            state = new LinkedHashMap<>(st.loadAll(manager));
        }
        state.remove("quant_conv.bias");
        state.put("decoder.conv_in.weight", manager.zeros(new Shape(16, 4, 1, 1)));
        state.put("encoder.extra.weight", manager.zeros(new Shape(1)));
        SafeTensorsWriter.writeArrays(weights, state, Map.of("format", "pt"));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> AutoencoderKL.fromPretrained(dir, manager));
        assertEquals(List.of("quant_conv.bias"), e.missing());
        assertEquals(List.of("encoder.extra.weight"), e.unexpected());
        assertEquals(1, e.mismatched().size());
        assertTrue(e.mismatched().get(0).startsWith("decoder.conv_in.weight"), e.getMessage());

        Path config = dir.resolve("config.json");
        Files.writeString(config, "{\"_class_name\": \"AutoencoderKL\", \"block_out_channels\": [32, 48],"
                + " \"down_block_types\": [\"DownEncoderBlock2D\", \"DownEncoderBlock2D\"],"
                + " \"up_block_types\": [\"UpDecoderBlock2D\", \"UpDecoderBlock2D\"]}");
        ConfigException c = assertThrows(ConfigException.class, () -> AutoencoderKL.fromPretrained(dir, manager));
        assertTrue(c.getMessage().startsWith(config.toString()) && c.getMessage().contains("norm_num_groups 32"), c.getMessage());
        Files.writeString(config, "{\"down_block_types\": [\"DownBlock2D\"]}");
        c = assertThrows(ConfigException.class, () -> AutoencoderKL.fromPretrained(dir, manager));
        assertTrue(c.getMessage().contains("down_block_types: unsupported block type 'DownBlock2D'"), c.getMessage());
        Files.writeString(config, "{\"_class_name\": \"UNet2DConditionModel\"}");
        c = assertThrows(ConfigException.class, () -> AutoencoderKL.fromPretrained(dir, manager));
        assertTrue(c.getMessage().contains("expected 'AutoencoderKL'"), c.getMessage());

        Files.delete(weights);
        Files.delete(config);
        DiffusersFolderException f = assertThrows(DiffusersFolderException.class, () -> AutoencoderKL.fromPretrained(dir, manager));
        assertEquals(2, f.problems().size(), f.getMessage());
    }
}
