package dev.alignloop.diffusion.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.alignloop.diffusion.dpo.Denoiser;
import dev.alignloop.diffusion.dpo.DpoBatch;
import dev.alignloop.diffusion.dpo.DpoStepResult;
import dev.alignloop.diffusion.dpo.DpoTrainingStep;
import dev.alignloop.diffusion.dpo.TrainMethod;
import dev.alignloop.diffusion.nn.Parameter;
import dev.alignloop.diffusion.optim.AdamW;
import dev.alignloop.diffusion.optim.AdamWConfig;
import dev.alignloop.diffusion.pipeline.Conditioning;
import dev.alignloop.diffusion.pipeline.GenerationRequest;
import dev.alignloop.diffusion.pipeline.GenerationResult;
import dev.alignloop.diffusion.pipeline.TextToImagePipeline;
import dev.alignloop.diffusion.safetensors.HostTensor;
import dev.alignloop.diffusion.scheduler.DDPMScheduler;
import dev.alignloop.diffusion.unet.UNet2DConditionModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The four workloads, built on the production classes (UNet, pipeline, DPO step, AdamW). */
final class Workloads {
    /** Sampling steps of the DDIM case. */
    static final int DDIM_STEPS = 20;
    /** Guidance scale of the DDIM case (diffusers' default). */
    static final double GUIDANCE = 7.5;
    /** Learning rate of the DPO case's AdamW step. */
    static final double LR = 1e-5;
    /** Parameter whose gradient / updated value is compared with PyTorch. */
    static final String PROBE = "conv_in.weight";

    private Workloads() {
    }

    static Workload forward(BenchFolder f, NDManager m) {
        UNet2DConditionModel unet = UNet2DConditionModel.fromPretrained(f.unetDir(), m);
        unet.freeze().eval();
        Map<String, NDArray> in = f.inputs(m, "sample", "timestep", "encoder_hidden_states");
        return capture -> {
            // with torch.no_grad(): unet(sample, timestep, encoder_hidden_states).sample
            try (NDArray out = unet.forward(in.get("sample"), in.get("timestep"), in.get("encoder_hidden_states"), null)) {
                return capture ? Map.of("forward_out", host(out)) : Map.of();
            }
        };
    }

    static Workload forwardBackward(BenchFolder f, NDManager m) {
        UNet2DConditionModel unet = UNet2DConditionModel.fromPretrained(f.unetDir(), m);
        unet.train(true).unfreeze().attachGradients();
        Map<String, NDArray> in = f.inputs(m, "sample", "timestep", "encoder_hidden_states", "target");
        Parameter probe = unet.namedParameters().get(PROBE);
        return capture -> {
            Map<String, HostTensor> out = new LinkedHashMap<>();
            try (NDManager step = m.newSubManager()) {
                step.tempAttachAll(in.values().toArray(new NDArray[0]));
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray pred = unet.forward(in.get("sample"), in.get("timestep"), in.get("encoder_hidden_states"),
                            null);
                    // loss = F.mse_loss(pred, target); loss.backward()
                    NDArray loss = pred.sub(in.get("target")).square().mean();
                    gc.backward(loss);
                    if (capture) {
                        out.put("fwdbwd_loss", host(loss));
                        try (NDArray g = probe.gradient()) {
                            out.put("fwdbwd_grad_probe", host(g));
                        }
                    }
                }
            }
            unet.zeroGrad(); // unet.zero_grad()
            return out;
        };
    }

    static Workload ddim(BenchFolder f, NDManager m) {
        UNet2DConditionModel unet = UNet2DConditionModel.fromPretrained(f.unetDir(), m);
        unet.freeze().eval();
        Map<String, NDArray> in = f.inputs(m, "ddim_latents", "ddim_cond", "ddim_uncond");
        NDArray latents = in.get("ddim_latents");
        int b = Math.toIntExact(latents.getShape().get(0));
        // The "text encoder" returns the stored states: negative ("") rows first, as encode_prompt + cat does.
        NDArray ctx = in.get("ddim_uncond").concat(in.get("ddim_cond"), 0);
        float[] ctxValues = ctx.toFloatArray();
        Shape ctxShape = ctx.getShape();
        List<String> prompts = new ArrayList<>();
        long[] seeds = new long[b];
        for (int i = 0; i < b; i++) {
            prompts.add("prompt " + i);
            seeds[i] = i;
        }
        TextToImagePipeline pipe = TextToImagePipeline.builder()
                .setDenoiser((x, t, cond) -> unet.forward(x, t, cond.encoderHiddenStates(), null))
                .setTextEncoder((p, mgr) -> {
                    if (p.size() != ctxShape.get(0)) {
                        throw new IllegalStateException("expected " + ctxShape.get(0) + " prompts, got " + p.size());
                    }
                    return Conditioning.of(mgr.create(ctxValues, ctxShape));
                })
                .setScheduler(f.ddimConfig())
                .optLatentChannels(Math.toIntExact(latents.getShape().get(1)))
                .optDefaultSize(Math.toIntExact(latents.getShape().get(2)), Math.toIntExact(latents.getShape().get(3)))
                .build();
        GenerationRequest request = GenerationRequest.builder(prompts).optSteps(DDIM_STEPS).optGuidanceScale(GUIDANCE)
                .optSeeds(seeds).optLatents(latents).build();
        return capture -> {
            GenerationResult r = pipe.generate(request, m);
            try (NDArray images = r.images()) {
                return capture ? Map.of("ddim_images", host(images)) : Map.of();
            }
        };
    }

    static Workload dpo(BenchFolder f, NDManager m) {
        UNet2DConditionModel policy = UNet2DConditionModel.fromPretrained(f.unetDir(), m);
        UNet2DConditionModel reference = UNet2DConditionModel.fromPretrained(f.unetDir(), m);
        // unet.train(); ref_unet.requires_grad_(False), eval
        policy.train(true).unfreeze().attachGradients();
        reference.freeze().eval();
        DpoTrainingStep step = new DpoTrainingStep(TrainMethod.DPO, DpoTrainingStep.DEFAULT_BETA,
                new DDPMScheduler(f.ddpmConfig()));
        AdamW optimizer = new AdamW(AdamWConfig.defaults(), m);
        Map<String, NDArray> in = f.inputs(m, "x_w", "x_l", "noise", "timesteps", "dpo_encoder_hidden_states");
        DpoBatch batch = DpoBatch.of(in.get("x_w"), in.get("x_l"), in.get("noise"), in.get("timesteps"),
                in.get("dpo_encoder_hidden_states"));
        Map<String, NDArray> params = policy.stateDict();
        return capture -> {
            DpoStepResult r = step.run(Denoiser.of(policy), Denoiser.of(reference), batch, 1.0);
            // optimizer.step(); optimizer.zero_grad()
            Map<String, NDArray> grads = new LinkedHashMap<>();
            policy.namedParameters().forEach((name, p) -> grads.put(name, p.gradient()));
            optimizer.step(params, grads, LR);
            grads.values().forEach(NDArray::close);
            policy.zeroGrad();
            if (!capture) {
                return Map.of();
            }
            Map<String, HostTensor> out = new LinkedHashMap<>();
            out.put("dpo_loss", HostTensor.ofFloats(new float[] {r.loss()}, 1));
            out.put("dpo_model_diff", HostTensor.ofFloats(r.modelDiff(), r.modelDiff().length));
            out.put("dpo_ref_diff", HostTensor.ofFloats(r.refDiff(), r.refDiff().length));
            out.put("dpo_param_probe", host(params.get(PROBE)));
            return out;
        };
    }

    private static HostTensor host(NDArray a) {
        return HostTensor.ofFloats(a.toFloatArray(), a.getShape().getShape());
    }
}
