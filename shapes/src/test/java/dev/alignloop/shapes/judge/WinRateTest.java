package dev.alignloop.shapes.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WinRateTest {

    @Test
    void countsTiesAsHalf() {
        WinRate w = WinRate.of(new double[] {1, 0.5, 0.2, 0.75}, new double[] {0.5, 0.5, 0.3, 0.25});
        assertEquals(2, w.wins());
        assertEquals(1, w.ties());
        assertEquals(1, w.losses());
        assertEquals(4, w.n());
        assertEquals(2.5 / 4, w.rate(), 1e-12);
        assertTrue(w.lower() < w.rate() && w.rate() < w.upper());
    }

    @Test
    void wilsonIntervalMatchesReferenceValues() {
        // 50/100: the textbook Wilson 95% interval is [0.4038, 0.5962].
        WinRate half = WinRate.fromCounts(50, 0, 50);
        assertEquals(0.4038, half.lower(), 1e-4);
        assertEquals(0.5962, half.upper(), 1e-4);
        // 10/10: [0.7225, 1].
        WinRate all = WinRate.fromCounts(10, 0, 0);
        assertEquals(0.7225, all.lower(), 1e-4);
        assertEquals(1.0, all.upper(), 1e-12);
        // 130 wins of 200 (65%): lower bound clears 50%, the acceptance bar of issue 6.
        assertTrue(WinRate.fromCounts(130, 0, 70).lower() > 0.5);
        assertEquals("65.0% [58.2%, 71.3%] (130 wins, 0 ties, 70 losses)", WinRate.fromCounts(130, 0, 70).toString());
    }

    @Test
    void rejectsUnpairedEmptyOrNaNScores() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WinRate.of(new double[] {1}, new double[] {1, 2}));
        assertTrue(e.getMessage().contains("paired"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> WinRate.of(new double[0], new double[0]));
        e = assertThrows(IllegalArgumentException.class, () -> WinRate.of(new double[] {0, Double.NaN},
                new double[] {0, 0}));
        assertTrue(e.getMessage().contains("prompt 1"), e.getMessage());
    }
}
