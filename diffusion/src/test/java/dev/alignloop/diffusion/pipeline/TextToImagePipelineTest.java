package dev.alignloop.diffusion.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.alignloop.diffusion.scheduler.NoiseGenerator;
import dev.alignloop.diffusion.scheduler.SchedulerConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TextToImagePipelineTest {
    private static final String SD = "\"beta_start\": 0.00085, \"beta_end\": 0.012, \"beta_schedule\": \"scaled_linear\"";
    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private static SchedulerConfig scheduler(String cls, String extra) {
        return SchedulerConfig.parse("{\"_class_name\": \"" + cls + "\", " + SD + (extra.isEmpty() ? "" : ", " + extra) + "}");
    }

    private static TextToImagePipeline pixelPipeline(SchedulerConfig config, Denoiser denoiser) {
        return TextToImagePipeline.builder().setDenoiser(denoiser).setTextEncoder(ToyModels.encoder(false))
                .setScheduler(config).optLatentChannels(3).optDefaultSize(8, 8).build();
    }

    /** The [0, 1] image of a flat colour in model space. */
    private static float[] expectedImage(float[][] colours, int h, int w) {
        float[] out = new float[colours.length * 3 * h * w];
        int i = 0;
        for (float[] c : colours) {
            for (int ch = 0; ch < 3; ch++) {
                for (int p = 0; p < h * w; p++) {
                    out[i++] = Math.min(Math.max(c[ch] / 2 + 0.5f, 0f), 1f);
                }
            }
        }
        return out;
    }

    private static void assertClose(float[] expected, float[] got, double tol, String what) {
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - got[i]));
        }
        assertTrue(worst <= tol, what + ": worst difference " + worst);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "DDIMScheduler|\"set_alpha_to_one\": true, \"clip_sample\": false, \"steps_offset\": 1",
        "EulerDiscreteScheduler|",
        "EulerDiscreteScheduler|\"timestep_spacing\": \"leading\", \"steps_offset\": 1",
        "DPMSolverMultistepScheduler|\"final_sigmas_type\": \"zero\"",
    })
    void exactEpsilonRecoversTheTargetImage(String spec) {
        String[] p = spec.split("\\|", -1);
        SchedulerConfig config = scheduler(p[0], p[1]);
        TextToImagePipeline pipe = pixelPipeline(config, ToyModels.oracle(config));
        GenerationRequest req = GenerationRequest.builder(List.of("red", "blue")).optSeeds(1, 2).optSteps(10)
                .optGuidanceScale(1.0).build();
        GenerationResult r = pipe.generate(req, manager);
        assertEquals(new Shape(2, 3, 8, 8), r.images().getShape());
        float[] expected = expectedImage(new float[][] {ToyModels.COLOURS.get("red"), ToyModels.COLOURS.get("blue")}, 8, 8);
        assertClose(expected, r.images().toFloatArray(), 1e-4, spec);
    }

    @Test
    void guidanceExtrapolatesFromTheNegativePrompt() {
        SchedulerConfig config = scheduler("EulerDiscreteScheduler", "");
        TextToImagePipeline pipe = pixelPipeline(config, ToyModels.oracle(config));
        float g = 1.5f;
        GenerationRequest req = GenerationRequest.builder(List.of("red", "blue")).optSeeds(3, 4).optSteps(8)
                .optGuidanceScale(g).optNegativePrompts(List.of("green")).build();
        float[] neg = ToyModels.COLOURS.get("green");
        float[][] guided = new float[2][3];
        String[] prompts = {"red", "blue"};
        for (int b = 0; b < 2; b++) {
            for (int c = 0; c < 3; c++) {
                // noise_pred_uncond + g * (noise_pred_text - noise_pred_uncond) implies x0 = neg + g * (x - neg)
                guided[b][c] = neg[c] + g * (ToyModels.COLOURS.get(prompts[b])[c] - neg[c]);
            }
        }
        assertClose(expectedImage(guided, 8, 8), pipe.generate(req, manager).images().toFloatArray(), 1e-4, "cfg");
        // without a negative prompt the unconditional target is the empty prompt's grey
        GenerationRequest plain = GenerationRequest.builder(List.of("red")).optSeeds(3).optSteps(8)
                .optGuidanceScale(g).build();
        float[] red = ToyModels.COLOURS.get("red");
        float[][] fromGrey = {{g * red[0], g * red[1], g * red[2]}};
        assertClose(expectedImage(fromGrey, 8, 8), pipe.generate(plain, manager).images().toFloatArray(), 1e-4, "grey");
    }

    @Test
    void sameSeedSameImageWhateverTheBatch() {
        SchedulerConfig config = scheduler("DDIMScheduler", "\"steps_offset\": 1, \"clip_sample\": false");
        TextToImagePipeline pipe = pixelPipeline(config, ToyModels.noiseSensitive(config));
        GenerationRequest pair = GenerationRequest.builder(List.of("red", "blue")).optSeeds(11, 12).optSteps(5)
                .optEta(0.5).optGuidanceScale(1.2).build();
        float[] both = pipe.generate(pair, manager).images().toFloatArray();
        assertArrayEquals(both, pipe.generate(pair, manager).images().toFloatArray(), "same request, same images");
        GenerationRequest alone = GenerationRequest.builder(List.of("blue")).optSeeds(12).optSteps(5).optEta(0.5)
                .optGuidanceScale(1.2).build();
        float[] second = pipe.generate(alone, manager).images().toFloatArray();
        assertArrayEquals(Arrays.copyOfRange(both, both.length / 2, both.length), second, "row 1 equals the image alone");
        GenerationRequest other = GenerationRequest.builder(List.of("blue")).optSeeds(13).optSteps(5).optEta(0.5)
                .optGuidanceScale(1.2).build();
        assertFalse(Arrays.equals(second, pipe.generate(other, manager).images().toFloatArray()), "another seed differs");
        GenerationResult drawn = pipe.generate(GenerationRequest.builder(List.of("red")).optSteps(2).build(), manager);
        assertEquals(1, drawn.seeds().length, "fresh seeds are reported");
    }

    @Test
    void explicitLatentsAreScaledByInitNoiseSigma() {
        SchedulerConfig config = scheduler("EulerDiscreteScheduler", "");
        List<Float> firstInput = new ArrayList<>();
        Denoiser spy = (latents, t, cond) -> {
            if (firstInput.isEmpty()) {
                firstInput.add(latents.getFloat(0, 0, 0, 0));
            }
            return latents.zerosLike();
        };
        TextToImagePipeline pipe = pixelPipeline(config, spy);
        NDArray noise = manager.ones(new Shape(1, 3, 8, 8));
        pipe.generate(GenerationRequest.builder(List.of("red")).optLatents(noise).optSteps(3).optGuidanceScale(1).build(),
                manager);
        // Euler + linspace: scale_model_input(init_noise_sigma * 1) = sigma / sqrt(sigma^2 + 1)
        double sigma = 14.6146;
        assertEquals(sigma / Math.sqrt(sigma * sigma + 1), firstInput.get(0), 1e-4);
    }

    @Test
    void progressIsReportedEveryStep() {
        SchedulerConfig config = scheduler("DPMSolverMultistepScheduler", "");
        TextToImagePipeline pipe = pixelPipeline(config, ToyModels.oracle(config));
        List<String> events = new ArrayList<>();
        pipe.generate(GenerationRequest.builder(List.of("red")).optSeeds(1).optSteps(4).build(), manager,
                (step, total, t, latents) -> events.add(step + "/" + total + "@" + (int) t + " " + latents.getShape()));
        assertEquals(List.of("0/4@999 (1, 3, 8, 8)", "1/4@749 (1, 3, 8, 8)", "2/4@500 (1, 3, 8, 8)",
                "3/4@250 (1, 3, 8, 8)"), events);
    }

    @Test
    void sdxlConditioningBatchesZerosAndTimeIds() {
        SchedulerConfig config = scheduler("EulerDiscreteScheduler", "");
        AtomicReference<float[]> timeIds = new AtomicReference<>();
        AtomicReference<float[]> embeds = new AtomicReference<>();
        AtomicReference<float[]> hidden = new AtomicReference<>();
        Denoiser spy = (latents, t, cond) -> {
            timeIds.set(cond.timeIds().toFloatArray());
            embeds.set(cond.textEmbeds().toFloatArray());
            hidden.set(cond.encoderHiddenStates().toFloatArray());
            assertEquals(latents.getShape().get(0), cond.batchSize());
            return latents.zerosLike();
        };
        TextToImagePipeline pipe = TextToImagePipeline.builder().setDenoiser(spy).setTextEncoder(ToyModels.encoder(true))
                .setScheduler(config).optLatentChannels(3).optDefaultSize(16, 8).optForceZerosForEmptyPrompt(true).build();
        pipe.generate(GenerationRequest.builder(List.of("red")).optSeeds(1).optSteps(1)
                .optMicroConditioning(new MicroConditioning(1024, 768, 10, 20, 16, 8), MicroConditioning.of(512, 512))
                .build(), manager);
        assertArrayEquals(new float[] {512, 512, 0, 0, 512, 512, 1024, 768, 10, 20, 16, 8}, timeIds.get());
        assertArrayEquals(new float[] {0, 0, 3, 1}, embeds.get(), "zeros for the empty negative prompt, then red's");
        assertArrayEquals(new float[] {0, 0, 0, 0.5f, -0.3f, -0.3f}, hidden.get());
        pipe.generate(GenerationRequest.builder(List.of("red")).optSeeds(1).optSteps(1).optSize(16, 8).build(), manager);
        assertArrayEquals(new float[] {16, 8, 0, 0, 16, 8, 16, 8, 0, 0, 16, 8}, timeIds.get(), "default: the image size");
    }

    @Test
    void decoderGetsLatentsOverScalingFactor() {
        SchedulerConfig config = scheduler("DDIMScheduler", "\"clip_sample\": false, \"set_alpha_to_one\": true");
        AtomicReference<float[]> decoded = new AtomicReference<>();
        ImageDecoder decoder = new ImageDecoder() {
            @Override
            public float scalingFactor() {
                return 0.5f;
            }

            @Override
            public int scaleFactor() {
                return 2;
            }

            @Override
            public NDArray decode(NDArray scaled) {
                decoded.set(scaled.toFloatArray());
                // (B, 4, h, w) -> (B, 3, 2h, 2w): first three channels, nearest upsampling
                NDArray rgb = scaled.get(":, :3");
                return rgb.repeat(2, 2).repeat(3, 2);
            }
        };
        Denoiser zeroNoise = (latents, t, cond) -> latents.zerosLike(); // x0 = latents / sqrt(alpha): ends at noise / sqrt(ac)
        TextToImagePipeline pipe = TextToImagePipeline.builder().setDenoiser(zeroNoise).setTextEncoder(ToyModels.encoder(false))
                .setScheduler(config).optDecoder(decoder).optDefaultSize(8, 4).build();
        NDArray noise = manager.full(new Shape(1, 4, 4, 2), 0.1f);
        GenerationResult r = pipe.generate(GenerationRequest.builder(List.of("red")).optLatents(noise).optSteps(2)
                .optGuidanceScale(1).build(), manager);
        assertEquals(new Shape(1, 3, 8, 4), r.images().getShape());
        float last = decoded.get()[0];
        assertEquals(last / 2 + 0.5f, r.images().getFloat(0, 0, 0, 0), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> pipe.generate(
                GenerationRequest.builder(List.of("red")).optSize(9, 4).build(), manager));
    }

    @Test
    void imagesConvertToRgbAndPng() throws Exception {
        NDArray img = manager.create(new float[] {0f, 1f, 0.5f, 0.25f, 1f, 0f, 0f, 0f, 0.2f, 1f, 1f, 1f},
                new Shape(1, 3, 2, 2));
        java.awt.image.BufferedImage b = Images.toBufferedImage(img, 0);
        assertEquals(2, b.getWidth());
        assertEquals(0x00FF33, b.getRGB(0, 0) & 0xFFFFFF); // r=0, g=1, b=0.2
        assertEquals(0x8000FF, b.getRGB(0, 1) & 0xFFFFFF); // r=0.5 -> 127.5 rounds to even 128
        byte[] png = Images.toPng(b);
        java.awt.image.BufferedImage back = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png));
        assertEquals(b.getRGB(1, 1), back.getRGB(1, 1));
        NDArray x = manager.create(new float[] {-3f, -1f, 0f, 1f, 3f});
        assertArrayEquals(new float[] {0f, 0f, 0.5f, 1f, 1f}, Images.denormalize(x).toFloatArray());
    }

    @Test
    void guidanceRescaleMatchesTheFormula() {
        NDArray uncond = NoiseGenerator.ofSeeds(1).randn(manager, new Shape(1, 2, 3));
        NDArray text = NoiseGenerator.ofSeeds(2).randn(manager, new Shape(1, 2, 3));
        NDArray both = manager.create(concat(uncond.toFloatArray(), text.toFloatArray()), new Shape(2, 2, 3));
        float[] got = Guidance.apply(both, 5.0, 0.7).toFloatArray();
        float[] u = uncond.toFloatArray();
        float[] t = text.toFloatArray();
        float[] cfg = new float[6];
        for (int i = 0; i < 6; i++) {
            cfg[i] = u[i] + 5f * (t[i] - u[i]);
        }
        double ratio = std(t) / std(cfg);
        for (int i = 0; i < 6; i++) {
            assertEquals(0.7 * cfg[i] * ratio + 0.3 * cfg[i], got[i], 1e-5);
        }
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static double std(float[] v) {
        double m = 0;
        for (float x : v) {
            m += x;
        }
        m /= v.length;
        double s = 0;
        for (float x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / (v.length - 1));
    }

    @Test
    void requestsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> GenerationRequest.builder(List.of()).build());
        assertThrows(IllegalArgumentException.class, () -> GenerationRequest.builder(List.of("a", "b")).optSeeds(1).build());
        assertThrows(IllegalArgumentException.class,
                () -> GenerationRequest.builder(List.of("a", "b", "c")).optNegativePrompts(List.of("x", "y")).build());
        assertThrows(IllegalArgumentException.class, () -> GenerationRequest.builder(List.of("a")).optSteps(0).build());
        assertThrows(IllegalArgumentException.class,
                () -> GenerationRequest.builder(List.of("a")).optGuidanceRescale(1.5).build());
    }
}
