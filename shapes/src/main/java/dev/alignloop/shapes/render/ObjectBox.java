package dev.alignloop.shapes.render;

import dev.alignloop.shapes.prompt.ObjectColor;
import dev.alignloop.shapes.prompt.ObjectShape;

/**
 * Ground truth for one drawn object, in pixel coordinates (x right, y down; pixel (0,0) covers
 * [0,1)×[0,1)).
 *
 * @param group        index of the {@link dev.alignloop.shapes.prompt.ObjectSpec} it was drawn for
 * @param color        the colour drawn (chosen at random when the caption stated none)
 * @param shape        the shape drawn
 * @param side         nominal side (circle diameter, triangle base and height) in pixels
 * @param rotation     rotation in degrees, clockwise on screen (0 for circles)
 * @param rgb          the jittered colour actually painted, {@code 0xRRGGBB}
 * @param minX         bounding box left
 * @param minY         bounding box top
 * @param maxX         bounding box right
 * @param maxY         bounding box bottom
 * @param centroidX    area centroid x
 * @param centroidY    area centroid y
 */
public record ObjectBox(int group, ObjectColor color, ObjectShape shape, double side, double rotation, int rgb,
                        double minX, double minY, double maxX, double maxY, double centroidX, double centroidY) {

    /** Bounding box width. */
    public double width() {
        return maxX - minX;
    }

    /** Bounding box height. */
    public double height() {
        return maxY - minY;
    }
}
