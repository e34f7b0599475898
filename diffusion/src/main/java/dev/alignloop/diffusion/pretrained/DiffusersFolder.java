package dev.alignloop.diffusion.pretrained;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A validated diffusers pipeline folder: {@code model_index.json} plus one sub-folder per listed
 * component ({@code unet/}, {@code vae/}, {@code text_encoder/}, {@code tokenizer/},
 * {@code scheduler/}, ...), each holding the files its {@link ComponentLayout} requires.
 *
 * <p>{@link #open} checks everything at once and throws one {@link DiffusersFolderException}
 * listing all problems. Components listed as {@code [null, null]} are absent and not checked.
 */
public final class DiffusersFolder {
    private final Path root;
    private final ModelIndex index;

    private DiffusersFolder(Path root, ModelIndex index) {
        this.root = root;
        this.index = index;
    }

    /**
     * Opens and validates the pipeline folder {@code root}; {@code required} names components
     * that must be present (e.g. {@code "unet", "scheduler"}) on top of the listed ones being valid.
     *
     * @throws DiffusersFolderException listing every problem found
     */
    public static DiffusersFolder open(Path root, String... required) {
        Path file = root.resolve(ModelIndex.FILE_NAME);
        if (!Files.isDirectory(root)) {
            throw new DiffusersFolderException(root, List.of("folder does not exist"));
        }
        if (!Files.isRegularFile(file)) {
            String hint = Files.isRegularFile(root.resolve("config.json"))
                    ? " (this looks like a single component folder: it has config.json; pass the pipeline folder above it)"
                    : "";
            throw new DiffusersFolderException(root, List.of(ModelIndex.FILE_NAME + ": missing" + hint
                    + "; a diffusers pipeline folder holds model_index.json and one folder per component"
                    + " (unet/, vae/, text_encoder/, tokenizer/, scheduler/)"));
        }
        ModelIndex index;
        try {
            index = ModelIndex.read(file);
        } catch (ConfigException e) {
            throw new DiffusersFolderException(root, List.of(e.getMessage()));
        }
        List<String> problems = new ArrayList<>();
        for (String name : required) {
            if (!index.has(name)) {
                problems.add(ModelIndex.FILE_NAME + ": required component '" + name + "' is "
                        + (index.component(name).isPresent() ? "[null, null]" : "not listed"));
            }
        }
        for (Map.Entry<String, ComponentSpec> e : index.components().entrySet()) {
            ComponentSpec spec = e.getValue();
            if (spec.isPresent()) {
                for (String p : ComponentLayout.of(spec).problems(root, root.resolve(e.getKey()))) {
                    problems.add(p + " [" + e.getKey() + " is " + spec.library() + "." + spec.className() + "]");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new DiffusersFolderException(root, problems);
        }
        return new DiffusersFolder(root, index);
    }

    /** The pipeline folder. */
    public Path root() {
        return root;
    }

    /** The parsed {@code model_index.json}. */
    public ModelIndex index() {
        return index;
    }

    /** Whether {@code component} is listed and present. */
    public boolean has(String component) {
        return index.has(component);
    }

    /** The folder of {@code component}, if present. */
    public Optional<Path> optionalDir(String component) {
        return has(component) ? Optional.of(root.resolve(component)) : Optional.empty();
    }

    /** The folder of a present {@code component}. */
    public Path dir(String component) {
        return optionalDir(component).orElseThrow(() -> new DiffusersFolderException(root,
                List.of(ModelIndex.FILE_NAME + ": component '" + component + "' is not present; listed: "
                        + index.components().keySet())));
    }

    /** The layout of a present {@code component}. */
    public ComponentLayout layout(String component) {
        dir(component);
        return ComponentLayout.of(index.components().get(component));
    }

    /** The config file of {@code component} ({@code config.json} or {@code scheduler_config.json}). */
    public Path configFile(String component) {
        ComponentLayout l = layout(component);
        if (l.configFile() == null) {
            throw new DiffusersFolderException(root, List.of(component + " (" + l + ") has no config file"));
        }
        return dir(component).resolve(l.configFile());
    }

    /** The safetensors weights file of a model {@code component}. */
    public Path weightsFile(String component) {
        ComponentLayout l = layout(component);
        if (l.weightsFile() == null) {
            throw new DiffusersFolderException(root, List.of(component + " (" + l + ") has no weights"));
        }
        return dir(component).resolve(l.weightsFile());
    }

    /** {@code unet/}. */
    public Path unetDir() {
        return dir(ModelIndex.UNET);
    }

    /** {@code vae/}. */
    public Path vaeDir() {
        return dir(ModelIndex.VAE);
    }

    /** {@code text_encoder/}. */
    public Path textEncoderDir() {
        return dir(ModelIndex.TEXT_ENCODER);
    }

    /** {@code tokenizer/}. */
    public Path tokenizerDir() {
        return dir(ModelIndex.TOKENIZER);
    }

    /** {@code scheduler/}. */
    public Path schedulerDir() {
        return dir(ModelIndex.SCHEDULER);
    }

    /** {@code text_encoder_2/} (SDXL), if present. */
    public Optional<Path> textEncoder2Dir() {
        return optionalDir(ModelIndex.TEXT_ENCODER_2);
    }

    /** {@code tokenizer_2/} (SDXL), if present. */
    public Optional<Path> tokenizer2Dir() {
        return optionalDir(ModelIndex.TOKENIZER_2);
    }
}
