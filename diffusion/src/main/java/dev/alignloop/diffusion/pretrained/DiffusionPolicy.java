package dev.alignloop.diffusion.pretrained;

import ai.djl.ndarray.NDManager;
import dev.alignloop.diffusion.clip.ClipTextModel;
import dev.alignloop.diffusion.pipeline.GenerationRequest;
import dev.alignloop.diffusion.pipeline.GenerationResult;
import dev.alignloop.diffusion.pipeline.Images;
import dev.alignloop.diffusion.pipeline.TextToImagePipeline;
import dev.alignloop.diffusion.scheduler.SchedulerConfig;
import dev.alignloop.diffusion.unet.UNet2DConditionModel;
import dev.alignloop.diffusion.vae.AutoencoderKL;
import dev.alignloop.text.Encoding;
import dev.alignloop.text.TextTokenizer;
import dev.alignloop.text.TokenizerException;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A whole text-to-image model loaded from a diffusers folder, ready to sample: the UNet, the CLIP
 * text encoder and its tokenizer, the VAE (latent models) or none (pixel-space models, whose UNet
 * works on RGB directly), and the sampling scheduler — wired into a {@link TextToImagePipeline}.
 *
 * <pre>{@code
 * try (NDManager manager = NDManager.newBaseManager();
 *      DiffusionPolicy policy = DiffusionPolicy.loader().optSampler(SchedulerType.DDIM).load(dir, manager)) {
 *     List<BufferedImage> images = policy.generate(List.of("a red circle"), new long[] {42},
 *             SamplingOptions.of(20, 3.0));
 * }
 * }</pre>
 *
 * <p>The policy owns a sub-manager of the one it was loaded with, holding every weight; {@link
 * #close()} frees it. An image depends only on its prompt, negative prompt, seed and the options
 * (see {@link TextToImagePipeline} for why not on the rest of the batch). {@link #generate} calls
 * are serialized: the model blocks keep small per-resolution caches that are not thread-safe,
 * and one sampling call already uses every intra-op thread.
 */
public final class DiffusionPolicy implements AutoCloseable {
    private final Path root;
    private final NDManager manager;
    private final UNet2DConditionModel unet;
    private final ClipTextModel textEncoder;
    private final AutoencoderKL vae;
    private final TextTokenizer tokenizer;
    private final int maxPromptTokens;
    private final SchedulerConfig schedulerConfig;
    private final TextToImagePipeline pipeline;
    private final int height;
    private final int width;
    private boolean closed; // guarded by this

    DiffusionPolicy(Path root, NDManager manager, UNet2DConditionModel unet, ClipTextModel textEncoder,
            AutoencoderKL vae, TextTokenizer tokenizer, int maxPromptTokens, SchedulerConfig schedulerConfig,
            TextToImagePipeline pipeline, int height, int width) {
        this.root = root;
        this.manager = manager;
        this.unet = unet;
        this.textEncoder = textEncoder;
        this.vae = vae;
        this.tokenizer = tokenizer;
        this.maxPromptTokens = maxPromptTokens;
        this.schedulerConfig = schedulerConfig;
        this.pipeline = pipeline;
        this.height = height;
        this.width = width;
    }

    /**
     * Loads {@code diffusersDir} with the folder's own scheduler and a lenient tokenizer; see
     * {@link PolicyLoader#load}.
     *
     * @param diffusersDir the pipeline folder (holding {@code model_index.json})
     * @param manager the policy's weights live in a sub-manager of it
     * @return the policy
     */
    public static DiffusionPolicy load(Path diffusersDir, NDManager manager) {
        return loader().load(diffusersDir, manager);
    }

    /** @return a loader with options (sampler override, strict tokenizer, prompt length) */
    public static PolicyLoader loader() {
        return new PolicyLoader();
    }

    /**
     * Why {@code prompt} cannot be sampled from, if it cannot: a word the (strict) tokenizer does
     * not know, or more tokens (special tokens included) than {@link #maxPromptTokens()} — which the
     * pipeline would silently truncate. The empty prompt is valid (it is the unconditional one).
     *
     * @param prompt a prompt
     * @return the reason, or empty if the prompt is fine
     */
    public Optional<String> validatePrompt(String prompt) {
        if (prompt == null) {
            return Optional.of("prompt is null");
        }
        try {
            // One more slot than allowed: a prompt that needs it is too long (encode truncates).
            Encoding e = tokenizer.encode(prompt, maxPromptTokens + 1);
            if (e.tokenCount() > maxPromptTokens) {
                return Optional.of("prompt is too long: more than " + maxPromptTokens
                        + " tokens (special tokens included) after tokenization");
            }
            return Optional.empty();
        } catch (TokenizerException | IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    /**
     * Samples one image per prompt.
     *
     * @param prompts one prompt per image
     * @param seeds one noise seed per image: the same seed, prompt and options give the same image
     * @param options steps, guidance, negative prompts
     * @return RGB images of {@link #height()} x {@link #width()}, in prompt order
     * @throws IllegalArgumentException if the sizes disagree
     * @throws IllegalStateException after {@link #close()}
     */
    public synchronized List<BufferedImage> generate(List<String> prompts, long[] seeds, SamplingOptions options) {
        Objects.requireNonNull(options, "options");
        if (closed) {
            throw new IllegalStateException("policy " + root + " is closed");
        }
        GenerationRequest request = GenerationRequest.builder(prompts)
                .optSeeds(Objects.requireNonNull(seeds, "seeds"))
                .optNegativePrompts(options.negativePrompts())
                .optSteps(options.steps())
                .optGuidanceScale(options.guidanceScale())
                .optEta(options.eta())
                .optSize(height, width)
                .build();
        try (NDManager run = manager.newSubManager()) {
            GenerationResult result = pipeline.generate(request, run);
            return Images.toBufferedImages(result.images());
        }
    }

    /** @return the folder this policy was loaded from */
    public Path root() {
        return root;
    }

    /** @return image height in pixels */
    public int height() {
        return height;
    }

    /** @return image width in pixels */
    public int width() {
        return width;
    }

    /** @return whether the UNet works on pixels (no VAE) */
    public boolean isPixelSpace() {
        return vae == null;
    }

    /** @return the scheduler every call samples with (the folder's, or the loader's override) */
    public SchedulerConfig schedulerConfig() {
        return schedulerConfig;
    }

    /** @return the longest accepted prompt in tokens, special tokens included */
    public int maxPromptTokens() {
        return maxPromptTokens;
    }

    /** @return the tokenizer (strict if the loader asked for it) */
    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    /** @return the UNet (for inspection; do not close it) */
    public UNet2DConditionModel unet() {
        return unet;
    }

    /** @return the text encoder (for inspection; do not close it) */
    public ClipTextModel textEncoder() {
        return textEncoder;
    }

    /** @return total parameters of UNet, text encoder and VAE */
    public long parameterCount() {
        return unet.parameterCount() + textEncoder.parameterCount() + (vae == null ? 0 : vae.parameterCount());
    }

    /** @return whether {@link #close()} was called */
    public synchronized boolean isClosed() {
        return closed;
    }

    /** Frees every weight; waits for a running {@link #generate} to finish. Idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            manager.close();
        }
    }

    @Override
    public String toString() {
        return "DiffusionPolicy[" + root + ", " + width + "x" + height + (vae == null ? " pixel-space" : " latent")
                + ", " + schedulerConfig.type().className() + "]";
    }
}
