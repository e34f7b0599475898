package dev.alignloop.shapes.rewardmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.reward.OnnxRewardScorer;
import dev.alignloop.reward.ScorerOptions;
import dev.alignloop.shapes.model.ShapesArtifacts;
import dev.alignloop.shapes.pretrain.PretrainProgress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RewardTrainerTest {

    @Test
    void aShortRunLearnsExportsAndPublishesAVerifiedArtifact(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("models/shapes-reward");
        RewardOptions o = RewardOptions.defaults(out).withSteps(40).withBatch(16, 4).withReporting(24, 10);
        List<PretrainProgress> seen = new ArrayList<>();
        RewardResult r = RewardTrainer.run(o, seen::add);
        assertEquals(List.of(10L, 20L, 30L, 40L), seen.stream().map(PretrainProgress::step).toList());
        assertTrue(seen.get(3).smoothedLoss() < seen.get(0).smoothedLoss(), "loss " + seen);
        assertTrue(r.maxParityError() <= 1e-4, "ONNX vs DJL " + r.maxParityError());
        // background and colour are learnt within a few dozen steps; binding is not (see the README)
        assertTrue(r.heldOut().accuracy(HardNegatives.Kind.CHANGE_BACKGROUND) > 0.8, r.heldOut().toString());
        for (String f : List.of("model.onnx", "reward.json", "tokenizer.json", "train.json", ShapesArtifacts.CHECKSUMS)) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        assertEquals(4, ShapesArtifacts.verify(out, ShapesArtifacts.Artifact.REWARD));
        Files.write(out.resolve("model.onnx"), new byte[] {1}, java.nio.file.StandardOpenOption.APPEND);
        dev.alignloop.shapes.model.ArtifactChecksumException e = org.junit.jupiter.api.Assertions.assertThrows(
                dev.alignloop.shapes.model.ArtifactChecksumException.class,
                () -> ShapesReward.openVerified(out, ScorerOptions.defaults()));
        assertTrue(e.getMessage().contains("model.onnx") && e.getMessage().contains("pretrain reward"), e.getMessage());
        Files.write(out.resolve("model.onnx"), java.util.Arrays.copyOf(Files.readAllBytes(out.resolve("model.onnx")),
                (int) Files.size(out.resolve("model.onnx")) - 1));
        try (OnnxRewardScorer s = ShapesReward.openVerified(out, ScorerOptions.defaults())) {
            assertEquals(RewardTrainer.MODEL_NAME, s.id().name());
            assertTrue(s.manifest().stats() != null && s.manifest().stats().std() > 0);
        }
    }
}
