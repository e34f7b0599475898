package dev.alignloop.diffusion.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.alignloop.diffusion.safetensors.HostTensor;
import dev.alignloop.diffusion.safetensors.SafeTensors;
import dev.alignloop.diffusion.safetensors.SafeTensorsWriter;
import dev.alignloop.diffusion.unet.UNet2DConditionModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoraWeightsTest {
    @TempDir
    static Path shared;
    private static Path unetDir;
    @TempDir
    Path tmp;
    private NDManager m;

    @BeforeAll
    static void folder() {
        unetDir = LoraFixtures.unetDir(shared);
    }

    @BeforeEach
    void start() {
        m = NDManager.newBaseManager();
    }

    @AfterEach
    void stop() {
        m.close();
    }

    private LoraAdapters trainedLookingAdapters(UNet2DConditionModel unet, LoraConfig config) {
        LoraAdapters lora = LoraAdapters.inject(unet, config, 4);
        LoraFixtures.randomizeB(lora, m, 0.5);
        return lora;
    }

    @Test
    void saveUsesDiffusersPeftNamesAndMetadataAndLoadsBack() throws Exception {
        UNet2DConditionModel unet = UNet2DConditionModel.fromPretrained(unetDir, m);
        LoraAdapters lora = trainedLookingAdapters(unet, LoraConfig.attention(4, 8));
        float[] adapted = LoraFixtures.predict(unet, m);
        Path file = LoraWeights.save(lora, tmp.resolve("out"));
        assertEquals(tmp.resolve("out").resolve("pytorch_lora_weights.safetensors"), file);

        try (SafeTensors st = SafeTensors.open(file)) {
            for (String key : List.of(
                    "unet.down_blocks.1.attentions.0.transformer_blocks.0.attn1.to_q.lora_A.weight",
                    "unet.down_blocks.1.attentions.0.transformer_blocks.0.attn2.to_k.lora_B.weight",
                    "unet.mid_block.attentions.0.transformer_blocks.0.attn1.to_v.lora_A.weight",
                    "unet.up_blocks.0.attentions.1.transformer_blocks.0.attn2.to_out.0.lora_B.weight")) {
                assertTrue(st.contains(key), key + " in " + st.tensors().keySet());
            }
            assertEquals(2 * 32, st.tensors().size());
            assertTrue(st.tensors().keySet().stream().allMatch(k -> k.startsWith("unet.")
                    && (k.endsWith(".lora_A.weight") || k.endsWith(".lora_B.weight"))));
            // to_k of attn2 reads the 16-wide text context: lora_A [r, 16]; lora_B [out = 16 channels, r]
            assertArrayEquals(new long[] {4, 16},
                    st.info("unet.down_blocks.1.attentions.0.transformer_blocks.0.attn2.to_k.lora_A.weight").shape());
            assertEquals("pt", st.metadata().get("format"));
            JsonNode meta = new ObjectMapper().readTree(st.metadata().get("lora_adapter_metadata"));
            assertEquals(4, meta.get("unet.r").asInt());
            assertEquals(8, meta.get("unet.lora_alpha").asInt());
            assertEquals("[\"to_q\",\"to_k\",\"to_v\",\"to_out.0\"]", meta.get("unet.target_modules").toString());
            assertEquals(0.0, meta.get("unet.lora_dropout").asDouble());
        }

        LoraWeights.LoraFile read = LoraWeights.read(file.getParent(), m);
        assertEquals(LoraConfig.attention(4, 8), read.config());
        assertEquals(lora.namedParameters().keySet(), read.state().keySet());

        UNet2DConditionModel fresh = UNet2DConditionModel.fromPretrained(unetDir, m);
        LoraAdapters loaded = LoraWeights.load(file, fresh, m);
        assertEquals(LoraFixtures.snapshot(lora.namedParameters()).keySet(), loaded.namedParameters().keySet());
        lora.namedParameters().forEach((k, p) ->
                assertArrayEquals(p.array().toFloatArray(), loaded.namedParameters().get(k).array().toFloatArray(), k));
        assertArrayEquals(adapted, LoraFixtures.predict(fresh, m), "same output after the round trip");
    }

    @Test
    void mergedFoldersLoadWithThePlainUnetLoader() {
        UNet2DConditionModel unet = UNet2DConditionModel.fromPretrained(unetDir, m);
        LoraAdapters lora = trainedLookingAdapters(unet, LoraConfig.attention(2, 3));
        float[] adapted = LoraFixtures.predict(unet, m);

        // a checkpoint of a run that goes on: merged weights written, adapters still in place
        LoraWeights.saveMerged(unet, lora, tmp.resolve("ckpt").resolve("unet"));
        assertTrue(lora.installed());
        assertArrayEquals(adapted, LoraFixtures.predict(unet, m));
        UNet2DConditionModel merged = UNet2DConditionModel.fromPretrained(tmp.resolve("ckpt").resolve("unet"), m);
        double d1 = LoraFixtures.maxAbsDiff(adapted, LoraFixtures.predict(merged, m));
        assertTrue(d1 <= 1e-5, "saveMerged vs LoRA: " + d1);

        // offline: base unet/ folder + LoRA file -> merged unet/ folder
        Path file = LoraWeights.save(lora, tmp.resolve("lora"));
        LoraWeights.mergeUnetFolder(unetDir, file, tmp.resolve("merged").resolve("unet"));
        UNet2DConditionModel offline = UNet2DConditionModel.fromPretrained(tmp.resolve("merged").resolve("unet"), m);
        double d2 = LoraFixtures.maxAbsDiff(adapted, LoraFixtures.predict(offline, m));
        assertTrue(d2 <= 1e-5, "mergeUnetFolder vs LoRA: " + d2);
    }

    @Test
    void readsTheOlderDiffusersNamingWithoutMetadataAsAlphaEqualsRank() {
        // the official train_text_to_image_lora.py output: convert_state_dict_to_diffusers names, no metadata
        String layer = "mid_block.attentions.0.transformer_blocks.0.attn1.to_q";
        Map<String, HostTensor> tensors = new LinkedHashMap<>();
        tensors.put("unet." + layer + ".lora.down.weight", HostTensor.ofFloats(new float[2 * 16], 2, 16));
        tensors.put("unet." + layer + ".lora.up.weight", HostTensor.ofFloats(new float[16 * 2], 16, 2));
        Path file = tmp.resolve("old.safetensors");
        SafeTensorsWriter.write(file, tensors, Map.of("format", "pt"));
        LoraWeights.LoraFile f = LoraWeights.read(file, m);
        assertEquals(new LoraConfig(2, 2, List.of(layer), 0), f.config());
        assertEquals(List.of(layer + ".lora_A.weight", layer + ".lora_B.weight"), List.copyOf(f.state().keySet()));
        UNet2DConditionModel unet = UNet2DConditionModel.fromPretrained(unetDir, m);
        assertEquals(List.of(layer), List.copyOf(LoraWeights.load(file, unet, m).layers().keySet()));
    }

    @Test
    void filesThatCannotBeUsedAreRefusedByName() throws Exception {
        Map<String, HostTensor> te = new LinkedHashMap<>();
        te.put("unet.mid_block.attentions.0.transformer_blocks.0.attn1.to_q.lora_A.weight", HostTensor.ofFloats(new float[32], 2, 16));
        te.put("text_encoder.text_model.encoder.layers.0.self_attn.q_proj.lora_A.weight", HostTensor.ofFloats(new float[32], 2, 16));
        Path file = tmp.resolve("te.safetensors");
        SafeTensorsWriter.write(file, te, Map.of());
        LoraException e = assertThrows(LoraException.class, () -> LoraWeights.read(file, m));
        assertTrue(e.getMessage().contains("te.safetensors") && e.getMessage().contains("text_encoder.text_model"), e.getMessage());

        LoraException missing = assertThrows(LoraException.class, () -> LoraWeights.read(tmp, m));
        assertTrue(missing.getMessage().contains("pytorch_lora_weights.safetensors"), missing.getMessage());

        // a file for a bigger model: names and shapes that do not fit are listed
        UNet2DConditionModel unet = UNet2DConditionModel.fromPretrained(unetDir, m);
        Map<String, HostTensor> big = new LinkedHashMap<>();
        big.put("unet.mid_block.attentions.0.transformer_blocks.0.attn1.to_q.lora_A.weight", HostTensor.ofFloats(new float[64], 2, 32));
        big.put("unet.mid_block.attentions.0.transformer_blocks.0.attn1.to_q.lora_B.weight", HostTensor.ofFloats(new float[32], 16, 2));
        Path bigFile = tmp.resolve("big.safetensors");
        SafeTensorsWriter.write(bigFile, big, Map.of());
        RuntimeException shape = assertThrows(RuntimeException.class, () -> LoraWeights.load(bigFile, unet, m));
        assertTrue(shape.getMessage().contains("to_q.lora_A.weight") && shape.getMessage().contains("big.safetensors"),
                shape.getMessage());
        assertTrue(Files.exists(bigFile));
    }
}
