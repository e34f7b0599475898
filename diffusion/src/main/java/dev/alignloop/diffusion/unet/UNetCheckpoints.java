package dev.alignloop.diffusion.unet;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.alignloop.diffusion.nn.ModelLoadException;
import dev.alignloop.diffusion.pretrained.ModelFiles;
import dev.alignloop.diffusion.safetensors.SafeTensors;
import dev.alignloop.diffusion.safetensors.TensorInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The diffusers {@code unet/} folder: {@code config.json} + {@code diffusion_pytorch_model.safetensors}
 * (float32, exact parameter names, {@code {"format": "pt"}} metadata). Safetensors only.
 */
public final class UNetCheckpoints {
    /** diffusers' weights file name. */
    public static final String WEIGHTS = "diffusion_pytorch_model.safetensors";
    /** diffusers' config file name. */
    public static final String CONFIG = "config.json";

    private UNetCheckpoints() {
    }

    /**
     * Builds the model from {@code unetDir/config.json} and strictly loads the weights, one tensor
     * at a time (fp16/bf16 checkpoints are widened to float32).
     *
     * @throws ModelLoadException listing missing, unexpected and mis-shaped weights, or naming the unreadable file
     * @throws UnsupportedConfigException for config values not implemented here
     */
    public static UNet2DConditionModel fromPretrained(Path unetDir, NDManager manager) {
        Path weights = unetDir.resolve(WEIGHTS);
        if (!Files.isRegularFile(weights)) {
            throw new ModelLoadException(unetDir + ": no " + WEIGHTS + " (only safetensors checkpoints are supported)");
        }
        UNet2DConditionConfig config = UNet2DConditionConfigJson.read(unetDir.resolve(CONFIG));
        UNet2DConditionModel model = new UNet2DConditionModel(config, manager);
        try (SafeTensors st = SafeTensors.open(weights); NDManager tmp = manager.newSubManager()) {
            Map<String, Shape> shapes = new LinkedHashMap<>();
            for (Map.Entry<String, TensorInfo> e : st.tensors().entrySet()) {
                shapes.put(e.getKey(), new Shape(e.getValue().shape()));
            }
            model.loadLazily(shapes, name -> st.toNDArray(name, tmp), true, weights.toString());
        } catch (RuntimeException e) {
            model.namedParameters().values().forEach(p -> p.array().close());
            throw e;
        }
        return model;
    }

    /** Writes the config and the weights (sorted by name) into {@code unetDir}, creating it. */
    public static void save(UNet2DConditionModel model, Path unetDir) {
        try {
            Files.createDirectories(unetDir);
            UNet2DConditionConfigJson.write(model.config(), unetDir.resolve(CONFIG));
        } catch (IOException e) {
            throw new ModelLoadException(unetDir + ": cannot write " + CONFIG + ": " + e.getMessage(), e);
        }
        ModelFiles.writeWeights(model, unetDir.resolve(WEIGHTS));
    }
}
