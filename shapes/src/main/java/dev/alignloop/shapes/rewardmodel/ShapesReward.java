package dev.alignloop.shapes.rewardmodel;

import dev.alignloop.reward.OnnxRewardScorer;
import dev.alignloop.reward.RewardManifest;
import dev.alignloop.reward.ScorerOptions;
import dev.alignloop.shapes.model.ShapesArtifacts;
import java.nio.file.Path;

/** Opens the shipped reward model ({@code models/shapes-reward}) after checking its checksums. */
public final class ShapesReward {
    private ShapesReward() {
    }

    /**
     * Verifies {@code dir/CHECKSUMS.sha256}, then opens {@code dir/reward.json} with ONNX Runtime.
     *
     * @throws dev.alignloop.shapes.model.ArtifactChecksumException naming the corrupt file and the
     *                                                              regenerate command
     */
    public static OnnxRewardScorer openVerified(Path dir, ScorerOptions options) {
        ShapesArtifacts.verify(dir, ShapesArtifacts.Artifact.REWARD);
        return OnnxRewardScorer.open(dir.resolve(RewardManifest.DEFAULT_FILE_NAME), options);
    }
}
