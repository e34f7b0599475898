package dev.alignloop.diffusion.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.alignloop.diffusion.safetensors.SafeTensors;
import dev.alignloop.diffusion.safetensors.SafeTensorsWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code eval-vae} parity contract: reads {@code sample} [B, C, H, W] from an inputs file,
 * and writes {@code latent_mean} (the posterior mean) and {@code decoded} (the decode of that mean).
 */
public final class VaeParityTool {
    private VaeParityTool() {
    }

    /** Runs the contract; {@code output} is written atomically. */
    public static void run(Path vaeDir, Path inputs, Path output) {
        try (NDManager manager = NDManager.newBaseManager()) {
            AutoencoderKL vae = AutoencoderKL.fromPretrained(vaeDir, manager);
            NDArray sample;
            try (SafeTensors in = SafeTensors.open(inputs)) {
                sample = in.toNDArray("sample", manager);
            }
            Map<String, NDArray> out = new LinkedHashMap<>();
            NDArray mean = vae.encodeMean(sample);
            out.put("latent_mean", mean);
            out.put("decoded", vae.decode(mean));
            SafeTensorsWriter.writeArrays(output, out, Map.of());
        }
    }
}
