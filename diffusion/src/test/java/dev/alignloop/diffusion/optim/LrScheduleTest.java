package dev.alignloop.diffusion.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LrScheduleTest {
    @Test
    void constantWithWarmupRampsLinearlyThenHolds() {
        LrSchedule s = LrSchedule.constantWithWarmup(10);
        assertEquals(0.0, s.multiplier(0));
        assertEquals(0.5, s.multiplier(5));
        assertEquals(0.9, s.multiplier(9), 1e-15);
        assertEquals(1.0, s.multiplier(10));
        assertEquals(1.0, s.multiplier(100_000));
        assertEquals(1.0, LrSchedule.constantWithWarmup(0).multiplier(0));
        assertEquals(1.0, LrSchedule.constant().multiplier(7));
    }

    @Test
    void cosineFollowsHalfWaveAfterWarmup() {
        LrSchedule s = LrSchedule.cosine(100, 1100);
        assertEquals(0.01, s.multiplier(1), 1e-15);
        assertEquals(1.0, s.multiplier(100), 1e-15);
        assertEquals(0.5, s.multiplier(600), 1e-12);
        assertEquals(0.5 * (1 + Math.cos(Math.PI * 0.25)), s.multiplier(350), 1e-12);
        assertEquals(0.0, s.multiplier(1100), 1e-12);
        // past the end diffusers' half wave rises again (cos of > pi); the max(0, .) only clips negatives
        assertEquals(0.5 * (1 + Math.cos(Math.PI * 1.1)), s.multiplier(1200), 1e-12);
        assertEquals(2e-5 * 0.5, s.lr(2e-5, 600), 1e-18);
    }

    @Test
    void linearDecaysToZero() {
        LrSchedule s = LrSchedule.linear(2, 12);
        assertEquals(0.5, s.multiplier(1));
        assertEquals(1.0, s.multiplier(2));
        assertEquals(0.5, s.multiplier(7));
        assertEquals(0.0, s.multiplier(12));
        assertEquals(0.0, s.multiplier(20));
    }

    @Test
    void scaleLrReproducesThePaperSetting() {
        // 1e-8 x (gradient accumulation 128 x batch 2 x 8 GPUs = 2048)
        assertEquals(2.048e-5, LrSchedule.scaleLr(1e-8, 128, 2, 8), 1e-20);
        assertEquals(2.048e-5, LrSchedule.scaleLr(1e-8, 2048, 1, 1), 1e-20);
    }

    @Test
    void parsesDiffusersNamesAndValidates() {
        assertEquals(LrSchedule.Kind.CONSTANT_WITH_WARMUP, LrSchedule.Kind.parse("constant_with_warmup"));
        assertEquals(LrSchedule.Kind.COSINE, LrSchedule.Kind.parse("Cosine"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LrSchedule.Kind.parse("polynomial"));
        assertEquals(true, e.getMessage().contains("constant_with_warmup"));
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.cosine(10, 0));
        assertThrows(IllegalArgumentException.class, () -> new LrSchedule(LrSchedule.Kind.CONSTANT, 5, 0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.constant().multiplier(-1));
    }
}
