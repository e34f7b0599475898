package dev.alignloop.shapes.judge;

import dev.alignloop.shapes.prompt.ObjectColor;
import dev.alignloop.shapes.prompt.ObjectShape;
import dev.alignloop.shapes.prompt.ObjectSize;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Finds objects: 8-connected components of each palette label above a minimum area, then a
 * coverage-weighted centroid, area and shape fit per component (see {@link ShapeFit}).
 */
final class Detector {
    private static final ObjectColor[] PALETTE = ObjectColor.values();

    private Detector() {
    }

    /** Detections sorted by area, largest first. */
    static List<Detection> detect(Segmentation seg, JudgeConfig config) {
        int w = seg.width;
        int h = seg.height;
        int n = Math.max(w, h);
        int minPixels = (int) Math.ceil(config.minAreaFraction() * w * h);
        boolean[] seen = new boolean[w * h];
        int[] owner = new int[w * h];
        List<Detection> out = new ArrayList<>();
        int componentId = 0;
        for (int start = 0; start < w * h; start++) {
            if (seen[start] || seg.label[start] == Segmentation.NONE) {
                continue;
            }
            componentId++;
            List<Integer> pixels = flood(seg, start, seen, owner, componentId);
            if (pixels.size() >= minPixels) {
                out.add(measure(seg, pixels, owner, componentId, PALETTE[seg.label[start]], n, config));
            }
        }
        out.sort(Comparator.comparingDouble(Detection::area).reversed()
                .thenComparingDouble(Detection::centroidY).thenComparingDouble(Detection::centroidX));
        return out;
    }

    private static List<Integer> flood(Segmentation seg, int start, boolean[] seen, int[] owner, int id) {
        int w = seg.width;
        int h = seg.height;
        int lab = seg.label[start];
        List<Integer> pixels = new ArrayList<>();
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        queue.add(start);
        seen[start] = true;
        while (!queue.isEmpty()) {
            int i = queue.poll();
            pixels.add(i);
            owner[i] = id;
            int x = i % w;
            int y = i / w;
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    int nx = x + dx;
                    int ny = y + dy;
                    if (nx < 0 || ny < 0 || nx >= w || ny >= h) {
                        continue;
                    }
                    int j = ny * w + nx;
                    if (!seen[j] && seg.label[j] == lab) {
                        seen[j] = true;
                        queue.add(j);
                    }
                }
            }
        }
        return pixels;
    }

    private static Detection measure(Segmentation seg, List<Integer> pixels, int[] owner, int id, ObjectColor color,
                                     int n, JudgeConfig config) {
        int w = seg.width;
        int h = seg.height;
        int minX = Integer.MAX_VALUE;
        int minY = Integer.MAX_VALUE;
        int maxX = -1;
        int maxY = -1;
        for (int i : pixels) {
            minX = Math.min(minX, i % w);
            maxX = Math.max(maxX, i % w);
            minY = Math.min(minY, i / w);
            maxY = Math.max(maxY, i / w);
        }
        // Observed coverage in a window 2 px around the component: component pixels at their
        // estimated coverage, unlabelled fringe pixels touching it at theirs (capped below the
        // labelling threshold, since that is why they were left out), everything else 0.
        int x0 = Math.max(0, minX - 2);
        int y0 = Math.max(0, minY - 2);
        int x1 = Math.min(w - 1, maxX + 2);
        int y1 = Math.min(h - 1, maxY + 2);
        int ww = x1 - x0 + 1;
        int wh = y1 - y0 + 1;
        double[] obs = new double[ww * wh];
        double area = 0;
        double sx = 0;
        double sy = 0;
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                int i = y * w + x;
                double c = 0;
                if (owner[i] == id) {
                    c = seg.coverage(i, color);
                } else if (seg.label[i] == Segmentation.NONE && touches(owner, id, x, y, w, h)) {
                    c = Math.min(seg.coverage(i, color), config.coverageThreshold());
                }
                obs[(y - y0) * ww + (x - x0)] = c;
                area += c;
                sx += c * (x + 0.5);
                sy += c * (y + 0.5);
            }
        }
        double cx = area > 0 ? sx / area : (minX + maxX + 1) / 2.0;
        double cy = area > 0 ? sy / area : (minY + maxY + 1) / 2.0;
        ShapeFit.Result fit = ShapeFit.fit(obs, x0, y0, ww, wh, cx, cy, Math.max(area, 1e-6));
        double side = ShapeFit.sideForArea(fit.shape(), area) / n;
        ObjectSize size = side < config.smallMax() ? ObjectSize.SMALL
                : side > config.largeMin() ? ObjectSize.LARGE : null;
        return new Detection(color, fit.shape(), size, pixels.size(), area, side, cx, cy, minX, minY, maxX, maxY,
                fit.rotation(), fit.error());
    }

    private static boolean touches(int[] owner, int id, int x, int y, int w, int h) {
        for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
                int nx = x + dx;
                int ny = y + dy;
                if (nx >= 0 && ny >= 0 && nx < w && ny < h && owner[ny * w + nx] == id) {
                    return true;
                }
            }
        }
        return false;
    }

}
