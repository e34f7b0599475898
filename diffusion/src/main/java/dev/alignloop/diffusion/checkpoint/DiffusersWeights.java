package dev.alignloop.diffusion.checkpoint;

import ai.djl.ndarray.NDArray;
import dev.alignloop.diffusion.safetensors.SafeTensorsWriter;
import dev.alignloop.diffusion.unet.UNet2DConditionModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.stream.Stream;

/** {@link WeightsWriter}s for diffusers folders. */
public final class DiffusersWeights {
    /** diffusers' weight file name inside a component folder. */
    public static final String WEIGHTS_NAME = "diffusion_pytorch_model.safetensors";

    private DiffusersWeights() {
    }

    /** The UNet's own {@code save} into {@code unet/} (config.json + weights). */
    public static WeightsWriter unet(UNet2DConditionModel unet) {
        return dir -> unet.save(dir.resolve("unet"));
    }

    /**
     * Writes {@code <component>/diffusion_pytorch_model.safetensors} from a state dict and copies
     * the component's {@code config.json} next to it.
     */
    public static WeightsWriter component(String component, Map<String, NDArray> stateDict, Path configJson) {
        return dir -> {
            Path sub = dir.resolve(component);
            Files.createDirectories(sub);
            SafeTensorsWriter.writeArrays(sub.resolve(WEIGHTS_NAME), stateDict, Map.of("format", "pt"));
            Files.copy(configJson, sub.resolve("config.json"), StandardCopyOption.REPLACE_EXISTING);
        };
    }

    /**
     * Copies files or folders of a base diffusers folder unchanged (e.g. {@code model_index.json},
     * {@code scheduler}); names that do not exist there are skipped.
     */
    public static WeightsWriter copyFrom(Path baseModel, String... names) {
        return dir -> {
            for (String name : names) {
                Path src = baseModel.resolve(name);
                if (!Files.exists(src)) {
                    continue;
                }
                try (Stream<Path> s = Files.walk(src)) {
                    for (Path p : s.toList()) {
                        Path dst = dir.resolve(baseModel.relativize(p).toString());
                        if (Files.isDirectory(p)) {
                            Files.createDirectories(dst);
                        } else {
                            Files.createDirectories(dst.getParent());
                            Files.copy(p, dst, StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
            }
        };
    }

    /** Runs writers in order. */
    public static WeightsWriter all(WeightsWriter... writers) {
        return dir -> {
            for (WeightsWriter w : writers) {
                w.write(dir);
            }
        };
    }
}
