package dev.alignloop.shapes.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.shapes.prompt.Background;
import dev.alignloop.shapes.prompt.ObjectColor;
import dev.alignloop.shapes.prompt.PromptGrammar;
import dev.alignloop.shapes.prompt.SceneSpec;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class SceneRendererTest {

    private static int[] pixels(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }

    @Test
    void sameSeedSamePixelsOtherSeedOtherPixels() {
        SceneRenderer r = SceneRenderer.ofSize(32);
        SceneSpec s = PromptGrammar.parse("a red circle above a blue square");
        RenderedScene a = r.render(s, 5);
        RenderedScene b = new SceneRenderer(RenderConfig.defaults(32)).render(s, 5);
        assertArrayEquals(pixels(a.image()), pixels(b.image()));
        assertEquals(a.objects(), b.objects());
        assertFalse(java.util.Arrays.equals(pixels(a.image()), pixels(r.render(s, 6).image())));
        assertEquals(BufferedImage.TYPE_INT_RGB, a.image().getType());
        assertEquals(32, a.image().getWidth());
    }

    /**
     * Every canonical scene renders at 32 px with its guarantees (inside, apart, relation with
     * margin); a sample also at 64 px. This is the evidence behind the "cannot happen" of
     * {@link SceneRenderer#render}'s IllegalStateException.
     */
    @Test
    void everyCanonicalSceneHasAValidLayout() {
        List<SceneSpec> all = PromptGrammar.enumerate();
        for (int n : new int[] {32, 64}) {
            SceneRenderer r = SceneRenderer.ofSize(n);
            RenderConfig c = r.config();
            int step = n == 32 ? 1 : 7;
            for (int i = 0; i < all.size(); i += step) {
                SceneSpec s = all.get(i);
                RenderedScene scene = r.render(s, i);
                List<ObjectBox> boxes = scene.objects();
                assertEquals(s.objectCount(), boxes.size());
                for (int a = 0; a < boxes.size(); a++) {
                    ObjectBox p = boxes.get(a);
                    assertTrue(p.minX() >= c.borderMargin() - 1e-6 && p.maxX() <= n - c.borderMargin() + 1e-6
                            && p.minY() >= c.borderMargin() - 1e-6 && p.maxY() <= n - c.borderMargin() + 1e-6,
                            s + " seed " + i + ": outside " + p);
                    assertEquals(s.objects().get(p.group()).color(), p.color());
                    for (int b = 0; b < a; b++) {
                        ObjectBox q = boxes.get(b);
                        double gapX = Math.max(p.minX() - q.maxX(), q.minX() - p.maxX());
                        double gapY = Math.max(p.minY() - q.maxY(), q.minY() - p.maxY());
                        assertTrue(Math.max(gapX, gapY) >= c.minGap() - 1e-6, s + " seed " + i + ": too close");
                    }
                }
                if (s.relation() != null) {
                    ObjectBox sub = boxes.get(0);
                    ObjectBox obj = boxes.get(1);
                    assertTrue(s.relation().holds(sub.centroidX(), sub.centroidY(), obj.centroidX(), obj.centroidY(),
                            c.minGap(), 2.0), s + " seed " + i);
                }
            }
        }
    }

    @Test
    void drawsTheStatedColoursOnTheStatedBackground() {
        RenderedScene scene = new SceneRenderer(RenderConfig.exact(64))
                .render("a large yellow square right of a large purple circle on a black background", 3);
        BufferedImage img = scene.image();
        assertEquals(Background.BLACK, scene.background());
        assertEquals(0x000000, img.getRGB(0, 0) & 0xFFFFFF);
        for (ObjectBox b : scene.objects()) {
            int rgb = img.getRGB((int) b.centroidX(), (int) b.centroidY()) & 0xFFFFFF;
            assertEquals(b.color().rgb(), rgb, b.toString());
        }
        assertEquals(ObjectColor.PURPLE, scene.objects().get(1).color());
    }

    @Test
    void unstatedColoursArePickedFromThePalette() {
        RenderedScene scene = SceneRenderer.ofSize(32).render("three circles", 9);
        assertEquals(3, scene.objects().size());
        scene.objects().forEach(b -> assertTrue(b.color() != null));
    }

    @Test
    void configIsValidated() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RenderConfig(32, 0.06, 45, 12, 6));
        assertTrue(e.getMessage().contains("maxRotationDegrees"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RenderConfig.defaults(8));
    }
}
