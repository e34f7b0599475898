package dev.alignloop.shapes.render;

import dev.alignloop.shapes.prompt.ObjectShape;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;

/**
 * The geometry of one object relative to its own origin (the centre of its unrotated bounding
 * box): outline, rotated bounds and area centroid. Layout moves origins; drawing translates the
 * outline.
 */
final class Footprint {
    final Shape outline;
    final double minX;
    final double minY;
    final double maxX;
    final double maxY;
    final double centroidX;
    final double centroidY;

    private Footprint(Shape outline, double cx, double cy) {
        this.outline = outline;
        Rectangle2D b = outline.getBounds2D();
        this.minX = b.getMinX();
        this.minY = b.getMinY();
        this.maxX = b.getMaxX();
        this.maxY = b.getMaxY();
        this.centroidX = cx;
        this.centroidY = cy;
    }

    /**
     * Builds the footprint of a shape with nominal side {@code side} pixels, rotated by
     * {@code degrees} (clockwise on screen, since y points down).
     */
    static Footprint of(ObjectShape shape, double side, double degrees) {
        double h = side / 2;
        AffineTransform rot = AffineTransform.getRotateInstance(Math.toRadians(degrees));
        switch (shape) {
            case CIRCLE:
                return new Footprint(new Ellipse2D.Double(-h, -h, side, side), 0, 0);
            case SQUARE:
                return new Footprint(rot.createTransformedShape(new Rectangle2D.Double(-h, -h, side, side)), 0, 0);
            case TRIANGLE: {
                // Apex up, base = height = side; the area centroid sits side/6 below the box centre.
                Path2D.Double p = new Path2D.Double();
                p.moveTo(0, -h);
                p.lineTo(h, h);
                p.lineTo(-h, h);
                p.closePath();
                double[] c = {0, side / 6};
                rot.transform(c, 0, c, 0, 1);
                return new Footprint(rot.createTransformedShape(p), c[0], c[1]);
            }
            default:
                throw new IllegalArgumentException("unknown shape " + shape);
        }
    }

    double width() {
        return maxX - minX;
    }

    double height() {
        return maxY - minY;
    }
}
