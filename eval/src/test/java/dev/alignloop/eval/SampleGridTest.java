package dev.alignloop.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Dimension;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleGridTest {

    private static EvalReport report(int prompts) {
        EvalConfig config = EvalConfig.builder().optPrompts(PromptSource.heldOut(prompts, 11)).build();
        return new EvalGate(Worlds.colourMatch(), ShapesJudge.defaults())
                .evaluate(Worlds.correct(), Worlds.recoloured(), config);
    }

    @Test
    void writesBaselineAbovePolicyEnlargedThreeTimes(@TempDir Path dir) throws Exception {
        EvalReport r = report(10);
        Path png = SampleGrid.write(r, dir.resolve("out/grid.png"), 8);
        BufferedImage grid = ImageIO.read(png.toFile());
        assertEquals(3, SampleGrid.scaleFor(32));
        // 60 px of row labels + 8 columns of (96 + 6); 40 px of prompts (three lines) + 2 rows of (96 + 6).
        assertEquals(new Dimension(60 + 8 * 102, 40 + 2 * 102), SampleGrid.size(8, 32, 32));
        assertEquals(876, grid.getWidth());
        assertEquals(244, grid.getHeight());
        // Cell (row, column) shows the pixel (x / 3, y / 3) of its image, unsmoothed.
        for (int c : new int[] {0, 7}) {
            EvalSample s = r.samples().get(c);
            int x0 = SampleGrid.LABEL_WIDTH + c * 102 + 3;
            for (int row = 0; row < 2; row++) {
                BufferedImage image = row == 0 ? s.baseline() : s.policy();
                int y0 = SampleGrid.PROMPT_STRIP + row * 102 + 3;
                for (int[] p : new int[][] {{0, 0}, {16, 16}, {31, 20}, {5, 31}}) {
                    assertEquals(image.getRGB(p[0], p[1]) & 0xFFFFFF,
                            grid.getRGB(x0 + 3 * p[0] + 1, y0 + 3 * p[1] + 2) & 0xFFFFFF,
                            "column " + c + " row " + row + " pixel " + p[0] + "," + p[1]);
                }
                // The judge frame: green around a fully correct image, red otherwise.
                boolean ok = (row == 0 ? s.judgeBaseline() : s.judgePolicy()).allCorrect();
                assertEquals(ok ? 0x2E9E44 : 0xD03030, grid.getRGB(x0 - 2, y0 + 10) & 0xFFFFFF);
            }
        }
        try (var files = Files.list(png.getParent())) {
            assertEquals(List.of(png), files.toList(), "no temp file is left behind");
        }
    }

    @Test
    void fewerPairsThanColumnsGiveANarrowerGrid(@TempDir Path dir) throws Exception {
        EvalReport r = report(3);
        BufferedImage grid = ImageIO.read(SampleGrid.write(r, dir.resolve("g.png"), 8).toFile());
        assertEquals(SampleGrid.size(3, 32, 32).width, grid.getWidth());
        assertTrue(SampleGrid.render(r, 1).getWidth() < grid.getWidth());
    }
}
