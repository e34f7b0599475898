package dev.alignloop.monitor.aggregate;

import dev.alignloop.monitor.api.PairView;
import dev.alignloop.schemas.avro.BlobRef;
import dev.alignloop.schemas.avro.ImagePair;
import dev.alignloop.schemas.avro.PreferenceLabel;
import dev.alignloop.schemas.avro.SamplerSettings;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The newest image pairs and the labels that name their winners. Pairs and labels come from
 * different topics and partitions, so either may be read first: they are joined by pair id when
 * the view is built, not when they arrive.
 */
public final class PairGallery {

  private final int capacity;
  private final int labelCapacity;
  private final LinkedHashMap<String, ImagePair> pairs = new LinkedHashMap<>();
  private final LinkedHashMap<String, PreferenceLabel> labels = new LinkedHashMap<>();

  /**
   * @param capacity pairs shown
   * @param labelCapacity labels remembered for the join; a label is only useful while its pair
   *     is recent, but the scorer may lag the generator by many pairs
   */
  public PairGallery(int capacity, int labelCapacity) {
    this.capacity = capacity;
    this.labelCapacity = labelCapacity;
  }

  /** A new pair; a re-sent pair id moves to the front. */
  public synchronized void pair(ImagePair p) {
    pairs.remove(p.getPairId());
    pairs.put(p.getPairId(), p);
    trim(pairs, capacity);
  }

  /** A label for some pair, seen or not yet seen. */
  public synchronized void label(PreferenceLabel l) {
    labels.remove(l.getPairId());
    labels.put(l.getPairId(), l);
    trim(labels, labelCapacity);
  }

  /** Newest pair first, each with its winner and scores when labelled. */
  public synchronized List<PairView> view() {
    List<PairView> out = new ArrayList<>(pairs.size());
    for (ImagePair p : pairs.values()) {
      out.add(0, view(p, labels.get(p.getPairId())));
    }
    return out;
  }

  static PairView view(ImagePair p, PreferenceLabel l) {
    String winner = null;
    Double scoreA = null;
    Double scoreB = null;
    if (l != null) {
      if (same(l.getWinner(), p.getImageA()) && !same(l.getWinner(), p.getImageB())) {
        winner = "A";
        scoreA = l.getScoreWinner();
        scoreB = l.getScoreLoser();
      } else if (same(l.getWinner(), p.getImageB()) && !same(l.getWinner(), p.getImageA())) {
        winner = "B";
        scoreA = l.getScoreLoser();
        scoreB = l.getScoreWinner();
      }
    }
    return new PairView(p.getPairId(), p.getPrompt(), p.getPolicyVersion(), sampler(p.getSampler()),
        p.getCreatedAt().toEpochMilli(), image(p.getImageA()), image(p.getImageB()), winner, scoreA, scoreB,
        winner == null ? null : l.getMargin(), winner == null ? null : l.getSource());
  }

  private static boolean same(BlobRef x, BlobRef y) {
    return x.getSha256().equalsIgnoreCase(y.getSha256()) && x.getUri().equals(y.getUri());
  }

  private static String sampler(SamplerSettings s) {
    return String.format(Locale.ROOT, "%s %d steps, cfg %.1f", s.getName(), s.getSteps(), s.getGuidance());
  }

  static PairView.Image image(BlobRef b) {
    // Both parts come off the wire: encode them, so neither can reshape the URL.
    String url = "/api/images/" + URLEncoder.encode(b.getSha256().toLowerCase(Locale.ROOT), StandardCharsets.UTF_8)
        + "?uri=" + URLEncoder.encode(b.getUri(), StandardCharsets.UTF_8);
    return new PairView.Image(b.getUri(), b.getSha256(), b.getWidth(), b.getHeight(), url);
  }

  private static void trim(Map<String, ?> map, int max) {
    Iterator<String> it = map.keySet().iterator();
    while (map.size() > max && it.hasNext()) {
      it.next();
      it.remove();
    }
  }
}
