package dev.alignloop.reward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.alignloop.reward.PairScore.Winner;
import dev.alignloop.reward.PairScorer.PairInput;
import java.util.List;
import org.junit.jupiter.api.Test;

class PairScorerTest {

    @Test
    void winnerMarginAndTies() {
        RewardEnsembleTest.FakeModel m = new RewardEnsembleTest.FakeModel("m", img -> img.getWidth() * 0.5);
        PairScorer scorer = new PairScorer(m, 1.0);
        List<java.awt.image.BufferedImage> w = RewardEnsembleTest.widths(10, 4, 4, 10, 6, 7);

        PairScore a = scorer.score("p", w.get(0), w.get(1));
        assertEquals(new PairScore(5, 2, 3, Winner.A), a);
        assertEquals(5, a.winnerScore());
        assertEquals(2, a.loserScore());
        assertEquals(List.of(2), m.batches, "both images of a pair in one batch");

        List<PairScore> all = scorer.scoreAll(List.of(new PairInput("p", w.get(0), w.get(1)),
                new PairInput("q", w.get(2), w.get(3)), new PairInput("r", w.get(4), w.get(5))));
        assertEquals(Winner.A, all.get(0).winner());
        assertEquals(Winner.B, all.get(1).winner());
        assertEquals(-3, all.get(1).margin());
        assertEquals(3, all.get(1).absMargin());
        assertEquals(Winner.TIE, all.get(2).winner(), "|3 - 3.5| < 1");
        assertEquals(List.of(2, 6), m.batches, "three pairs in one batch");
        assertEquals(List.of(), scorer.scoreAll(List.of()));
        assertThrows(IllegalArgumentException.class, () -> new PairScorer(m, -1));
    }

    @Test
    void zeroThresholdOnlyTiesExactlyEqualScores() {
        assertEquals(Winner.TIE, PairScore.of(1, 1, 0).winner());
        assertEquals(Winner.B, PairScore.of(1, 1 + 1e-12, 0).winner());
    }
}
