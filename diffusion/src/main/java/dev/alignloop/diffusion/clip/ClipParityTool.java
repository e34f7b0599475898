package dev.alignloop.diffusion.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.alignloop.diffusion.safetensors.SafeTensors;
import dev.alignloop.diffusion.safetensors.SafeTensorsWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code eval-text-encoder} parity contract: reads {@code input_ids} [B, L] (and
 * {@code attention_mask} if present) from an inputs file, runs the text encoder of
 * {@code textEncoderDir}, and writes {@code last_hidden_state}, {@code pooler_output},
 * {@code hidden_states_penultimate} and, for {@code CLIPTextModelWithProjection},
 * {@code text_embeds}.
 */
public final class ClipParityTool {
    private ClipParityTool() {
    }

    /** Runs the contract; {@code output} is written atomically. */
    public static void run(Path textEncoderDir, Path inputs, Path output) {
        try (NDManager manager = NDManager.newBaseManager()) {
            ClipTextModel model = ClipTextModel.fromPretrained(textEncoderDir, manager);
            Map<String, NDArray> out = new LinkedHashMap<>();
            try (SafeTensors in = SafeTensors.open(inputs)) {
                NDArray ids = in.toNDArray("input_ids", manager);
                NDArray mask = in.contains("attention_mask") ? in.toNDArray("attention_mask", manager) : null;
                ClipTextOutput o = model.forward(ids, mask);
                out.put("last_hidden_state", o.lastHiddenState());
                out.put("pooler_output", o.poolerOutput());
                out.put("hidden_states_penultimate", o.penultimate());
                if (o.textEmbeds() != null) {
                    out.put("text_embeds", o.textEmbeds());
                }
            }
            SafeTensorsWriter.writeArrays(output, out, Map.of());
        }
    }
}
