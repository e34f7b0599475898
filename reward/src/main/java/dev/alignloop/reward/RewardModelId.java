package dev.alignloop.reward;

import java.util.Objects;

/**
 * What a label records about the model that produced it ({@code PreferenceLabel.rewardModel}).
 *
 * @param name   manifest name
 * @param sha256 lowercase hex SHA-256 of the ONNX file (for an ensemble: of its members and weights)
 */
public record RewardModelId(String name, String sha256) {

    /** Requires both fields. */
    public RewardModelId {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sha256, "sha256");
    }

    /** First 12 hex digits, for log lines. */
    public String shortSha() {
        return sha256.substring(0, Math.min(12, sha256.length()));
    }
}
