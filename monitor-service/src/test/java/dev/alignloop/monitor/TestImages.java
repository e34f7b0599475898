package dev.alignloop.monitor;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** Small real PNGs (a coloured shape on white), like the shapes world's images. */
final class TestImages {

  enum Shape { CIRCLE, SQUARE, TRIANGLE }

  private TestImages() {}

  static byte[] png(Shape shape, int rgb, int size) {
    BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, size, size);
      g.setColor(new Color(rgb));
      int m = size / 5;
      int s = size - 2 * m;
      switch (shape) {
        case CIRCLE -> g.fillOval(m, m, s, s);
        case SQUARE -> g.fillRect(m, m, s, s);
        case TRIANGLE -> g.fillPolygon(new int[] {size / 2, m, size - m}, new int[] {m, size - m, size - m}, 3);
      }
    } finally {
      g.dispose();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
