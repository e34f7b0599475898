package dev.alignloop.monitor.aggregate;

import dev.alignloop.monitor.api.CurvesView;
import dev.alignloop.monitor.api.Point;
import dev.alignloop.schemas.avro.PreferenceLabel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reward margins of preference labels: running count and mean over all labels, the newest
 * {@code capacity} margins for the chart and histogram, and counts per label source.
 *
 * <p>Tie rate is not here: the scorer skips ties without publishing them, so no topic carries
 * them; the scorer exports its own skip counter.
 */
public final class LabelStats {

  /** Histogram bins over the retained margins. */
  static final int BINS = 20;

  private final int capacity;
  private final ArrayDeque<Point> recent = new ArrayDeque<>();
  private final Map<String, Long> bySource = new TreeMap<>();
  private long count;
  private double sum;

  /** Keeps the newest {@code capacity} margins. */
  public LabelStats(int capacity) {
    this.capacity = capacity;
  }

  /** Adds one label. */
  public synchronized void add(PreferenceLabel label) {
    count++;
    sum += label.getMargin();
    recent.addLast(new Point(count, label.getMargin(), label.getPairId()));
    if (recent.size() > capacity) {
      recent.removeFirst();
    }
    // Sources are few (ai, human) but come from the wire: cap the map anyway.
    String source = bySource.size() < 16 || bySource.containsKey(label.getSource()) ? label.getSource() : "other";
    bySource.merge(source, 1L, Long::sum);
  }

  /** Labels seen. */
  public synchronized long count() {
    return count;
  }

  /** The chart and histogram view. */
  public synchronized CurvesView.Margins view() {
    List<Point> points = List.copyOf(recent);
    return new CurvesView.Margins(count, count == 0 ? 0 : sum / count, points, rollingMean(points),
        histogram(points), Map.copyOf(bySource));
  }

  static List<Point> rollingMean(List<Point> points) {
    List<Point> out = new ArrayList<>(points.size());
    double window = 0;
    for (int i = 0; i < points.size(); i++) {
      window += points.get(i).y();
      if (i >= CurvesView.Margins.ROLLING_WINDOW) {
        window -= points.get(i - CurvesView.Margins.ROLLING_WINDOW).y();
      }
      int n = Math.min(i + 1, CurvesView.Margins.ROLLING_WINDOW);
      out.add(new Point(points.get(i).x(), window / n, null));
    }
    return out;
  }

  /** {@value #BINS} equal bins from 0 (or the minimum, if negative) to the maximum margin. */
  static CurvesView.Histogram histogram(List<Point> points) {
    if (points.isEmpty()) {
      return new CurvesView.Histogram(List.of(), List.of());
    }
    double lo = Math.min(0, points.stream().mapToDouble(Point::y).min().orElse(0));
    double hi = points.stream().mapToDouble(Point::y).max().orElse(1);
    if (hi <= lo) {
      hi = lo + 1;
    }
    double width = (hi - lo) / BINS;
    long[] counts = new long[BINS];
    for (Point p : points) {
      int bin = (int) Math.min(BINS - 1, Math.max(0, Math.floor((p.y() - lo) / width)));
      counts[bin]++;
    }
    List<Double> edges = new ArrayList<>(BINS + 1);
    for (int i = 0; i <= BINS; i++) {
      edges.add(lo + i * width);
    }
    List<Long> countList = new ArrayList<>(BINS);
    for (long c : counts) {
      countList.add(c);
    }
    return new CurvesView.Histogram(edges, countList);
  }
}
