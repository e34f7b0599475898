package dev.alignloop.diffusion.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.alignloop.diffusion.safetensors.SafeTensors;
import dev.alignloop.diffusion.safetensors.SafeTensorsWriter;
import java.nio.file.Path;
import java.util.Map;

/**
 * Library side of {@code alignloop model eval-unet}: runs one forward pass on the inputs of a
 * parity case and writes the output, in eval mode and float32.
 */
public final class UNetParityTool {
    private UNetParityTool() {
    }

    /**
     * Reads {@code sample}, {@code timestep}, {@code encoder_hidden_states} and, when present,
     * {@code text_embeds} + {@code time_ids} from {@code inputs}; writes {@code sample} to {@code output}.
     *
     * @param modelDir a diffusers {@code unet/} folder
     */
    public static void run(Path modelDir, Path inputs, Path output) {
        try (NDManager manager = NDManager.newBaseManager()) {
            UNet2DConditionModel unet = UNet2DConditionModel.fromPretrained(modelDir, manager);
            try (SafeTensors in = SafeTensors.open(inputs)) {
                NDArray sample = required(in, inputs, "sample", manager);
                NDArray timestep = required(in, inputs, "timestep", manager);
                NDArray context = required(in, inputs, "encoder_hidden_states", manager);
                AddedCond added = null;
                if (in.contains("text_embeds") || in.contains("time_ids")) {
                    added = new AddedCond(required(in, inputs, "text_embeds", manager),
                            required(in, inputs, "time_ids", manager));
                }
                NDArray out = unet.forward(sample, timestep, context, added);
                SafeTensorsWriter.writeArrays(output, Map.of("sample", out), Map.of("format", "pt"));
            }
        }
    }

    private static NDArray required(SafeTensors in, Path file, String name, NDManager manager) {
        if (!in.contains(name)) {
            throw new IllegalArgumentException(file + ": missing input tensor '" + name + "'");
        }
        return in.toNDArray(name, manager);
    }
}
