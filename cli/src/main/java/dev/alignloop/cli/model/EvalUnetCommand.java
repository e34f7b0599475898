package dev.alignloop.cli.model;

import dev.alignloop.diffusion.unet.UNetParityTool;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "eval-unet", mixinStandardHelpOptions = true,
        description = "UNet2DConditionModel forward: sample, timestep, encoder_hidden_states "
                + "(+ optional text_embeds, time_ids for SDXL) -> sample.")
final class EvalUnetCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "A diffusers unet/ folder (config.json + diffusion_pytorch_model.safetensors).")
    Path model;

    @Mixin
    IoOptions io = new IoOptions();

    @Override
    public Integer call() {
        UNetParityTool.run(IoOptions.existing(model, "--model"), io.inputs(), io.output);
        return 0;
    }
}
