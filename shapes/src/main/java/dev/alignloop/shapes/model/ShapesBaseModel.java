package dev.alignloop.shapes.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.alignloop.diffusion.clip.ClipTextModel;
import dev.alignloop.diffusion.clip.ClipTextOutput;
import dev.alignloop.diffusion.nn.Module;
import dev.alignloop.diffusion.pretrained.DiffusersFolder;
import dev.alignloop.diffusion.pretrained.ModelIndex;
import dev.alignloop.diffusion.scheduler.SchedulerConfig;
import dev.alignloop.diffusion.unet.UNet2DConditionModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The shapes world's base model: UNet ({@code unet}) and text encoder ({@code text_encoder}) as
 * one module tree, so that parameter paths are {@code unet.conv_in.weight} and {@code
 * text_encoder.text_model.embeddings.token_embedding.weight} and one optimizer can train both;
 * plus the tokenizer and sampling scheduler of its diffusers folder.
 *
 * <p>Folder layout ({@link #save}, {@link #load}): {@code model_index.json}, {@code unet/}
 * (config.json + diffusion_pytorch_model.safetensors), {@code text_encoder/} (config.json +
 * model.safetensors), {@code tokenizer/tokenizer.json}, {@code scheduler/scheduler_config.json}.
 */
public final class ShapesBaseModel extends Module {

    private final UNet2DConditionModel unet;
    private final ClipTextModel textEncoder;
    private final ShapesTokenizer tokenizer;
    private final SchedulerConfig scheduler;

    private ShapesBaseModel(UNet2DConditionModel unet, ClipTextModel textEncoder, ShapesTokenizer tokenizer,
                            SchedulerConfig scheduler) {
        this.unet = register(ModelIndex.UNET, unet);
        this.textEncoder = register(ModelIndex.TEXT_ENCODER, textEncoder);
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        if (textEncoder.config().vocabSize() != tokenizer.vocabSize()) {
            throw new IllegalArgumentException("text_encoder vocab_size " + textEncoder.config().vocabSize()
                    + " differs from the tokenizer's " + tokenizer.vocabSize() + " ids");
        }
        if (unet.config().crossAttentionDim().get(0) != textEncoder.config().hiddenSize()) {
            throw new IllegalArgumentException("unet cross_attention_dim " + unet.config().crossAttentionDim()
                    + " differs from text_encoder hidden_size " + textEncoder.config().hiddenSize());
        }
    }

    /** A freshly initialised model with {@link ShapesModelConfigs}, deterministic in {@code seed}. */
    public static ShapesBaseModel random(long seed, NDManager manager) {
        ShapesTokenizer tok = ShapesTokenizer.create();
        UNet2DConditionModel unet = UNet2DConditionModel.random(ShapesModelConfigs.unet(), seed, manager);
        ClipTextModel text = ClipTextModel.random(ShapesModelConfigs.textEncoder(tok.vocabSize()), seed + 1, manager);
        return new ShapesBaseModel(unet, text, tok, ShapesModelConfigs.samplingScheduler());
    }

    /**
     * Loads a diffusers folder written by {@link #save}.
     *
     * @throws dev.alignloop.diffusion.pretrained.DiffusersFolderException listing missing files
     */
    public static ShapesBaseModel load(Path dir, NDManager manager) {
        DiffusersFolder folder = DiffusersFolder.open(dir, ModelIndex.UNET, ModelIndex.TEXT_ENCODER,
                ModelIndex.TOKENIZER, ModelIndex.SCHEDULER);
        ShapesTokenizer tok = ShapesTokenizer.load(folder.tokenizerDir());
        UNet2DConditionModel unet = UNet2DConditionModel.fromPretrained(folder.unetDir(), manager);
        ClipTextModel text = ClipTextModel.fromPretrained(folder.textEncoderDir(), manager);
        return new ShapesBaseModel(unet, text, tok, SchedulerConfig.load(folder.schedulerDir()));
    }

    /**
     * Verifies {@code dir}'s {@code CHECKSUMS.sha256} ({@link ShapesArtifacts#verify}), then loads it:
     * for the shipped {@code models/shapes-base} and for folders {@code BasePretrainer} wrote.
     *
     * @throws ArtifactChecksumException naming the corrupt file and how to regenerate it
     */
    public static ShapesBaseModel loadVerified(Path dir, NDManager manager) {
        ShapesArtifacts.verify(dir, ShapesArtifacts.Artifact.BASE);
        return load(dir, manager);
    }

    /**
     * A base folder with another UNet: {@code unetDir} (config.json + weights, e.g. a DPO
     * checkpoint's {@code unet/}) replaces {@code baseDir}'s; text encoder, tokenizer and scheduler
     * come from {@code baseDir}.
     */
    public static ShapesBaseModel loadWithUnet(Path baseDir, Path unetDir, NDManager manager) {
        ShapesBaseModel base = load(baseDir, manager);
        UNet2DConditionModel unet = UNet2DConditionModel.fromPretrained(unetDir, manager);
        return new ShapesBaseModel(unet, base.textEncoder, base.tokenizer, base.scheduler);
    }

    /** Writes the diffusers folder into {@code dir} (created if needed; files are overwritten). */
    public void save(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        ShapesModelConfigs.modelIndex().write(dir);
        unet.save(dir.resolve(ModelIndex.UNET));
        textEncoder.save(dir.resolve(ModelIndex.TEXT_ENCODER));
        tokenizer.save(dir.resolve(ModelIndex.TOKENIZER));
        scheduler.save(dir.resolve(ModelIndex.SCHEDULER));
    }

    /** The denoiser. */
    public UNet2DConditionModel unet() {
        return unet;
    }

    /** The text encoder. */
    public ClipTextModel textEncoder() {
        return textEncoder;
    }

    /** The tokenizer (strict). */
    public ShapesTokenizer tokenizer() {
        return tokenizer;
    }

    /** The sampling scheduler config of the folder (DDIM); {@code withType(DDPM)} for training. */
    public SchedulerConfig schedulerConfig() {
        return scheduler;
    }

    /**
     * The UNet's conditioning for prompts: the text encoder's {@code last_hidden_state}, without an
     * attention mask (as Stable Diffusion pipelines call CLIP). "" is the unconditional prompt.
     *
     * @return [B, MAX_LENGTH, hidden] in {@code manager}
     */
    public NDArray encodePrompts(List<String> prompts, NDManager manager) {
        long[] ids = tokenizer.encodeIds(prompts);
        try (NDArray input = manager.create(ids, new Shape(prompts.size(), ShapesTokenizer.MAX_LENGTH))) {
            ClipTextOutput out = textEncoder.forward(input);
            NDArray hidden = out.lastHiddenState();
            out.poolerOutput().close();
            out.penultimate().close();
            return hidden;
        }
    }

    /**
     * The UNet's prediction {@code unet(sample, timesteps, context)}, [B, 3, H, W]: epsilon or v,
     * as the scheduler config's {@code prediction_type} says.
     */
    public NDArray predict(NDArray sample, NDArray timesteps, NDArray context) {
        return unet.forward(sample, timesteps, context, null);
    }
}
