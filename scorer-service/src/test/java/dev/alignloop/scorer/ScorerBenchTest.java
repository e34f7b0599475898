package dev.alignloop.scorer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.scorer.bench.ScorerBench;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Smoke test of the benchmark (8 pairs); the real run is {@code ScorerBench.main} with 512. */
class ScorerBenchTest {

  @Test
  void runsBothSidesAndPrintsTheRatio() throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    ScorerBench.Result r = ScorerBench.run(new ScorerBench.Options(8, 2, 1, 1, 2, "small", null, 4),
        new PrintStream(buf, true, StandardCharsets.UTF_8));
    String out = buf.toString(StandardCharsets.UTF_8);
    assertTrue(r.rawPairsPerSecond() > 0 && r.endToEndPairsPerSecond() > 0, out);
    assertTrue(r.ratio() > 0, out);
    assertTrue(out.contains("% of raw"), out);
  }
}
