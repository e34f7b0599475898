package dev.alignloop.diffusion.checkpoint;

import ai.djl.ndarray.NDArray;
import dev.alignloop.diffusion.optim.Optimizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A folder of checkpoints, one sub-folder per version: atomic writes, discovery of the newest
 * complete checkpoint, and retention (the last K plus an explicit keep set, e.g. PROMOTED
 * versions). Folders whose names start with a dot (temp and trash) are never checkpoints.
 */
public final class CheckpointStore {
    private static final Comparator<TrainingCheckpoint> ORDER = Comparator
            .comparingLong(TrainingCheckpoint::step)
            .thenComparing(c -> c.state().createdAt())
            .thenComparing(TrainingCheckpoint::version);

    private final Path root;
    private final Runnable beforeCommit;

    public CheckpointStore(Path root) {
        this(root, () -> { });
    }

    /** For tests: {@code beforeCommit} runs after everything is written and synced, just before the rename. */
    CheckpointStore(Path root, Runnable beforeCommit) {
        this.root = root;
        this.beforeCommit = beforeCommit;
    }

    public Path root() {
        return root;
    }

    /**
     * Writes checkpoint {@code state.version()} atomically.
     *
     * @param weights writes the diffusers model folder (the UNet's {@code save}, or {@link DiffusersWeights})
     * @param optimizer whose {@link Optimizer#stateDict()} and name are stored
     * @throws CheckpointException if the version exists or anything fails (nothing is left visible)
     */
    public TrainingCheckpoint write(TrainerState state, WeightsWriter weights, Optimizer optimizer) {
        return write(state, weights, optimizer.name(), optimizer.stateDict());
    }

    /** As {@link #write(TrainerState, WeightsWriter, Optimizer)} with the optimizer state given directly. */
    public TrainingCheckpoint write(TrainerState state, WeightsWriter weights, String optimizerName,
            Map<String, NDArray> optimizerState) {
        return new CheckpointWriter(root, beforeCommit).write(state, weights, optimizerName, optimizerState);
    }

    /**
     * Complete checkpoints, oldest first (by step, then creation time). Folders that are not
     * readable checkpoints are skipped (not hashed: see {@link #latestVerified()}).
     */
    public List<TrainingCheckpoint> list() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<TrainingCheckpoint> out = new ArrayList<>();
        for (Path d : children()) {
            String name = d.getFileName().toString();
            if (name.startsWith(".") || !Files.isDirectory(d) || !TrainerState.isValidVersion(name)) {
                continue;
            }
            try {
                TrainingCheckpoint c = TrainingCheckpoint.openUnverified(d);
                if (c.version().equals(name)) {
                    out.add(c);
                }
            } catch (CheckpointException e) {
                // not a complete checkpoint (e.g. a folder someone else created): ignore
            }
        }
        out.sort(ORDER);
        return out;
    }

    /** The newest complete checkpoint, if any. */
    public Optional<TrainingCheckpoint> latest() {
        List<TrainingCheckpoint> all = list();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** The newest checkpoint whose files all match its manifest (older ones are tried in turn). */
    public Optional<TrainingCheckpoint> latestVerified() {
        List<TrainingCheckpoint> all = list();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (CheckpointVerifier.verify(all.get(i).dir()).ok()) {
                return Optional.of(all.get(i));
            }
        }
        return Optional.empty();
    }

    /** Opens version {@code version}, verified. */
    public TrainingCheckpoint open(String version) {
        if (!TrainerState.isValidVersion(version)) {
            throw new CheckpointException("invalid checkpoint version '" + version + "'");
        }
        return TrainingCheckpoint.open(root.resolve(version));
    }

    /**
     * Deletes every checkpoint except the newest {@code keepLast} and those in {@code keep}.
     * Each deletion first renames the folder to a {@code .trash-} name, so a half-deleted
     * checkpoint is never visible.
     *
     * @return the deleted versions
     */
    public List<String> retain(int keepLast, Set<String> keep) {
        if (keepLast < 1) {
            throw new IllegalArgumentException("keepLast must be >= 1 (the newest checkpoint is never deleted), got " + keepLast);
        }
        List<TrainingCheckpoint> all = list();
        List<String> deleted = new ArrayList<>();
        for (int i = 0; i < all.size() - keepLast; i++) {
            TrainingCheckpoint c = all.get(i);
            if (keep.contains(c.version())) {
                continue;
            }
            Path trash = root.resolve(CheckpointLayout.TRASH_PREFIX + c.version());
            try {
                CheckpointWriter.deleteRecursively(trash);
                Files.move(c.dir(), trash, StandardCopyOption.ATOMIC_MOVE);
                CheckpointWriter.deleteRecursively(trash);
            } catch (IOException e) {
                throw new CheckpointException(c.dir() + ": cannot delete: " + e.getMessage(), e);
            }
            deleted.add(c.version());
        }
        return deleted;
    }

    /** Removes leftovers of crashed writes and deletions; call at start-up, before writing. */
    public List<Path> cleanTemporary() {
        List<Path> removed = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return removed;
        }
        for (Path d : children()) {
            String name = d.getFileName().toString();
            if (name.startsWith(CheckpointLayout.TEMP_PREFIX) || name.startsWith(CheckpointLayout.TRASH_PREFIX)) {
                try {
                    CheckpointWriter.deleteRecursively(d);
                } catch (IOException e) {
                    throw new CheckpointException(d + ": cannot delete: " + e.getMessage(), e);
                }
                removed.add(d);
            }
        }
        return removed;
    }

    private List<Path> children() {
        try (Stream<Path> s = Files.list(root)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new CheckpointException(root + ": cannot list: " + e.getMessage(), e);
        }
    }
}
