package dev.alignloop.shapes.judge;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.shapes.prompt.PromptSampler;
import dev.alignloop.shapes.prompt.PromptSplit;
import dev.alignloop.shapes.prompt.SceneSpec;
import dev.alignloop.shapes.render.RenderedScene;
import dev.alignloop.shapes.render.SceneRenderer;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Generated images are soft and noisy. The judge must stay accurate on rendered scenes degraded
 * the way a small diffusion model degrades them: a 3×3 binomial blur, Gaussian pixel noise
 * (σ = 8 of 255) and a small global colour cast.
 */
class SceneJudgeRobustnessTest {

    static BufferedImage degrade(BufferedImage img, double sigma, long seed) {
        int w = img.getWidth();
        int h = img.getHeight();
        SplittableRandom rng = new SplittableRandom(seed);
        int[] cast = {rng.nextInt(-10, 11), rng.nextInt(-10, 11), rng.nextInt(-10, 11)};
        int[] kernel = {1, 2, 1};
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double[] s = new double[3];
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int p = img.getRGB(Math.max(0, Math.min(w - 1, x + dx)), Math.max(0, Math.min(h - 1, y + dy)));
                        double k = kernel[dx + 1] * kernel[dy + 1] / 16.0;
                        s[0] += k * ((p >> 16) & 0xFF);
                        s[1] += k * ((p >> 8) & 0xFF);
                        s[2] += k * (p & 0xFF);
                    }
                }
                int rgb = 0;
                for (int c = 0; c < 3; c++) {
                    double noise = sigma * rng.nextGaussian();
                    rgb = (rgb << 8) | (int) Math.max(0, Math.min(255, Math.round(s[c] + cast[c] + noise)));
                }
                out.setRGB(x, y, rgb);
            }
        }
        return out;
    }

    @Test
    void staysAccurateOnBlurredNoisyImages() {
        SceneJudge judge = new SceneJudge();
        for (int n : new int[] {32, 64}) {
            SceneRenderer renderer = SceneRenderer.ofSize(n);
            List<SceneSpec> specs = new PromptSampler(PromptSplit.Part.HELD_OUT).sample(200, 300 + n);
            List<JudgeResult> results = new ArrayList<>();
            for (int i = 0; i < specs.size(); i++) {
                RenderedScene scene = renderer.render(specs.get(i), 31L * i + n);
                results.add(judge.judge(degrade(scene.image(), 8, i), specs.get(i)));
            }
            AttributeAccuracy acc = AttributeAccuracy.of(results);
            System.out.printf("judge on %d blurred+noisy scenes at %d px: %s%n", results.size(), n, acc);
            assertTrue(acc.allCorrectRate() >= 0.95, n + " px: " + acc);
        }
    }
}
