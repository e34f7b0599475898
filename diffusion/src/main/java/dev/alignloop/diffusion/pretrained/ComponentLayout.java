package dev.alignloop.diffusion.pretrained;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files a component folder must hold, by the kind of component named in
 * {@code model_index.json}. Weights are safetensors only: a pickle file ({@code .bin}) in place of
 * them is reported, never loaded.
 */
public enum ComponentLayout {
    /** A diffusers model ({@code UNet2DConditionModel}, {@code AutoencoderKL}, ...). */
    DIFFUSERS_MODEL("config.json", "diffusion_pytorch_model.safetensors", "diffusion_pytorch_model.bin"),
    /** A transformers model ({@code CLIPTextModel}, {@code CLIPTextModelWithProjection}, ...). */
    TRANSFORMERS_MODEL("config.json", "model.safetensors", "pytorch_model.bin"),
    /** A diffusers scheduler. */
    SCHEDULER("scheduler_config.json", null, null),
    /** A transformers tokenizer: {@code vocab.json} + {@code merges.txt}, or {@code tokenizer.json}. */
    TOKENIZER(null, null, null),
    /** A transformers image processor or feature extractor. */
    IMAGE_PROCESSOR("preprocessor_config.json", null, null),
    /** A component of another library: only the folder is required. */
    OTHER(null, null, null);

    private final String configFile;
    private final String weightsFile;
    private final String pickleFile;

    ComponentLayout(String configFile, String weightsFile, String pickleFile) {
        this.configFile = configFile;
        this.weightsFile = weightsFile;
        this.pickleFile = pickleFile;
    }

    /** The layout of a component entry (library and class name). */
    public static ComponentLayout of(ComponentSpec spec) {
        String cls = spec.className() == null ? "" : spec.className();
        if ("diffusers".equals(spec.library())) {
            return cls.endsWith("Scheduler") ? SCHEDULER : DIFFUSERS_MODEL;
        }
        if ("transformers".equals(spec.library())) {
            if (cls.endsWith("Tokenizer") || cls.endsWith("TokenizerFast")) {
                return TOKENIZER;
            }
            if (cls.endsWith("ImageProcessor") || cls.endsWith("FeatureExtractor")) {
                return IMAGE_PROCESSOR;
            }
            return TRANSFORMERS_MODEL;
        }
        return OTHER;
    }

    /** The config file name ({@code config.json}, {@code scheduler_config.json}), or null if none. */
    public String configFile() {
        return configFile;
    }

    /** The safetensors weights file name, or null if the component has no weights. */
    public String weightsFile() {
        return weightsFile;
    }

    /** What the folder must hold, in words (for error messages). */
    public String expectation() {
        return switch (this) {
            case TOKENIZER -> "vocab.json and merges.txt, or tokenizer.json";
            case OTHER -> "a folder";
            default -> weightsFile == null ? configFile : configFile + " and " + weightsFile;
        };
    }

    /**
     * Checks the folder {@code dir} for this layout and returns the problems found, each naming
     * the path relative to {@code base} (e.g. {@code vae/config.json}); empty if valid.
     */
    public List<String> problems(Path base, Path dir) {
        List<String> out = new ArrayList<>();
        String rel = base.relativize(dir).toString();
        String shown = rel.isEmpty() ? dir.toString() : rel;
        if (!Files.isDirectory(dir)) {
            out.add(shown + "/: folder missing (expected " + expectation() + ")");
            return out;
        }
        if (configFile != null && !Files.isRegularFile(dir.resolve(configFile))) {
            out.add(shown + "/" + configFile + ": missing");
        }
        if (weightsFile != null && !Files.isRegularFile(dir.resolve(weightsFile))) {
            String why = ": missing";
            if (Files.exists(dir.resolve(weightsFile + ".index.json"))) {
                why = ": missing (found sharded " + weightsFile + ".index.json; merge the shards into one file)";
            } else if (Files.exists(dir.resolve(pickleFile))) {
                why = ": missing (found " + pickleFile + ", a pickle file, which AlignLoop never loads; "
                        + "convert it to safetensors)";
            }
            out.add(shown + "/" + weightsFile + why);
        }
        if (this == TOKENIZER && !Files.isRegularFile(dir.resolve("tokenizer.json"))
                && !(Files.isRegularFile(dir.resolve("vocab.json")) && Files.isRegularFile(dir.resolve("merges.txt")))) {
            out.add(shown + "/: no tokenizer files (expected " + expectation() + ")");
        }
        return out;
    }

    /** Throws a {@link DiffusersFolderException} listing every problem of {@code dir}, if any. */
    public void requireValid(Path dir) {
        List<String> p = problems(dir, dir);
        if (!p.isEmpty()) {
            throw new DiffusersFolderException(dir, p);
        }
    }
}
