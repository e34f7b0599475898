package dev.alignloop.diffusion.pretrained;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alignloop.diffusion.clip.ClipTextConfig;
import dev.alignloop.diffusion.clip.ClipTextModel;
import dev.alignloop.diffusion.pipeline.TextToImagePipeline;
import dev.alignloop.diffusion.scheduler.SchedulerConfig;
import dev.alignloop.diffusion.scheduler.SchedulerType;
import dev.alignloop.diffusion.unet.UNet2DConditionConfig;
import dev.alignloop.diffusion.unet.UNet2DConditionConfigJson;
import dev.alignloop.diffusion.unet.UNet2DConditionModel;
import dev.alignloop.diffusion.vae.AutoencoderKL;
import dev.alignloop.diffusion.vae.AutoencoderKLConfig;
import dev.alignloop.text.ClipTokenizer;
import dev.alignloop.text.TextTokenizer;
import dev.alignloop.text.Tokenizers;
import dev.alignloop.text.WordLevelTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Loads a {@link DiffusionPolicy} from a diffusers folder: {@code model_index.json}, {@code unet/},
 * {@code text_encoder/} + {@code tokenizer/}, {@code scheduler/} and, for latent models, {@code
 * vae/} (a folder whose index lists no VAE, or {@code [null, null]}, is pixel-space: its UNet must
 * take 3 channels and its output is the image in [-1, 1]).
 *
 * <p>Everything that can be checked without reading weights is checked first, and every problem
 * is reported at once: missing files ({@link DiffusersFolderException}), then configurations that
 * do not fit together or are not implemented ({@link PolicyException}); only then are weights
 * read. A failure frees whatever was loaded.
 */
public final class PolicyLoader {
    /** diffusers' {@code sample_size} default, used when the UNet config has none. */
    static final int DEFAULT_SAMPLE_SIZE = 64;
    private static final String TOKENIZER_CONFIG = "tokenizer_config.json";

    private SchedulerType sampler;
    private boolean strictTokenizer;
    private Integer maxPromptTokens;
    private Path baseFolder;

    PolicyLoader() {
    }

    /**
     * Samples with this scheduler class instead of the folder's, converting its config like
     * {@code DDIMScheduler.from_config(pipe.scheduler.config)}; default: the folder's.
     *
     * @param type the scheduler class, or null for the folder's
     * @return this
     */
    public PolicyLoader optSampler(SchedulerType type) {
        this.sampler = type;
        return this;
    }

    /**
     * Rejects prompts with words the tokenizer does not know instead of mapping them to its unknown
     * token (word-level tokenizers; byte-level BPE knows every input); default false.
     *
     * @param strict whether unknown words are errors
     * @return this
     */
    public PolicyLoader optStrictTokenizer(boolean strict) {
        this.strictTokenizer = strict;
        return this;
    }

    /**
     * The padded prompt length in tokens; default {@code model_max_length} of {@code
     * tokenizer/tokenizer_config.json}, else the CLIP tokenizer's, else the text encoder's {@code
     * max_position_embeddings}. Never more than {@code max_position_embeddings}.
     *
     * @param tokens the length
     * @return this
     */
    public PolicyLoader optMaxPromptTokens(int tokens) {
        if (tokens < 1) {
            throw new IllegalArgumentException("maxPromptTokens must be >= 1, got " + tokens);
        }
        this.maxPromptTokens = tokens;
        return this;
    }

    /**
     * Takes the components the folder lacks (and {@code model_index.json}, if it has none) from a
     * complete base folder: a fine-tuning checkpoint usually holds only the UNet. Default: none,
     * the folder must be complete.
     *
     * @param base the base model's pipeline folder, or null
     * @return this
     */
    public PolicyLoader optBaseFolder(Path base) {
        this.baseFolder = base == null ? null : base.toAbsolutePath().normalize();
        return this;
    }

    /**
     * Loads and validates the folder.
     *
     * @param diffusersDir the pipeline folder
     * @param manager the policy's weights live in a new sub-manager of it
     * @return the policy; close it to free the weights
     * @throws DiffusersFolderException listing every missing file or component
     * @throws PolicyException listing every incompatibility, or naming the component that failed to load
     */
    public DiffusionPolicy load(Path diffusersDir, NDManager manager) {
        Objects.requireNonNull(manager, "manager");
        Path root = Objects.requireNonNull(diffusersDir, "diffusersDir").toAbsolutePath().normalize();
        if (baseFolder == null) {
            return load(root, root, manager);
        }
        try (FolderOverlay overlay = FolderOverlay.of(root, baseFolder)) {
            return load(overlay.dir(), root, manager);
        } catch (DiffusersFolderException e) {
            throw new DiffusersFolderException(root, suffixed(e.problems()));
        } catch (PolicyException e) {
            throw e.getCause() == null ? new PolicyException(root, suffixed(e.problems()))
                    : new PolicyException(root, suffixed(e.problems()).get(0), e.getCause());
        }
    }

    private List<String> suffixed(List<String> problems) {
        return problems.stream().map(p -> p + " (components missing here are taken from " + baseFolder + ")").toList();
    }

    /** Loads from {@code dir}; {@code root} is the folder the caller named (they differ for overlays). */
    private DiffusionPolicy load(Path dir, Path root, NDManager manager) {
        DiffusersFolder folder = DiffusersFolder.open(dir, ModelIndex.UNET, ModelIndex.TEXT_ENCODER,
                ModelIndex.TOKENIZER, ModelIndex.SCHEDULER);
        Configs c = readConfigs(folder);
        NDManager own = manager.newSubManager();
        try {
            UNet2DConditionModel unet = loadComponent(root, "unet", () -> UNet2DConditionModel.fromPretrained(
                    folder.unetDir(), own));
            ClipTextModel clip = loadComponent(root, "text_encoder", () -> ClipTextModel.fromPretrained(
                    folder.textEncoderDir(), own));
            AutoencoderKL vae = c.vae == null ? null
                    : loadComponent(root, "vae", () -> AutoencoderKL.fromPretrained(folder.vaeDir(), own));
            int factor = vae == null ? 1 : c.vae.downsampleFactor();
            int sampleSize = c.unet.sampleSize() == null ? DEFAULT_SAMPLE_SIZE : c.unet.sampleSize();
            int size = sampleSize * factor;
            JsonNode zeros = folder.index().attributes().get("force_zeros_for_empty_prompt");
            TextToImagePipeline pipeline = TextToImagePipeline.builder()
                    .setDenoiser(PolicyAdapters.denoiser(unet))
                    .setTextEncoder(PolicyAdapters.textEncoder(clip, c.tokenizer, c.maxTokens))
                    .setScheduler(c.scheduler)
                    .optDecoder(vae == null ? null : PolicyAdapters.decoder(vae))
                    .optLatentChannels(c.unet.inChannels())
                    .optDefaultSize(size, size)
                    .optForceZerosForEmptyPrompt(zeros != null && zeros.asBoolean(false))
                    .build();
            return new DiffusionPolicy(root, own, unet, clip, vae, c.tokenizer, c.maxTokens, c.scheduler, pipeline,
                    size, size);
        } catch (RuntimeException e) {
            own.close(); // frees whatever was loaded before the failure
            throw e;
        }
    }

    /** The parsed configurations and tokenizer, checked to fit together. */
    private record Configs(UNet2DConditionConfig unet, ClipTextConfig clip, AutoencoderKLConfig vae,
            SchedulerConfig scheduler, TextTokenizer tokenizer, int maxTokens) {
    }

    private Configs readConfigs(DiffusersFolder folder) {
        List<String> problems = new ArrayList<>();
        if (folder.has(ModelIndex.TEXT_ENCODER_2)) {
            problems.add("text_encoder_2/ is present: pipelines with two text encoders (SDXL) are not supported yet");
        }
        UNet2DConditionConfig unet = read(problems, "unet/config.json",
                () -> UNet2DConditionConfigJson.read(folder.configFile(ModelIndex.UNET)));
        ClipTextConfig clip = read(problems, "text_encoder/config.json",
                () -> ClipTextConfig.read(folder.configFile(ModelIndex.TEXT_ENCODER)));
        AutoencoderKLConfig vae = !folder.has(ModelIndex.VAE) ? null : read(problems, "vae/config.json",
                () -> AutoencoderKLConfig.read(folder.configFile(ModelIndex.VAE)));
        SchedulerConfig scheduler = read(problems, "scheduler/scheduler_config.json", () -> sampler == null
                ? SchedulerConfig.load(folder.schedulerDir()) : SchedulerConfig.load(folder.schedulerDir(), sampler));
        TextTokenizer tokenizer = read(problems, "tokenizer/", () -> strict(Tokenizers.load(folder.tokenizerDir())));
        int maxTokens = 0;
        if (unet != null) {
            checkUnet(problems, unet, vae);
        }
        if (unet != null && clip != null) {
            for (int i = 0; i < unet.numBlocks(); i++) {
                if (unet.crossAttentionDim().get(i) != clip.hiddenSize()) {
                    problems.add("unet cross_attention_dim " + unet.crossAttentionDim() + " differs from text_encoder"
                            + " hidden_size " + clip.hiddenSize() + ": the UNet cannot attend to this text encoder");
                    break;
                }
            }
        }
        if (clip != null && tokenizer != null) {
            maxTokens = maxPromptTokens != null ? maxPromptTokens : defaultMaxTokens(folder, tokenizer, clip, problems);
            if (maxTokens > clip.maxPositionEmbeddings()) {
                problems.add("prompt length " + maxTokens + " tokens exceeds text_encoder max_position_embeddings "
                        + clip.maxPositionEmbeddings());
            }
        }
        if (!problems.isEmpty()) {
            throw new PolicyException(folder.root(), problems);
        }
        return new Configs(unet, clip, vae, scheduler, tokenizer, maxTokens);
    }

    private static void checkUnet(List<String> problems, UNet2DConditionConfig unet, AutoencoderKLConfig vae) {
        if (unet.usesTextTime()) {
            problems.add("unet addition_embed_type \"text_time\" (SDXL micro-conditioning) is not supported yet");
        }
        if (unet.outChannels() != unet.inChannels()) {
            problems.add("unet out_channels " + unet.outChannels() + " differs from in_channels " + unet.inChannels()
                    + " (learned-variance models are not supported)");
        }
        if (vae == null && unet.inChannels() != 3) {
            problems.add("model_index.json lists no vae, so the model must be pixel-space (unet in_channels 3), but"
                    + " unet in_channels is " + unet.inChannels() + " (is the vae/ component missing?)");
        }
        if (vae != null && unet.inChannels() != vae.latentChannels()) {
            problems.add("unet in_channels " + unet.inChannels() + " differs from vae latent_channels "
                    + vae.latentChannels());
        }
    }

    private TextTokenizer strict(TextTokenizer tokenizer) {
        return strictTokenizer && tokenizer instanceof WordLevelTokenizer w ? w.strict(true) : tokenizer;
    }

    /** {@code tokenizer_config.json}'s {@code model_max_length}, else CLIP's, else the encoder's positions. */
    private static int defaultMaxTokens(DiffusersFolder folder, TextTokenizer tokenizer, ClipTextConfig clip,
            List<String> problems) {
        Path file = folder.tokenizerDir().resolve(TOKENIZER_CONFIG);
        if (Files.isRegularFile(file)) {
            try {
                ObjectNode node = ConfigJson.read(file);
                JsonNode max = node.get("model_max_length");
                // transformers writes int(1e30) when no limit is known: then it says nothing.
                if (max != null && max.isNumber() && max.asDouble() >= 1 && max.asDouble() < 1e9) {
                    return max.asInt();
                }
            } catch (RuntimeException e) {
                problems.add("tokenizer/" + TOKENIZER_CONFIG + ": " + e.getMessage());
            }
        }
        if (tokenizer instanceof ClipTokenizer clipTokenizer) {
            return Math.min(clipTokenizer.modelMaxLength(), clip.maxPositionEmbeddings());
        }
        return clip.maxPositionEmbeddings();
    }

    private static <T> T read(List<String> problems, String what, java.util.function.Supplier<T> reader) {
        try {
            return reader.get();
        } catch (RuntimeException e) {
            problems.add(what + ": " + e.getMessage());
            return null;
        }
    }

    private static <T> T loadComponent(Path root, String component, java.util.function.Supplier<T> loader) {
        try {
            return loader.get();
        } catch (PolicyException | DiffusersFolderException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new PolicyException(root, component + "/ failed to load: " + e.getMessage(), e);
        }
    }
}
