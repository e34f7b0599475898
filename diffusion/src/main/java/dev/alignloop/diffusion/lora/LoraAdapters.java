package dev.alignloop.diffusion.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.alignloop.diffusion.nn.Linear;
import dev.alignloop.diffusion.nn.Module;
import dev.alignloop.diffusion.nn.Parameter;
import dev.alignloop.diffusion.unet.UNet2DConditionModel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The LoRA adapters of one model (peft {@code get_peft_model(model, config)}, diffusers
 * {@code unet.add_adapter(config)}): one {@link LoraLinear} per target {@link Linear}, installed
 * as the layer's adapter, and the model's own parameters frozen.
 *
 * <p>This object is itself a {@link Module} whose parameters are exactly the adapters', named as
 * in peft's state dict ({@code get_peft_model_state_dict}):
 * {@code down_blocks.1.attentions.0.transformer_blocks.0.attn1.to_q.lora_A.weight}. It is what an
 * optimizer steps, gradient clipping measures and {@link LoraWeights} saves; the model's
 * {@code namedParameters()} and checkpoints stay those of the plain model.
 *
 * <pre>{@code
 * LoraAdapters lora = LoraAdapters.inject(unet, LoraConfig.attention(8, 8), seed);
 * lora.attachGradients();                  // the UNet is frozen; only lora_A / lora_B train
 * ... dpo.run(Denoiser.of(unet), ...); optimizer.step(lora, lr); lora.zeroGrad();
 * LoraWeights.save(lora, dir);             // pytorch_lora_weights.safetensors
 * lora.mergeAndUnload();                   // W += scaling * B @ A: a plain UNet again
 * }</pre>
 */
public final class LoraAdapters extends Module {
    private final Module model;
    private final LoraConfig config;
    private final Map<String, LoraLinear> layers = new LinkedHashMap<>(); // module path -> adapter
    private boolean installed;

    private LoraAdapters(Module model, LoraConfig config) {
        this.model = model;
        this.config = config;
    }

    /** {@link #inject(Module, LoraConfig, NDManager, long)} with the adapters in the UNet's manager. */
    public static LoraAdapters inject(UNet2DConditionModel unet, LoraConfig config, long seed) {
        return inject(unet, config, unet.manager(), seed);
    }

    /**
     * Adds an adapter to every {@link Linear} of {@code model} whose path matches a target,
     * initialises them as peft does (A kaiming-uniform from {@code seed}, B zeros: the model's
     * output is unchanged), freezes the model's own parameters and installs the adapters.
     *
     * @param manager where the adapter parameters live (normally the model's)
     * @throws LoraException when a target matches no module, or a module that is not a
     *     {@link Linear}, or a target layer already has an adapter
     */
    public static LoraAdapters inject(Module model, LoraConfig config, NDManager manager, long seed) {
        Map<String, Module> modules = new LinkedHashMap<>();
        collect(model, "", modules);
        List<String> problems = new ArrayList<>();
        for (String target : config.targets()) {
            boolean linear = false;
            List<String> others = new ArrayList<>();
            for (Map.Entry<String, Module> e : modules.entrySet()) {
                if (LoraConfig.matches(e.getKey(), target)) {
                    if (e.getValue() instanceof Linear) {
                        linear = true;
                    } else {
                        others.add(e.getKey() + " (" + e.getValue().getClass().getSimpleName() + ")");
                    }
                }
            }
            if (!others.isEmpty()) {
                problems.add("'" + target + "' matches modules that are not Linear layers, e.g. "
                        + others.subList(0, Math.min(3, others.size())));
            } else if (!linear) {
                problems.add("'" + target + "' matches no module");
            }
        }
        if (!problems.isEmpty()) {
            throw new LoraException("LoRA targets do not fit " + model.getClass().getSimpleName() + ": "
                    + String.join("; ", problems) + " (its Linear layers are named " + linearNames(modules) + ")");
        }
        LoraAdapters adapters = new LoraAdapters(model, config);
        modules.forEach((path, module) -> {
            if (module instanceof Linear linear && config.matches(path)) {
                if (linear.adapter() != null) {
                    throw new LoraException(path + " already has an adapter: unload it before injecting another");
                }
                adapters.add(path, new LoraLinear(manager, linear, config.rank(), config.scaling(), config.dropout()));
            }
        });
        adapters.initialize(seed);
        model.freeze();
        adapters.install();
        return adapters;
    }

    private static void collect(Module m, String prefix, Map<String, Module> out) {
        m.children().forEach((name, child) -> {
            String path = prefix + name;
            out.put(path, child);
            collect(child, path + ".", out);
        });
    }

    /** Distinct trailing names of the Linear layers ({@code to_q}, {@code to_out.0}, ...), for messages. */
    private static Set<String> linearNames(Map<String, Module> modules) {
        Set<String> names = new LinkedHashSet<>();
        modules.forEach((path, m) -> {
            if (m instanceof Linear) {
                String[] p = path.split("\\.");
                String last = p[p.length - 1];
                names.add(p.length > 1 && last.chars().allMatch(Character::isDigit) ? p[p.length - 2] + "." + last : last);
            }
        });
        return names;
    }

    /** An intermediate node of the path tree, so parameter names read like the model's. */
    private static final class Node extends Module {
        <M extends Module> M put(String name, M child) {
            return register(name, child);
        }
    }

    private void add(String path, LoraLinear layer) {
        String[] parts = path.split("\\.");
        Module parent = this;
        for (int i = 0; i < parts.length - 1; i++) {
            Module next = parent.children().get(parts[i]);
            parent = next != null ? next : put(parent, parts[i], new Node());
        }
        put(parent, parts[parts.length - 1], layer);
        layers.put(path, layer);
    }

    private <M extends Module> M put(Module parent, String name, M child) {
        return parent == this ? register(name, child) : ((Node) parent).put(name, child);
    }

    /** The settings. */
    public LoraConfig config() {
        return config;
    }

    /** The adapted model. */
    public Module model() {
        return model;
    }

    /** Adapter per adapted layer, keyed by the layer's path in the model ({@code ...attn1.to_q}). */
    public Map<String, LoraLinear> layers() {
        return Collections.unmodifiableMap(layers);
    }

    /** Whether the adapters are in the model's forward pass. */
    public boolean installed() {
        return installed;
    }

    /** Puts the adapters (back) into the model's forward pass. */
    public LoraAdapters install() {
        layers.values().forEach(l -> {
            Linear.Adapter other = l.base().adapter();
            if (other != null && other != l) {
                throw new LoraException("a layer adapted by this LoRA has another adapter installed");
            }
            l.base().setAdapter(l);
        });
        installed = true;
        return this;
    }

    /**
     * Takes the adapters out of the forward pass (peft {@code unload()} without merging; also
     * {@code disable_adapter_layers}): the model computes its base output again. The adapter
     * parameters are kept; {@link #install()} puts them back.
     */
    public LoraAdapters unload() {
        layers.values().forEach(l -> {
            if (l.base().adapter() == l) {
                l.base().setAdapter(null);
            }
        });
        installed = false;
        return this;
    }

    /**
     * Folds the updates into the base weights ({@code W += scaling · B @ A}, peft
     * {@code merge_and_unload()}) and takes the adapters out: the model is a plain model again,
     * computing what it computed with the adapters installed (up to float32 rounding). The
     * model's parameters stay frozen.
     */
    public Module mergeAndUnload() {
        for (LoraLinear l : layers.values()) {
            Parameter w = l.base().weight();
            try (NDArray delta = l.deltaWeight(); NDArray merged = w.array().add(delta)) {
                w.set(merged);
            }
        }
        return unload().model;
    }

    /**
     * The model's state dict with the updates folded in, leaving the model and the adapters as
     * they are (a merged checkpoint of a run that goes on training): adapted weights are new
     * arrays {@code W + scaling · B @ A} in {@code manager}; every other entry is the live
     * parameter (do not close or modify it).
     */
    public Map<String, NDArray> mergedStateDict(NDManager manager) {
        Map<String, NDArray> state = new LinkedHashMap<>(model.stateDict());
        for (Map.Entry<String, LoraLinear> e : layers.entrySet()) {
            NDArray w = e.getValue().base().weight().array();
            try (NDArray delta = e.getValue().deltaWeight(); NDArray base = w.stopGradient()) {
                NDArray merged = base.add(delta);
                merged.attach(manager);
                state.put(e.getKey() + ".weight", merged);
            }
        }
        return state;
    }
}
