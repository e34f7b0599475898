package dev.alignloop.diffusion.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClipTextModelTest extends ManagedTest {
    static final Path CASE = ParityCases.dir("clip-text-tiny");

    @Test
    void matchesTransformersOnParityCase() {
        Path out = dir.resolve("out.safetensors");
        ClipParityTool.run(CASE.resolve("text_encoder"), CASE.resolve("inputs.safetensors"), out);
        Map<String, Double> errors = ParityCases.assertMatches(CASE.resolve("expected.safetensors"), out, 1e-4);
        assertEquals(3, errors.size());
        try (SafeTensors o = SafeTensors.open(out)) {
            assertTrue(!o.contains("text_embeds"), "no projection in a CLIPTextModel");
        }
    }

    private static ClipTextConfig tiny(boolean projection, int eos) {
        ClipTextConfig c = ClipTextConfig.of(50, 16, 24, 3, 2, 8, "gelu", 12, projection);
        return new ClipTextConfig(c.vocabSize(), c.hiddenSize(), c.intermediateSize(), c.projectionDim(),
                c.numHiddenLayers(), c.numAttentionHeads(), c.maxPositionEmbeddings(), c.hiddenAct(), c.layerNormEps(),
                null, null, null, null, 0, 1, eos, c.architectures(), null);
    }

    private NDArray ids(long[][] rows) {
        return manager.create(rows);
    }

    @Test
    void projectionPoolingAndPenultimateAreWiredLikeTransformers() {
        ClipTextModel m = ClipTextModel.random(tiny(true, 7), 3, manager);
        // eos 7 first appears at index 3 in row 0 and is absent in row 1 (→ position 0)
        NDArray ids = ids(new long[][] {{1, 20, 30, 7, 7, 7}, {1, 40, 41, 42, 43, 44}});
        try (ClipTextOutput o = m.forward(ids)) {
            assertEquals(new Shape(2, 6, 16), o.lastHiddenState().getShape());
            assertEquals(new Shape(2, 6, 16), o.penultimate().getShape());
            assertArrayEquals(o.lastHiddenState().get(0, 3).toFloatArray(), o.poolerOutput().get(0).toFloatArray());
            assertArrayEquals(o.lastHiddenState().get(1, 0).toFloatArray(), o.poolerOutput().get(1).toFloatArray());
            // text_embeds = pooler_output @ text_projection.weight^T
            NDArray w = m.stateDict().get("text_projection.weight");
            assertEquals(new Shape(12, 16), w.getShape());
            float[] expected = o.poolerOutput().matMul(w.transpose()).toFloatArray();
            assertArrayEquals(expected, o.textEmbeds().toFloatArray(), 1e-6f);
            // causal: the first token's state does not depend on later tokens
            NDArray other = ids(new long[][] {{1, 21, 31, 8, 9, 10}});
            try (ClipTextOutput p = m.forward(other)) {
                assertArrayEquals(o.penultimate().get(0, 0).toFloatArray(), p.penultimate().get(0, 0).toFloatArray(), 1e-6f);
            }
            // an all-ones padding mask changes nothing
            try (ClipTextOutput q = m.forward(ids, manager.ones(new Shape(2, 6)))) {
                assertArrayEquals(o.lastHiddenState().toFloatArray(), q.lastHiddenState().toFloatArray(), 0f);
            }
        }
    }

    @Test
    void legacyEosTokenIdTwoPoolsAtArgmaxOfIds() {
        ClipTextModel m = ClipTextModel.random(tiny(false, 2), 5, manager);
        NDArray ids = ids(new long[][] {{1, 2, 49, 3, 49}, {1, 2, 3, 4, 5}});
        try (ClipTextOutput o = m.forward(ids)) {
            assertArrayEquals(o.lastHiddenState().get(0, 2).toFloatArray(), o.poolerOutput().get(0).toFloatArray());
            assertArrayEquals(o.lastHiddenState().get(1, 4).toFloatArray(), o.poolerOutput().get(1).toFloatArray());
            assertNull(o.textEmbeds());
        }
    }

    @Test
    void saveAndReloadIsBitIdentical() throws Exception {
        ClipTextModel m = ClipTextModel.random(tiny(true, 7), 11, manager);
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        m.save(a);
        ClipTextModel loaded = ClipTextModel.fromPretrained(a, manager);
        loaded.save(b);
        assertArrayEquals(Files.readAllBytes(a.resolve("model.safetensors")), Files.readAllBytes(b.resolve("model.safetensors")));
        assertEquals(Files.readString(a.resolve("config.json")), Files.readString(b.resolve("config.json")));
        assertEquals(m.config(), loaded.config());
        NDArray ids = ids(new long[][] {{1, 5, 9, 7}});
        try (ClipTextOutput x = m.forward(ids); ClipTextOutput y = loaded.forward(ids)) {
            assertArrayEquals(x.textEmbeds().toFloatArray(), y.textEmbeds().toFloatArray(), 0f);
        }
    }

    @Test
    void parityFolderSavesBackAsTransformersWouldWriteIt() throws Exception {
        ClipTextModel m = ClipTextModel.fromPretrained(CASE.resolve("text_encoder"), manager);
        m.save(dir);
        String python = """
                {
                  "architectures": [
                    "CLIPTextModel"
                  ],
                  "attention_dropout": 0.0,
                  "bos_token_id": 998,
                  "dropout": 0.0,
                  "eos_token_id": 999,
                  "hidden_act": "quick_gelu",
                  "hidden_size": 32,
                  "initializer_factor": 1.0,
                  "initializer_range": 0.02,
                  "intermediate_size": 37,
                  "layer_norm_eps": 1e-05,
                  "max_position_embeddings": 16,
                  "model_type": "clip_text_model",
                  "num_attention_heads": 4,
                  "num_hidden_layers": 5,
                  "pad_token_id": 999,
                  "projection_dim": 32,
                  "torch_dtype": "float32",
                  "vocab_size": 1000
                }
                """;
        assertEquals(python, Files.readString(dir.resolve("config.json")));
        try (SafeTensors orig = SafeTensors.open(CASE.resolve("text_encoder/model.safetensors"));
             SafeTensors saved = SafeTensors.open(dir.resolve("model.safetensors"))) {
            assertEquals(orig.tensors().keySet(), saved.tensors().keySet());
            for (String n : orig.tensors().keySet()) {
                assertArrayEquals(orig.readFloats(n), saved.readFloats(n), 0f, n);
            }
            assertEquals("pt", saved.metadata().get("format"));
        }
    }

    @Test
    void badFoldersFailWithClearErrors() throws Exception {
        ClipTextModel.random(tiny(false, 7), 1, manager).save(dir);
        Path weights = dir.resolve("model.safetensors");
        Map<String, NDArray> state;
        try (SafeTensors st = SafeTensors.open(weights)) {
            state = new HashMap<>(st.loadAll(manager));
        }
        // the position_ids buffer some exports carry is accepted
        state.put(ClipTextModel.POSITION_IDS, manager.arange(0, 8, 1, ai.djl.ndarray.types.DataType.INT64).reshape(1, 8));
        SafeTensorsWriter.writeArrays(weights, state, Map.of("format", "pt"));
        ClipTextModel.fromPretrained(dir, manager);

        state.remove("text_model.final_layer_norm.bias");
        state.put("text_projection.weight", manager.zeros(new Shape(12, 16)));
        SafeTensorsWriter.writeArrays(weights, state, Map.of("format", "pt"));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ClipTextModel.fromPretrained(dir, manager));
        assertEquals(java.util.List.of("text_model.final_layer_norm.bias"), e.missing());
        assertEquals(java.util.List.of("text_projection.weight"), e.unexpected());
        assertTrue(e.getMessage().contains(weights.toString()), e.getMessage());

        Files.writeString(dir.resolve("config.json"), "{\"hidden_size\": 30, \"num_attention_heads\": 4}");
        ConfigException c = assertThrows(ConfigException.class, () -> ClipTextModel.fromPretrained(dir, manager));
        assertTrue(c.getMessage().contains("config.json") && c.getMessage().contains("hidden_size 30"), c.getMessage());
        Files.writeString(dir.resolve("config.json"), "{\"architectures\": [\"CLIPVisionModel\"]}");
        c = assertThrows(ConfigException.class, () -> ClipTextModel.fromPretrained(dir, manager));
        assertTrue(c.getMessage().contains("architectures [CLIPVisionModel] unsupported"), c.getMessage());

        Files.delete(weights);
        Files.writeString(dir.resolve("pytorch_model.bin"), "pickle");
        DiffusersFolderException f = assertThrows(DiffusersFolderException.class,
                () -> ClipTextModel.fromPretrained(dir, manager));
        assertTrue(f.getMessage().contains("model.safetensors: missing (found pytorch_model.bin, a pickle file"), f.getMessage());
    }
}
