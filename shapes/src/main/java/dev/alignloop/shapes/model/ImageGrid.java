package dev.alignloop.shapes.model;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Lays images out in a grid (one list per row), upscaled with nearest-neighbour so 32×32 samples
 * are visible, separated by grey gutters; for preview and before/after sheets.
 */
public final class ImageGrid {
    private ImageGrid() {
    }

    /**
     * @param rows  rows of images (rows may differ in length; cells are sized by the largest image)
     * @param scale integer upscaling factor, 1..32
     * @return an RGB image
     */
    public static BufferedImage compose(List<List<BufferedImage>> rows, int scale) {
        if (rows.isEmpty() || rows.stream().allMatch(List::isEmpty)) {
            throw new IllegalArgumentException("no images to lay out");
        }
        if (scale < 1 || scale > 32) {
            throw new IllegalArgumentException("scale must be in 1..32, got " + scale);
        }
        int cw = 0;
        int ch = 0;
        int cols = 0;
        for (List<BufferedImage> r : rows) {
            cols = Math.max(cols, r.size());
            for (BufferedImage im : r) {
                cw = Math.max(cw, im.getWidth() * scale);
                ch = Math.max(ch, im.getHeight() * scale);
            }
        }
        int gap = Math.max(2, scale);
        BufferedImage out = new BufferedImage(cols * (cw + gap) + gap, rows.size() * (ch + gap) + gap,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(new Color(128, 128, 128));
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            for (int r = 0; r < rows.size(); r++) {
                for (int c = 0; c < rows.get(r).size(); c++) {
                    BufferedImage im = rows.get(r).get(c);
                    g.drawImage(im, gap + c * (cw + gap), gap + r * (ch + gap), im.getWidth() * scale,
                            im.getHeight() * scale, null);
                }
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    /** {@link #compose} written as a PNG file (parent folders created). */
    public static Path write(List<List<BufferedImage>> rows, int scale, Path png) {
        try {
            if (png.toAbsolutePath().getParent() != null) {
                Files.createDirectories(png.toAbsolutePath().getParent());
            }
            if (!ImageIO.write(compose(rows, scale), "png", png.toFile())) {
                throw new IllegalStateException("no PNG writer available");
            }
            return png;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + png, e);
        }
    }
}
