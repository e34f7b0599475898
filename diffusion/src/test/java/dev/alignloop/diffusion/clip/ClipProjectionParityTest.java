package dev.alignloop.diffusion.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.alignloop.diffusion.pretrained.ParityCases;
import dev.alignloop.diffusion.safetensors.SafeTensors;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@code CLIPTextModelWithProjection} against transformers (the case in this package's test
 * resources, made by {@code make_case.py} there with transformers 5.17 / torch 2.11 on CPU,
 * float32): {@code gelu}, legacy {@code eos_token_id == 2} pooling, {@code text_embeds}, and a
 * right-padding attention mask. The config was written by transformers 5 ({@code dtype},
 * {@code transformers_version} keys), so this also checks that real exports load.
 */
class ClipProjectionParityTest {
    @Test
    void matchesTransformersWithProjectionLegacyPoolingAndMask() throws Exception {
        Path dir = Path.of(getClass().getResource("clip-text-proj-tiny").toURI());
        Map<String, Double> errors = new TreeMap<>();
        try (NDManager manager = NDManager.newBaseManager();
             SafeTensors in = SafeTensors.open(dir.resolve("inputs.safetensors"));
             SafeTensors exp = SafeTensors.open(dir.resolve("expected.safetensors"))) {
            ClipTextModel model = ClipTextModel.fromPretrained(dir.resolve("text_encoder"), manager);
            assertTrue(model.config().hasProjection());
            assertEquals(2, model.config().eosTokenId());
            NDArray ids = in.toNDArray("input_ids", manager);
            try (ClipTextOutput o = model.forward(ids);
                 ClipTextOutput m = model.forward(ids, in.toNDArray("attention_mask", manager))) {
                errors.put("last_hidden_state", err(o.lastHiddenState(), exp, "last_hidden_state"));
                errors.put("pooler_output", err(o.poolerOutput(), exp, "pooler_output"));
                errors.put("hidden_states_penultimate", err(o.penultimate(), exp, "hidden_states_penultimate"));
                errors.put("text_embeds", err(o.textEmbeds(), exp, "text_embeds"));
                errors.put("masked_last_hidden_state", err(m.lastHiddenState(), exp, "masked_last_hidden_state"));
                errors.put("masked_text_embeds", err(m.textEmbeds(), exp, "masked_text_embeds"));
            }
        }
        System.out.println("parity clip-text-proj-tiny: " + errors);
        errors.forEach((n, e) -> assertTrue(e <= 1e-4, n + ": error " + e));
    }

    private static double err(NDArray got, SafeTensors exp, String name) {
        assertEquals(exp.info(name).shape().length, got.getShape().dimension(), name);
        return ParityCases.error(got.toFloatArray(), exp.readFloats(name));
    }
}
