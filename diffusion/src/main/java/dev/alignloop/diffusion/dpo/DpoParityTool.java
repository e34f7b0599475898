package dev.alignloop.diffusion.dpo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.alignloop.diffusion.nn.Parameter;
import dev.alignloop.diffusion.safetensors.SafeTensorsWriter;
import dev.alignloop.diffusion.scheduler.DDPMScheduler;
import dev.alignloop.diffusion.unet.UNet2DConditionModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Library side of {@code alignloop model dpo-step}: one Diffusion-DPO step on a batch file, with
 * the loss, implicit accuracy, per-pair {@code model_diff}/{@code ref_diff} and the gradient of
 * the loss for every UNet parameter written under its diffusers name, for comparison with the
 * official PyTorch implementation.
 */
public final class DpoParityTool {
    private DpoParityTool() {
    }

    /**
     * Runs the step and writes {@code output}.
     *
     * @param policyDir diffusers folder of the policy ({@code unet/}, {@code scheduler/})
     * @param refDir diffusers folder of the frozen reference ({@code unet/})
     * @param beta {@code beta_dpo}
     * @param batchFile safetensors with {@code x_w}, {@code x_l}, {@code noise}, {@code timesteps},
     *     {@code encoder_hidden_states} (+ {@code text_embeds}, {@code time_ids} for SDXL)
     * @param output safetensors to write: {@code loss} [1], {@code implicit_acc} [1],
     *     {@code model_diff} [B], {@code ref_diff} [B] and one gradient per UNet parameter (zeros
     *     where the loss does not depend on it)
     * @return the step's metrics
     */
    public static DpoMetrics run(Path policyDir, Path refDir, double beta, Path batchFile, Path output) {
        Path schedulerDir = policyDir.resolve("scheduler");
        if (!Files.isDirectory(schedulerDir)) {
            throw new DpoException(policyDir + ": no scheduler/ folder (needed for add_noise and prediction_type)");
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            UNet2DConditionModel policy = UNet2DConditionModel.fromPretrained(policyDir.resolve("unet"), manager);
            UNet2DConditionModel reference = UNet2DConditionModel.fromPretrained(refDir.resolve("unet"), manager);
            // unet.train(); ref_unet.requires_grad_(False) (eval mode)
            policy.train(true).unfreeze().attachGradients();
            reference.freeze().eval();
            DDPMScheduler scheduler = DpoTrainingStep.trainingScheduler(schedulerDir);
            DpoBatch batch = DpoBatch.load(batchFile, manager);
            DpoStepResult r = new DpoTrainingStep(TrainMethod.DPO, beta, scheduler)
                    .run(Denoiser.of(policy), Denoiser.of(reference), batch, 1.0);

            Map<String, NDArray> out = new LinkedHashMap<>();
            out.put("loss", manager.create(new float[] {r.loss()}));
            out.put("implicit_acc", manager.create(new float[] {r.implicitAcc()}));
            out.put("model_diff", manager.create(r.modelDiff()));
            out.put("ref_diff", manager.create(r.refDiff()));
            for (Map.Entry<String, Parameter> e : policy.namedParameters().entrySet()) {
                NDArray g = e.getValue().gradient();
                out.put(e.getKey(), g != null ? g : manager.zeros(e.getValue().shape()));
            }
            SafeTensorsWriter.writeArrays(output, out, Map.of("format", "pt", "beta", Double.toString(beta)));
            return r.metrics();
        }
    }
}
