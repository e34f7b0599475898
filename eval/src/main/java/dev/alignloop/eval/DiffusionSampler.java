package dev.alignloop.eval;

import ai.djl.ndarray.NDManager;
import dev.alignloop.diffusion.checkpoint.CheckpointLayout;
import dev.alignloop.diffusion.checkpoint.TrainingCheckpoint;
import dev.alignloop.diffusion.pretrained.DiffusionPolicy;
import dev.alignloop.diffusion.pretrained.SamplingOptions;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link DiffusionPolicy} as an {@link ImageSampler}, sampling with fixed {@link
 * SamplerSettings}. Owns the policy: {@link #close()} frees its weights.
 */
public final class DiffusionSampler implements ImageSampler, AutoCloseable {
    private final DiffusionPolicy policy;
    private final SamplingOptions options;
    private final String name;

    /**
     * @param policy the loaded policy (closed with this sampler)
     * @param settings how to sample
     * @param name the name reports show
     */
    public DiffusionSampler(DiffusionPolicy policy, SamplerSettings settings, String name) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.options = Objects.requireNonNull(settings, "settings").toSamplingOptions();
        this.name = Objects.requireNonNull(name, "name");
    }

    /**
     * Loads a model folder: a complete diffusers folder, or a training checkpoint. A checkpoint
     * (a folder with {@code trainer_state.json} and {@code manifest.json}) is first verified
     * against its SHA-256 manifest and is named by its version; a folder that lacks components
     * (a checkpoint usually holds only {@code unet/}) takes them from {@code baseFolder}: the
     * policy is the base model with the folder's components overlaid. The tokenizer is strict,
     * so a word it does not know is reported by {@link #validatePrompt} instead of silently
     * becoming the unknown token.
     *
     * @param dir the model folder
     * @param baseFolder a complete diffusers folder to take missing components from, or null
     * @param settings how to sample
     * @param manager the weights live in a sub-manager of it
     * @return the sampler
     * @throws dev.alignloop.diffusion.checkpoint.CheckpointException if a checkpoint fails verification
     * @throws dev.alignloop.diffusion.pretrained.DiffusersFolderException listing missing files
     * @throws dev.alignloop.diffusion.pretrained.PolicyException if the components do not fit together
     */
    public static DiffusionSampler load(Path dir, Path baseFolder, SamplerSettings settings, NDManager manager) {
        Objects.requireNonNull(dir, "dir");
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("model folder " + dir + " does not exist or is not a folder");
        }
        String name = dir.toAbsolutePath().normalize().getFileName().toString();
        if (isCheckpoint(dir)) {
            name = TrainingCheckpoint.open(dir).version(); // verifies every file's SHA-256 first
        }
        boolean overlay = baseFolder != null
                && !dir.toAbsolutePath().normalize().equals(baseFolder.toAbsolutePath().normalize());
        DiffusionPolicy policy = DiffusionPolicy.loader().optStrictTokenizer(true)
                .optBaseFolder(overlay ? baseFolder : null).load(dir, manager);
        return new DiffusionSampler(policy, settings, name);
    }

    /**
     * @param dir a folder
     * @return whether it is a training checkpoint (has a trainer state and a manifest)
     */
    public static boolean isCheckpoint(Path dir) {
        return Files.isRegularFile(dir.resolve(CheckpointLayout.TRAINER_STATE))
                && Files.isRegularFile(dir.resolve(CheckpointLayout.MANIFEST));
    }

    @Override
    public List<BufferedImage> sample(List<String> prompts, long[] seeds) {
        return policy.generate(prompts, seeds, options);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Optional<String> validatePrompt(String prompt) {
        return policy.validatePrompt(prompt);
    }

    /** @return the policy sampled from */
    public DiffusionPolicy policy() {
        return policy;
    }

    /** Frees the policy's weights. */
    @Override
    public void close() {
        policy.close();
    }
}
