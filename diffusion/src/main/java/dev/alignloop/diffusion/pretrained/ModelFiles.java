package dev.alignloop.diffusion.pretrained;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.alignloop.diffusion.nn.ModelLoadException;
import dev.alignloop.diffusion.nn.Module;
import dev.alignloop.diffusion.safetensors.SafeTensors;
import dev.alignloop.diffusion.safetensors.SafeTensorsWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The weights half of a model folder ({@code config.json} + one safetensors file with the
 * model's exact parameter names), shared by the models that load and save such folders.
 */
public final class ModelFiles {
    private ModelFiles() {
    }

    /**
     * Loads every tensor of {@code file} and strictly copies them into {@code model}, after
     * {@code adapt} (which may rename or drop entries of the mutable map it is given).
     *
     * @throws ModelLoadException naming missing, unexpected or mis-shaped tensors
     */
    public static void loadStrict(Module model, Path file, NDManager manager,
                                  UnaryOperator<Map<String, NDArray>> adapt) {
        try (NDManager tmp = manager.newSubManager(); SafeTensors st = SafeTensors.open(file)) {
            model.loadStateDict(adapt.apply(st.loadAll(tmp)), true, file.toString());
        }
    }

    /**
     * Creates {@code dir}, has {@code writeConfig} write {@code dir/configName}, then writes the
     * weights to {@code dir/weightsName} (see {@link #writeWeights}).
     *
     * @throws UncheckedIOException if {@code dir} cannot be created
     */
    public static void save(Module model, Path dir, String configName, Consumer<Path> writeConfig, String weightsName) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        writeConfig.accept(dir.resolve(configName));
        writeWeights(model, dir.resolve(weightsName));
    }

    /** Writes {@code model}'s state dict to {@code file}, names sorted, metadata {@code {"format": "pt"}}. */
    public static void writeWeights(Module model, Path file) {
        SafeTensorsWriter.writeArrays(file, new TreeMap<>(model.stateDict()), Map.of("format", "pt"));
    }
}
