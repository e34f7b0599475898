package dev.alignloop.cli.model;

import dev.alignloop.diffusion.clip.ClipParityTool;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "eval-text-encoder", mixinStandardHelpOptions = true,
        description = "CLIPTextModel(WithProjection) forward: input_ids [B,L] -> last_hidden_state, pooler_output, "
                + "hidden_states_penultimate (and text_embeds for projection models).")
final class EvalTextEncoderCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "A transformers text_encoder/ folder (config.json + model.safetensors).")
    Path model;

    @Mixin
    IoOptions io = new IoOptions();

    @Override
    public Integer call() {
        ClipParityTool.run(IoOptions.existing(model, "--model"), io.inputs(), io.output);
        return 0;
    }
}
