package dev.alignloop.cli.model;

import dev.alignloop.reward.image.ClipPreprocessTool;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "clip-preprocess", mixinStandardHelpOptions = true,
        description = "What a Hugging Face CLIPImageProcessor does with a preprocessor_config.json: RGB, "
                + "shortest-edge resize (PIL filters, antialiased), center crop, rescale, normalize -> pixel_values [1,3,H,W].")
final class ClipPreprocessCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, description = "preprocessor_config.json")
    Path config;

    @Option(names = "--image", required = true, description = "Image file (PNG, JPEG, ...).")
    Path image;

    @Option(names = "--output", required = true, description = "safetensors file to write pixel_values to.")
    Path output;

    @Override
    public Integer call() {
        ClipPreprocessTool.run(IoOptions.existing(config, "--config"), IoOptions.existing(image, "--image"), output);
        return 0;
    }
}
