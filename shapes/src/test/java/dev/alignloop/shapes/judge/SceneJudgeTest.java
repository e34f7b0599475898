package dev.alignloop.shapes.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.shapes.prompt.Background;
import dev.alignloop.shapes.prompt.ObjectShape;
import dev.alignloop.shapes.prompt.PromptGrammar;
import dev.alignloop.shapes.prompt.PromptParseException;
import dev.alignloop.shapes.render.ObjectBox;
import dev.alignloop.shapes.render.RenderConfig;
import dev.alignloop.shapes.render.RenderedScene;
import dev.alignloop.shapes.render.SceneRenderer;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class SceneJudgeTest {
    private final SceneJudge judge = new SceneJudge();
    private final SceneRenderer renderer = SceneRenderer.ofSize(32);

    private static BufferedImage blank(int n, Color c) {
        BufferedImage img = new BufferedImage(n, n, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(c);
        g.fillRect(0, 0, n, n);
        g.dispose();
        return img;
    }

    @Test
    void emptyImageFailsEveryCheck() {
        JudgeResult r = judge.judge(blank(32, Color.WHITE), "a small red circle above a blue square");
        assertTrue(r.detections().isEmpty());
        assertEquals(0.0, r.score());
        assertFalse(r.allCorrect());
        assertEquals(List.of(-1, -1), r.matched());
        // colour, shape, size, count for the first object; colour, shape, count for the second; relation
        assertEquals(8, r.checks().size());
        assertTrue(r.summary().contains("SHAPE[0]: expected circle, found nothing"), r.summary());
    }

    @Test
    void detectionsMatchGroundTruth() {
        for (int n : new int[] {32, 64}) {
            RenderedScene scene = SceneRenderer.ofSize(n).render("a small red triangle left of a large green square", 12);
            List<Detection> dets = judge.analyze(scene.image()).detections();
            assertEquals(2, dets.size());
            for (ObjectBox b : scene.objects()) {
                Detection d = dets.stream().filter(x -> x.color() == b.color()).findFirst().orElseThrow();
                assertEquals(b.shape(), d.shape());
                assertEquals(b.centroidX(), d.centroidX(), 0.05 * n, "centroid x at " + n);
                assertEquals(b.centroidY(), d.centroidY(), 0.05 * n, "centroid y at " + n);
                assertTrue(d.fitError() < 0.3, "fit error " + d.fitError());
            }
            assertEquals(ObjectShape.SQUARE, dets.get(0).shape(), "largest first");
        }
    }

    @Test
    void extraObjectsAreNotPenalisedButWrongCountsAre() {
        RenderedScene two = renderer.render("a red circle left of a blue square", 3);
        assertTrue(judge.judge(two.image(), "a red circle").allCorrect());
        assertTrue(judge.judge(two.image(), "a square").allCorrect(), "an unstated colour matches any colour");

        RenderedScene pair = renderer.render("two red circles", 3);
        JudgeResult r = judge.judge(pair.image(), "a red circle");
        assertEquals(2.0 / 3, r.score(), 1e-12);
        assertFalse(r.checks(CheckKind.COUNT).get(0).passed());
        assertEquals("expected 1, found 2", r.checks(CheckKind.COUNT).get(0).detail());
        JudgeResult three = judge.judge(pair.image(), "three red circles");
        assertTrue(three.score() < 0.5, three.summary());
    }

    @Test
    void backgroundIsCheckedOnlyWhenStated() {
        RenderedScene black = renderer.render("a blue circle on a black background", 1);
        JudgeResult r = judge.judge(black.image(), black.spec());
        assertEquals(Background.BLACK, r.detectedBackground());
        assertTrue(r.allCorrect());
        assertEquals(1, r.checks(CheckKind.BACKGROUND).size());
        assertTrue(judge.judge(black.image(), "a blue circle").allCorrect(), "white is the default, not a demand");
        RenderedScene white = renderer.render("a blue circle", 1);
        assertFalse(judge.judge(white.image(), "a blue circle on black").allCorrect());
    }

    @Test
    void relationIsCheckedBetweenTheMatchedObjects() {
        RenderedScene scene = new SceneRenderer(RenderConfig.exact(32)).render("a yellow square above a purple circle", 2);
        assertTrue(judge.judge(scene.image(), "a yellow square above a purple circle").allCorrect());
        JudgeResult flipped = judge.judge(scene.image(), "a yellow square below a purple circle");
        assertFalse(flipped.checks(CheckKind.RELATION).get(0).passed());
        assertEquals(6.0 / 7, flipped.score(), 1e-12); // colour, shape, count per object + relation
        JudgeResult sideways = judge.judge(scene.image(), "a yellow square left of a purple circle");
        assertFalse(sideways.checks(CheckKind.RELATION).get(0).passed(), "dominance: above is not also left of");
    }

    @Test
    void survivesPureNoise() {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(1);
        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                img.setRGB(x, y, rng.nextInt(0x1000000));
            }
        }
        JudgeResult r = judge.judge(img, "three red circles");
        assertTrue(r.score() >= 0 && r.score() <= 1);
        assertEquals(3, r.matched().size());
    }

    @Test
    void badPromptsFailWithTheParserError() {
        BufferedImage img = blank(32, Color.WHITE);
        PromptParseException e = assertThrows(PromptParseException.class, () -> judge.judge(img, "a red hexagon"));
        assertEquals("hexagon", e.word().orElseThrow());
    }

    @Test
    void aggregatesPerAttributeAccuracy() {
        RenderedScene scene = renderer.render("a small red circle", 5);
        AttributeAccuracy acc = AttributeAccuracy.of(List.of(
                judge.judge(scene.image(), scene.spec()),
                judge.judge(scene.image(), PromptGrammar.parse("a small blue circle"))));
        assertEquals(0.5, acc.allCorrectRate());
        assertEquals(0.5, acc.accuracy(CheckKind.COLOR));
        assertEquals(1.0, acc.accuracy(CheckKind.SHAPE));
        assertEquals(0.5, acc.accuracy(CheckKind.COUNT));
        assertTrue(Double.isNaN(acc.accuracy(CheckKind.RELATION)));
        assertEquals((1.0 + 2.0 / 4) / 2, acc.meanScore(), 1e-12);
    }
}
