package dev.alignloop.diffusion.checkpoint;

/** File names inside a checkpoint folder. */
public final class CheckpointLayout {
    /** Format tag in {@code trainer_state.json} and {@code manifest.json}. */
    public static final String FORMAT = "alignloop-checkpoint/1";
    /** SHA-256 and size of every other file. */
    public static final String MANIFEST = "manifest.json";
    /** {@link TrainerState} as JSON. */
    public static final String TRAINER_STATE = "trainer_state.json";
    /** Optimizer state as named tensors; metadata {@code optimizer} holds its name. */
    public static final String OPTIMIZER = "optimizer.safetensors";
    /** Prefix of folders being written (invisible to readers). */
    public static final String TEMP_PREFIX = ".tmp-";
    /** Prefix of folders being deleted (invisible to readers). */
    public static final String TRASH_PREFIX = ".trash-";

    private CheckpointLayout() {
    }
}
