package dev.alignloop.reward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.reward.RewardManifest.ScoreStats;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class RewardEnsembleTest {

    /** A model whose score is a function of the image width; records batch sizes. */
    static final class FakeModel implements RewardModel {
        final RewardModelId id;
        final ToDoubleFunction<BufferedImage> f;
        final List<Integer> batches = new ArrayList<>();
        boolean closed;

        FakeModel(String name, ToDoubleFunction<BufferedImage> f) {
            this.id = new RewardModelId(name, RewardManifest.sha256(name.getBytes()));
            this.f = f;
        }

        @Override
        public RewardModelId id() {
            return id;
        }

        @Override
        public double[] score(List<String> prompts, List<BufferedImage> images) {
            batches.add(images.size());
            return images.stream().mapToDouble(f).toArray();
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    static List<BufferedImage> widths(int... w) {
        List<BufferedImage> out = new ArrayList<>();
        for (int x : w) {
            out.add(new BufferedImage(x, 1, BufferedImage.TYPE_INT_RGB));
        }
        return out;
    }

    @Test
    void weightedMeanOfStandardizedScoresWithFixedStats() {
        FakeModel a = new FakeModel("a", img -> 20 + img.getWidth());     // PickScore-like scale
        FakeModel b = new FakeModel("b", img -> 0.01 * img.getWidth());   // HPS-like scale
        try (RewardEnsemble e = RewardEnsemble.builder()
                .add(a, 3, new ScoreStats(22, 2)).add(b, 1, new ScoreStats(0.02, 0.01)).build()) {
            RewardEnsemble.Scores s = e.scoreDetailed(Collections.nCopies(2, "p"), widths(1, 4));
            // image 1: a -> (21-22)/2 = -0.5, b -> (0.01-0.02)/0.01 = -1 ; (3 * -0.5 + 1 * -1) / 4
            assertEquals((3 * -0.5 - 1) / 4, s.combined()[0], 1e-12);
            assertEquals((3 * 1.0 + 2) / 4, s.combined()[1], 1e-12);
            assertArrayEquals(new double[] {21, 24}, s.perModel()[0]);
            assertEquals(List.of(a.id(), b.id()), s.models());
            assertEquals(List.of(a.id(), b.id()), e.memberIds());
            assertTrue(e.id().name().equals("ensemble(a+b)"), e.id().name());
        }
        assertTrue(a.closed && b.closed);
    }

    @Test
    void runningStatsStartRawThenStandardize() {
        FakeModel a = new FakeModel("a", img -> 10.0 * img.getWidth());
        RewardEnsemble e = RewardEnsemble.builder().add(a, 1).optWarmup(4).build();
        double[] first = e.score(Collections.nCopies(2, "p"), widths(1, 3));
        assertArrayEquals(new double[] {10, 30}, first, 1e-12, "before warmup: raw scores");
        double[] second = e.score(Collections.nCopies(2, "p"), widths(1, 3));
        // 4 scores seen: 10, 30, 10, 30 -> mean 20, sample std sqrt(400 * 4 / 3)
        double std = Math.sqrt(4 * 100.0 / 3);
        assertArrayEquals(new double[] {-10 / std, 10 / std}, second, 1e-12);
    }

    @Test
    void idDependsOnWeightsAndStats() {
        FakeModel a = new FakeModel("a", img -> 1);
        FakeModel b = new FakeModel("b", img -> 2);
        String h1 = RewardEnsemble.builder().add(a, 1).add(b, 1).build().id().sha256();
        String h2 = RewardEnsemble.builder().add(a, 1).add(b, 2).build().id().sha256();
        String h3 = RewardEnsemble.builder().add(a, 1).add(b, 1, new ScoreStats(0, 1)).build().id().sha256();
        assertEquals(h1, RewardEnsemble.builder().add(a, 1).add(b, 1).build().id().sha256());
        assertNotEquals(h1, h2);
        assertNotEquals(h1, h3);
        assertThrows(IllegalArgumentException.class, () -> RewardEnsemble.builder().add(a, 0));
        assertThrows(IllegalStateException.class, () -> RewardEnsemble.builder().build());
    }
}
