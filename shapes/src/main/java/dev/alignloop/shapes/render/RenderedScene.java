package dev.alignloop.shapes.render;

import dev.alignloop.shapes.prompt.Background;
import dev.alignloop.shapes.prompt.SceneSpec;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * A drawn scene and its ground truth.
 *
 * @param spec       what was drawn
 * @param seed       the seed it was drawn with
 * @param image      the RGB image ({@link BufferedImage#TYPE_INT_RGB}, N×N)
 * @param background the background drawn
 * @param objects    one box per drawn object, groups in spec order
 */
public record RenderedScene(SceneSpec spec, long seed, BufferedImage image, Background background,
                            List<ObjectBox> objects) {
    public RenderedScene {
        objects = List.copyOf(objects);
    }
}
