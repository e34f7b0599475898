package dev.alignloop.cli.model;

import dev.alignloop.diffusion.vae.VaeParityTool;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "eval-vae", mixinStandardHelpOptions = true,
        description = "AutoencoderKL: sample [B,3,H,W] -> latent_mean (posterior mean) and decoded (decode of that mean).")
final class EvalVaeCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "A diffusers vae/ folder (config.json + diffusion_pytorch_model.safetensors).")
    Path model;

    @Mixin
    IoOptions io = new IoOptions();

    @Override
    public Integer call() {
        VaeParityTool.run(IoOptions.existing(model, "--model"), io.inputs(), io.output);
        return 0;
    }
}
