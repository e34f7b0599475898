package dev.alignloop.diffusion.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alignloop.diffusion.nn.Module;
import dev.alignloop.diffusion.safetensors.SafeTensors;
import dev.alignloop.diffusion.safetensors.SafeTensorsWriter;
import dev.alignloop.diffusion.unet.UNet2DConditionConfigJson;
import dev.alignloop.diffusion.unet.UNet2DConditionModel;
import dev.alignloop.diffusion.unet.UNetCheckpoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * UNet LoRA files as diffusers writes and reads them ({@code StableDiffusionPipeline.save_lora_weights},
 * {@code pipe.load_lora_weights}): {@code pytorch_lora_weights.safetensors} holding, for every adapted
 * layer, {@code unet.<layer path>.lora_A.weight} [r, in] and {@code unet.<layer path>.lora_B.weight}
 * [out, r] in float32 (peft's state-dict names with the pipeline's {@code unet.} prefix), and
 * {@code __metadata__} {@code {"format": "pt", "lora_adapter_metadata": "<json>"}} where the JSON
 * holds the peft {@code LoraConfig} arguments with the same prefix ({@code "unet.r"},
 * {@code "unet.lora_alpha"}, {@code "unet.target_modules"}, ...), as diffusers' {@code
 * write_lora_layers} stores {@code unet_lora_adapter_metadata}; diffusers' {@code load_lora_adapter}
 * builds the {@code LoraConfig} from it, so {@code alpha ≠ rank} loads with the right scaling.
 *
 * <p>Reading also accepts files without that metadata (diffusers then assumes
 * {@code lora_alpha = r}, scaling 1 — so do we), files whose keys lack the {@code unet.} prefix, and
 * the older diffusers naming {@code .lora.down.weight} / {@code .lora.up.weight} (converted as
 * {@code convert_unet_state_dict_to_peft} does). Text-encoder LoRA, per-layer ranks
 * ({@code rank_pattern}), rsLoRA and DoRA are refused with a message.
 */
public final class LoraWeights {
    /** diffusers' {@code LORA_WEIGHT_NAME_SAFE}. */
    public static final String FILE_NAME = "pytorch_lora_weights.safetensors";
    /** diffusers' {@code LORA_ADAPTER_METADATA_KEY}. */
    public static final String METADATA_KEY = "lora_adapter_metadata";
    /** The pipeline component prefix of UNet keys ({@code cls.unet_name}). */
    public static final String UNET_PREFIX = "unet.";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private LoraWeights() {
    }

    /**
     * A LoRA file read into memory.
     *
     * @param file the file
     * @param config rank, alpha, targets and dropout (from the metadata, else inferred as diffusers does)
     * @param state the adapter tensors under peft names without the {@code unet.} prefix
     *     ({@code ...attn1.to_q.lora_A.weight}), owned by the caller's manager
     */
    public record LoraFile(Path file, LoraConfig config, Map<String, NDArray> state) {}

    /** Writes {@code dir/pytorch_lora_weights.safetensors} (creating {@code dir}); returns the file. */
    public static Path save(LoraAdapters adapters, Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new LoraException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        Path file = dir.resolve(FILE_NAME);
        write(adapters, file);
        return file;
    }

    /** Writes the adapters to {@code file} (names sorted, {@code unet.} prefix, metadata as described above). */
    public static void write(LoraAdapters adapters, Path file) {
        Map<String, NDArray> arrays = new TreeMap<>();
        adapters.stateDict().forEach((name, array) -> arrays.put(UNET_PREFIX + name, array));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt");
        metadata.put(METADATA_KEY, metadataJson(adapters.config()));
        SafeTensorsWriter.writeArrays(file, arrays, metadata);
    }

    /** The {@code lora_adapter_metadata} JSON: peft {@code LoraConfig} kwargs prefixed with {@code unet.}. */
    static String metadataJson(LoraConfig c) {
        ObjectNode o = JSON.createObjectNode();
        o.put("unet.bias", "none");
        o.put("unet.init_lora_weights", true);
        if (c.alpha() == Math.rint(c.alpha()) && Math.abs(c.alpha()) < 1e15) {
            o.put("unet.lora_alpha", (long) c.alpha());
        } else {
            o.put("unet.lora_alpha", c.alpha());
        }
        o.put("unet.lora_dropout", c.dropout());
        o.put("unet.r", c.rank());
        c.targets().forEach(o.putArray("unet.target_modules")::add);
        o.put("unet.use_dora", false);
        o.put("unet.use_rslora", false);
        try {
            return JSON.writeValueAsString(o); // keys inserted in sorted order, as json.dumps(sort_keys=True)
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads a LoRA file (or {@code dir/pytorch_lora_weights.safetensors}).
     *
     * @throws LoraException naming the file and what it holds that cannot be used here
     */
    public static LoraFile read(Path fileOrDir, NDManager manager) {
        Path file = Files.isDirectory(fileOrDir) ? fileOrDir.resolve(FILE_NAME) : fileOrDir;
        if (!Files.isRegularFile(file)) {
            throw new LoraException(file + ": no LoRA weights (expected " + FILE_NAME + ")");
        }
        try (SafeTensors st = SafeTensors.open(file)) {
            Map<String, String> names = peftNames(file, st.tensors().keySet());
            Map<String, Integer> ranks = new LinkedHashMap<>();
            Set<String> layers = new LinkedHashSet<>();
            for (Map.Entry<String, String> e : names.entrySet()) {
                String name = e.getValue();
                long[] shape = st.info(e.getKey()).shape();
                if (shape.length != 2) {
                    throw new LoraException(file + ": " + e.getKey() + " has shape " + java.util.Arrays.toString(shape)
                            + "; only Linear LoRA weights (2-d) are supported");
                }
                if (name.endsWith(".lora_A.weight")) {
                    ranks.put(name, (int) shape[0]);
                    layers.add(name.substring(0, name.length() - ".lora_A.weight".length()));
                }
            }
            if (ranks.isEmpty()) {
                throw new LoraException(file + ": holds no UNet LoRA weights (*.lora_A.weight)");
            }
            Set<Integer> distinct = new LinkedHashSet<>(ranks.values());
            if (distinct.size() != 1) {
                throw new LoraException(file + ": layers have different ranks " + distinct
                        + " (rank_pattern); one rank per file is supported");
            }
            int rank = distinct.iterator().next();
            LoraConfig config = config(file, st.metadata().get(METADATA_KEY), rank, new ArrayList<>(layers));
            Map<String, NDArray> state = new LinkedHashMap<>();
            names.forEach((stored, name) -> state.put(name, st.toNDArray(stored, manager)));
            return new LoraFile(file, config, state);
        }
    }

    /** Stored key -> peft name without the prefix; refuses what is not UNet LoRA. */
    private static Map<String, String> peftNames(Path file, Set<String> keys) {
        boolean prefixed = keys.stream().anyMatch(k -> k.startsWith(UNET_PREFIX));
        Map<String, String> out = new LinkedHashMap<>();
        List<String> refused = new ArrayList<>();
        for (String k : keys) {
            if (prefixed && !k.startsWith(UNET_PREFIX)) {
                refused.add(k);
                continue;
            }
            String name = prefixed ? k.substring(UNET_PREFIX.length()) : k;
            // convert_unet_state_dict_to_peft: ".lora.down" -> ".lora_A", ".lora.up" -> ".lora_B"
            name = name.replace(".lora.down.", ".lora_A.").replace(".lora.up.", ".lora_B.");
            if (!name.endsWith(".lora_A.weight") && !name.endsWith(".lora_B.weight")) {
                refused.add(k);
                continue;
            }
            out.put(k, name);
        }
        if (!refused.isEmpty()) {
            throw new LoraException(file + ": tensors that are not UNet LoRA weights (text-encoder LoRA, alphas,"
                    + " biases, DoRA are not supported): " + refused.subList(0, Math.min(5, refused.size()))
                    + (refused.size() > 5 ? " and " + (refused.size() - 5) + " more" : ""));
        }
        return out;
    }

    private static LoraConfig config(Path file, String metadata, int rank, List<String> layers) {
        if (metadata == null || metadata.isBlank()) {
            // diffusers get_peft_kwargs without alphas: lora_alpha = r (scaling 1); targets = the layers present
            return new LoraConfig(rank, rank, layers, 0.0);
        }
        JsonNode m;
        try {
            m = JSON.readTree(metadata);
        } catch (IOException e) {
            throw new LoraException(file + ": " + METADATA_KEY + " is not JSON: " + e.getMessage(), e);
        }
        for (String flag : List.of("use_rslora", "use_dora")) {
            if (m.path(UNET_PREFIX + flag).asBoolean(false)) {
                throw new LoraException(file + ": " + METADATA_KEY + " sets " + UNET_PREFIX + flag + ", which is not supported");
            }
        }
        for (String pattern : List.of("rank_pattern", "alpha_pattern")) {
            JsonNode p = m.path(UNET_PREFIX + pattern);
            if (p.isObject() && p.size() > 0) {
                throw new LoraException(file + ": " + METADATA_KEY + " has a non-empty " + UNET_PREFIX + pattern
                        + "; one rank and alpha per file are supported");
            }
        }
        JsonNode r = m.path(UNET_PREFIX + "r");
        if (r.isNumber() && r.asInt() != rank) {
            throw new LoraException(file + ": " + METADATA_KEY + " says " + UNET_PREFIX + "r = " + r.asInt()
                    + " but the lora_A weights have rank " + rank);
        }
        JsonNode alpha = m.path(UNET_PREFIX + "lora_alpha");
        JsonNode dropout = m.path(UNET_PREFIX + "lora_dropout");
        List<String> targets = layers;
        JsonNode t = m.path(UNET_PREFIX + "target_modules");
        if (t.isArray() && t.size() > 0) { // a string is a regex in peft: the layers present say the same
            targets = new ArrayList<>();
            for (JsonNode n : t) {
                targets.add(n.asText());
            }
        }
        try {
            return new LoraConfig(rank, alpha.isNumber() ? alpha.asDouble() : rank, targets,
                    dropout.isNumber() ? dropout.asDouble() : 0.0);
        } catch (IllegalArgumentException e) {
            throw new LoraException(file + ": " + METADATA_KEY + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@code unet.load_lora_adapter(file)}: reads the file, injects adapters of its config into
     * {@code model} (freezing it) and loads the weights strictly.
     *
     * @throws LoraException when the file cannot be used
     * @throws dev.alignloop.diffusion.nn.ModelLoadException naming missing, unexpected and
     *     mis-shaped LoRA tensors when the file does not fit the model
     */
    public static LoraAdapters load(Path fileOrDir, Module model, NDManager manager) {
        LoraAdapters adapters;
        try (NDManager tmp = manager.newSubManager()) {
            LoraFile f = read(fileOrDir, tmp);
            adapters = LoraAdapters.inject(model, f.config(), manager, 0L);
            try {
                adapters.loadStateDict(f.state(), true, f.file().toString());
            } catch (RuntimeException e) {
                adapters.unload(); // leave the model computing its base output
                throw e;
            }
        }
        return adapters;
    }

    /**
     * Writes {@code unet}'s {@code config.json} and its weights with the adapters folded in
     * ({@link LoraAdapters#mergedStateDict}) to {@code unetDir}: a plain diffusers {@code unet/}
     * folder, leaving the model and its adapters as they are.
     */
    public static void saveMerged(UNet2DConditionModel unet, LoraAdapters adapters, Path unetDir) {
        if (adapters.model() != unet) {
            throw new IllegalArgumentException("these adapters belong to another model");
        }
        try (NDManager tmp = unet.manager().newSubManager()) {
            Files.createDirectories(unetDir);
            UNet2DConditionConfigJson.write(unet.config(), unetDir.resolve(UNetCheckpoints.CONFIG));
            SafeTensorsWriter.writeArrays(unetDir.resolve(UNetCheckpoints.WEIGHTS),
                    new TreeMap<>(adapters.mergedStateDict(tmp)), Map.of("format", "pt"));
        } catch (IOException e) {
            throw new LoraException("cannot write " + unetDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Merges a LoRA file into a diffusers {@code unet/} folder and writes the result as a new
     * {@code unet/} folder ({@code fuse_lora} + {@code save_pretrained}).
     */
    public static void mergeUnetFolder(Path unetDir, Path lora, Path outUnetDir) {
        try (NDManager m = NDManager.newBaseManager()) {
            UNet2DConditionModel unet = UNet2DConditionModel.fromPretrained(unetDir, m);
            load(lora, unet, m).mergeAndUnload();
            unet.save(outUnetDir);
        }
    }
}
