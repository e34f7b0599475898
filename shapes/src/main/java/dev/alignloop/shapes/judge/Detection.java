package dev.alignloop.shapes.judge;

import dev.alignloop.shapes.prompt.ObjectColor;
import dev.alignloop.shapes.prompt.ObjectShape;
import dev.alignloop.shapes.prompt.ObjectSize;

/**
 * One object found in an image: a connected component of one palette colour, with the shape
 * that best explains its antialiased coverage. Coordinates are pixels (x right, y down).
 *
 * @param color     palette colour of the component
 * @param shape     best-fitting shape
 * @param size      size class, or {@code null} for medium (neither small nor large)
 * @param pixels    number of pixels labelled with the colour
 * @param area      coverage-weighted area in pixels (edge pixels count fractionally)
 * @param side      estimated nominal side (circle diameter, square side, triangle base) as a
 *                  fraction of the image side, from the area and the fitted shape
 * @param centroidX coverage-weighted centroid x
 * @param centroidY coverage-weighted centroid y
 * @param minX      leftmost labelled pixel column
 * @param minY      topmost labelled pixel row
 * @param maxX      rightmost labelled pixel column
 * @param maxY      bottom labelled pixel row
 * @param rotation  fitted rotation in degrees (0 for circles)
 * @param fitError  L1 distance between observed and fitted coverage, relative to the area: near
 *                  0.1 for clean renders, larger for blobs that fit no shape well
 */
public record Detection(ObjectColor color, ObjectShape shape, ObjectSize size, int pixels, double area,
                        double side, double centroidX, double centroidY, int minX, int minY, int maxX,
                        int maxY, double rotation, double fitError) {
}
