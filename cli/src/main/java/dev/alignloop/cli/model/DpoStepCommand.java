package dev.alignloop.cli.model;

import dev.alignloop.diffusion.dpo.DpoParityTool;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "dpo-step", mixinStandardHelpOptions = true,
        description = {"One Diffusion-DPO loss evaluation + backward on a batch, exactly as the official train.py.",
                "Batch: x_w, x_l, noise, timesteps, encoder_hidden_states (+ optional text_embeds, time_ids). "
                        + "Output: loss, implicit_acc, model_diff, ref_diff and the gradient of every UNet "
                        + "parameter under its diffusers name."})
final class DpoStepCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Policy: a diffusers folder with unet/ and scheduler/.")
    Path model;

    @Option(names = "--ref", required = true, description = "Frozen reference: a diffusers folder with unet/.")
    Path ref;

    @Option(names = "--beta", defaultValue = "5000", description = "DPO beta (KL strength). Default: ${DEFAULT-VALUE}.")
    double beta;

    @Option(names = "--batch", required = true, description = "safetensors batch file.")
    Path batch;

    @Option(names = "--output", required = true, description = "safetensors file to write the outputs to.")
    Path output;

    @Override
    public Integer call() {
        if (!(beta > 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("--beta must be a positive number, got " + beta);
        }
        var metrics = DpoParityTool.run(IoOptions.existing(model, "--model"), IoOptions.existing(ref, "--ref"), beta,
                IoOptions.existing(batch, "--batch"), output);
        System.out.println(metrics.toMap());
        return 0;
    }
}
