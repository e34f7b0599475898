package dev.alignloop.diffusion.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.alignloop.diffusion.optim.Optimizer;
import dev.alignloop.diffusion.safetensors.SafeTensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A complete checkpoint folder: a diffusers model folder (weights) plus
 * {@code optimizer.safetensors}, {@code trainer_state.json} and {@code manifest.json}.
 */
public final class TrainingCheckpoint {
    private final Path dir;
    private final TrainerState state;
    private final Manifest manifest;

    TrainingCheckpoint(Path dir, TrainerState state, Manifest manifest) {
        this.dir = dir;
        this.state = state;
        this.manifest = manifest;
    }

    /**
     * Opens a checkpoint folder after verifying every file against its manifest.
     *
     * @throws CheckpointException listing every problem when verification fails, or when the
     *     trainer state is unreadable or names another version than the manifest
     */
    public static TrainingCheckpoint open(Path dir) {
        CheckpointVerifier.Report report = CheckpointVerifier.verify(dir);
        if (!report.ok()) {
            throw new CheckpointException(report.describe());
        }
        return openUnverified(dir);
    }

    /** Opens a checkpoint folder reading only its state and manifest (no hashing). */
    public static TrainingCheckpoint openUnverified(Path dir) {
        Path manifestFile = dir.resolve(CheckpointLayout.MANIFEST);
        Path stateFile = dir.resolve(CheckpointLayout.TRAINER_STATE);
        if (!Files.isRegularFile(manifestFile) || !Files.isRegularFile(stateFile)) {
            throw new CheckpointException(dir + ": not a checkpoint (needs " + CheckpointLayout.MANIFEST + " and "
                    + CheckpointLayout.TRAINER_STATE + ")");
        }
        Manifest manifest = Manifest.read(manifestFile);
        TrainerState state = TrainerStateJson.read(stateFile);
        if (!state.version().equals(manifest.version())) {
            throw new CheckpointException(dir + ": trainer state is version " + state.version() + " but the manifest says "
                    + manifest.version());
        }
        return new TrainingCheckpoint(dir, state, manifest);
    }

    /** The folder; also the diffusers model folder to load the weights from. */
    public Path dir() {
        return dir;
    }

    public TrainerState state() {
        return state;
    }

    public String version() {
        return state.version();
    }

    public long step() {
        return state.step();
    }

    public Manifest manifest() {
        return manifest;
    }

    /** SHA-256 of {@code manifest.json}: one digest that pins every file of the checkpoint. */
    public String sha256() {
        return Manifest.hash(dir.resolve(CheckpointLayout.MANIFEST)).sha256();
    }

    /** The optimizer name stored with its state ({@code AdamW}, {@code Adafactor}). */
    public String optimizerName() {
        try (SafeTensors st = SafeTensors.open(dir.resolve(CheckpointLayout.OPTIMIZER))) {
            String name = st.metadata().get("optimizer");
            if (name == null) {
                throw new CheckpointException(st.file() + ": no 'optimizer' metadata");
            }
            return name;
        }
    }

    /** The optimizer state tensors, in {@code manager}. */
    public Map<String, NDArray> optimizerState(NDManager manager) {
        return SafeTensors.load(dir.resolve(CheckpointLayout.OPTIMIZER), manager);
    }

    /**
     * Loads the stored state into {@code optimizer}.
     *
     * @throws CheckpointException when the checkpoint was written by another optimizer
     */
    public void restore(Optimizer optimizer, NDManager scratch) {
        String stored = optimizerName();
        if (!stored.equals(optimizer.name())) {
            throw new CheckpointException(dir.resolve(CheckpointLayout.OPTIMIZER) + ": state of " + stored
                    + " cannot be loaded into " + optimizer.name());
        }
        try (NDManager m = scratch.newSubManager()) {
            optimizer.loadStateDict(optimizerState(m));
        }
    }

    /** The weights of one diffusers component, e.g. {@code stateDict("unet", manager)}. */
    public Map<String, NDArray> stateDict(String component, NDManager manager) {
        Path f = dir.resolve(component).resolve(DiffusersWeights.WEIGHTS_NAME);
        if (!Files.isRegularFile(f)) {
            throw new CheckpointException(dir + ": no weights for component '" + component + "' (" + f + ")");
        }
        return SafeTensors.load(f, manager);
    }

    @Override
    public String toString() {
        return "TrainingCheckpoint[" + version() + " step " + step() + " at " + dir + "]";
    }
}
