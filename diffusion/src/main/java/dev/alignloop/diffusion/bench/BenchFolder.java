package dev.alignloop.diffusion.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.alignloop.diffusion.safetensors.HostTensor;
import dev.alignloop.diffusion.safetensors.SafeTensors;
import dev.alignloop.diffusion.safetensors.SafeTensorsWriter;
import dev.alignloop.diffusion.scheduler.SchedulerConfig;
import dev.alignloop.diffusion.unet.UNet2DConditionConfig;
import dev.alignloop.diffusion.unet.UNet2DConditionConfigJson;
import dev.alignloop.diffusion.unet.UNet2DConditionModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * A benchmark folder shared by the DJL and PyTorch sides: {@code unet/} (diffusers layout),
 * {@code scheduler_ddim/} and {@code scheduler_ddpm/} ({@code scheduler_config.json}),
 * {@code inputs.safetensors} (every case's inputs, deterministic in the seed) and
 * {@code reference.safetensors} (this implementation's outputs of one iteration of each case).
 *
 * <p>Input tensors: {@code sample}, {@code timestep}, {@code encoder_hidden_states}, {@code target}
 * (forward and forward+backward, batch 2B); {@code ddim_latents} [B, C, H, W], {@code ddim_cond} and
 * {@code ddim_uncond} [B, L, D] (sampling B images, 2B UNet rows with guidance); {@code x_w},
 * {@code x_l}, {@code noise}, {@code timesteps}, {@code dpo_encoder_hidden_states} (B pairs).
 */
public final class BenchFolder {
    /** The 32×32 pixel-space UNet of the embedded shapes world (DESIGN §9): blocks 32/64/64, attention at 16 and 8. */
    public static final String PIXEL_UNET_JSON = """
            {"_class_name": "UNet2DConditionModel", "_diffusers_version": "0.25.0", "sample_size": 32,
             "in_channels": 3, "out_channels": 3, "block_out_channels": [32, 64, 64], "layers_per_block": 1,
             "down_block_types": ["DownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D"],
             "mid_block_type": "UNetMidBlock2DCrossAttn",
             "up_block_types": ["CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "UpBlock2D"],
             "cross_attention_dim": 64, "attention_head_dim": 4, "norm_num_groups": 16, "norm_eps": 1e-05,
             "act_fn": "silu", "flip_sin_to_cos": true, "freq_shift": 0}
            """;
    /** SD 1.5's sampling scheduler (DDIM, scaled_linear, leading spacing, steps_offset 1). */
    public static final String DDIM_JSON = """
            {"_class_name": "DDIMScheduler", "_diffusers_version": "0.25.0", "beta_start": 0.00085, "beta_end": 0.012,
             "beta_schedule": "scaled_linear", "clip_sample": false, "num_train_timesteps": 1000,
             "prediction_type": "epsilon", "set_alpha_to_one": false, "steps_offset": 1,
             "timestep_spacing": "leading"}
            """;
    /** SD 1.5's training scheduler as the DPO script reads it (DDPM, same betas). */
    public static final String DDPM_JSON = """
            {"_class_name": "DDPMScheduler", "_diffusers_version": "0.25.0", "beta_start": 0.00085, "beta_end": 0.012,
             "beta_schedule": "scaled_linear", "clip_sample": false, "num_train_timesteps": 1000,
             "prediction_type": "epsilon", "steps_offset": 1, "timestep_spacing": "leading",
             "variance_type": "fixed_small"}
            """;

    private final Path dir;

    /** @param dir the benchmark folder */
    public BenchFolder(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public Path unetDir() {
        return dir.resolve("unet");
    }

    public Path inputsFile() {
        return dir.resolve("inputs.safetensors");
    }

    public Path referenceFile() {
        return dir.resolve("reference.safetensors");
    }

    public SchedulerConfig ddimConfig() {
        return SchedulerConfig.load(dir.resolve("scheduler_ddim"));
    }

    public SchedulerConfig ddpmConfig() {
        return SchedulerConfig.load(dir.resolve("scheduler_ddpm"));
    }

    /** The UNet's config. */
    public UNet2DConditionConfig unetConfig() {
        return UNet2DConditionConfigJson.read(unetDir().resolve("config.json"));
    }

    /** Loads the named inputs into {@code manager}. */
    public Map<String, NDArray> inputs(NDManager manager, String... names) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        try (SafeTensors st = SafeTensors.open(inputsFile())) {
            for (String n : names) {
                out.put(n, st.toNDArray(n, manager));
            }
        }
        return out;
    }

    /**
     * Writes the folder: the UNet ({@code pixel}: random weights from {@code seed}; otherwise the files of
     * the given diffusers {@code unet/} folder, copied), the scheduler configs and the inputs.
     */
    public void prepare(String model, int pairs, int tokens, long seed) {
        try {
            Files.createDirectories(dir);
            if (model.equals("pixel")) {
                try (NDManager m = NDManager.newBaseManager()) {
                    UNet2DConditionModel.random(UNet2DConditionConfigJson.parse(PIXEL_UNET_JSON), seed, m).save(unetDir());
                }
            } else {
                Path src = Path.of(model);
                Files.createDirectories(unetDir());
                for (String f : new String[] {"config.json", "diffusion_pytorch_model.safetensors"}) {
                    Files.copy(src.resolve(f), unetDir().resolve(f), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            SchedulerConfig.parse(DDIM_JSON).save(dir.resolve("scheduler_ddim"));
            SchedulerConfig.parse(DDPM_JSON).save(dir.resolve("scheduler_ddpm"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir, e);
        }
        writeInputs(unetConfig(), pairs, tokens, seed);
    }

    private void writeInputs(UNet2DConditionConfig c, int pairs, int tokens, long seed) {
        int size = c.sampleSize() == null ? 32 : c.sampleSize();
        long ch = c.inChannels();
        long d = c.crossAttentionDim().get(c.numBlocks() - 1);
        long b2 = 2L * pairs;
        Random r = new Random(seed + 1);
        Map<String, HostTensor> t = new LinkedHashMap<>();
        t.put("sample", gauss(r, b2, ch, size, size));
        t.put("timestep", ints(r, b2));
        t.put("encoder_hidden_states", gauss(r, b2, tokens, d));
        t.put("target", gauss(r, b2, ch, size, size));
        t.put("ddim_latents", gauss(r, pairs, ch, size, size));
        t.put("ddim_cond", gauss(r, pairs, tokens, d));
        t.put("ddim_uncond", gauss(r, pairs, tokens, d));
        t.put("x_w", gauss(r, pairs, ch, size, size));
        t.put("x_l", gauss(r, pairs, ch, size, size));
        t.put("noise", gauss(r, pairs, ch, size, size));
        t.put("timesteps", ints(r, pairs));
        t.put("dpo_encoder_hidden_states", gauss(r, pairs, tokens, d));
        SafeTensorsWriter.write(inputsFile(), t, Map.of("pairs", Integer.toString(pairs), "seed", Long.toString(seed)));
    }

    private static HostTensor gauss(Random r, long... shape) {
        float[] v = new float[Math.toIntExact(new Shape(shape).size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return HostTensor.ofFloats(v, shape);
    }

    private static HostTensor ints(Random r, long n) {
        long[] v = new long[(int) n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextInt(1000);
        }
        return HostTensor.ofLongs(v, n);
    }
}
