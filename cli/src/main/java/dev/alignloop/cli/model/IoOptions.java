package dev.alignloop.cli.model;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --inputs}/{@code --output} pair shared by the model tools. */
final class IoOptions {
    @Option(names = "--inputs", required = true, description = "safetensors file with the input tensors.")
    Path inputs;

    @Option(names = "--output", required = true, description = "safetensors file to write the outputs to.")
    Path output;

    /** Fails with a message naming the option when a path does not exist. */
    static Path existing(Path path, String option) {
        if (!Files.exists(path)) {
            throw new IllegalArgumentException(option + " " + path + " does not exist");
        }
        return path;
    }

    Path inputs() {
        return existing(inputs, "--inputs");
    }
}
