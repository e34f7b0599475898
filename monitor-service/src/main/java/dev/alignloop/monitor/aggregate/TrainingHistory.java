package dev.alignloop.monitor.aggregate;

import dev.alignloop.monitor.api.CheckpointView;
import dev.alignloop.monitor.api.EvalView;
import dev.alignloop.monitor.api.Point;
import dev.alignloop.schemas.avro.Checkpoint;
import dev.alignloop.schemas.avro.EvalResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checkpoints (latest record per version: the topic is compacted and each status change is a
 * new record) and eval results (latest per checkpoint), each bounded to the newest {@code
 * capacity} versions. Training curves and the lineage are derived from them on read.
 */
public final class TrainingHistory {

  private final int capacity;
  private final Map<String, Checkpoint> checkpoints;
  private final Map<String, EvalResult> evals;
  private EvalResult latestEval;

  /** Keeps the newest {@code capacity} checkpoints and evals. */
  public TrainingHistory(int capacity) {
    this.capacity = capacity;
    this.checkpoints = bounded();
    this.evals = bounded();
  }

  private <V> Map<String, V> bounded() {
    return new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > capacity;
      }
    };
  }

  /** A checkpoint record; replaces an earlier status of the same version. */
  public synchronized void checkpoint(Checkpoint c) {
    checkpoints.put(c.getVersion(), c);
  }

  /** A tombstone on the compacted checkpoint topic: the version is gone. */
  public synchronized void removeCheckpoint(String version) {
    checkpoints.remove(version);
  }

  /** An eval result; replaces an earlier result for the same checkpoint. */
  public synchronized void eval(EvalResult e) {
    evals.put(e.getCheckpointVersion(), e);
    latestEval = e;
  }

  /** Per metric, {@code (step, value, version)} in step order. */
  public synchronized Map<String, List<Point>> curves() {
    Map<String, List<Point>> out = new TreeMap<>();
    for (Checkpoint c : byStep()) {
      c.getMetrics().forEach((name, value) -> {
        if (value != null && Double.isFinite(value)) {
          out.computeIfAbsent(name, k -> new ArrayList<>()).add(new Point(c.getStep(), value, c.getVersion()));
        }
      });
    }
    return out;
  }

  /** Every retained checkpoint in step order, with its eval outcome when there is one. */
  public synchronized List<CheckpointView> lineage() {
    List<CheckpointView> out = new ArrayList<>();
    for (Checkpoint c : byStep()) {
      EvalResult e = evals.get(c.getVersion());
      out.add(new CheckpointView(c.getVersion(), c.getParentVersion(), c.getStatus().name(), c.getStep(),
          c.getUri(), c.getCreatedAt().toEpochMilli(), new TreeMap<>(c.getMetrics()),
          e == null ? null : e.getDecision().name(), e == null ? null : e.getWinRate()));
    }
    return out;
  }

  /** Every retained eval, in arrival order. */
  public synchronized List<EvalView> evals() {
    return evals.values().stream().map(TrainingHistory::view).toList();
  }

  /** Highest step of any retained checkpoint; NaN when none (a gauge shows no value). */
  public synchronized double latestStep() {
    return checkpoints.isEmpty() ? Double.NaN
        : checkpoints.values().stream().mapToLong(Checkpoint::getStep).max().getAsLong();
  }

  /** Win rate of the newest eval; NaN when none. */
  public synchronized double latestWinRate() {
    return latestEval == null ? Double.NaN : latestEval.getWinRate();
  }

  /** {@code metric} at the highest-step checkpoint that has it; NaN when none. */
  public synchronized double latestMetric(String metric) {
    List<Checkpoint> sorted = byStep();
    for (int i = sorted.size() - 1; i >= 0; i--) {
      Double v = sorted.get(i).getMetrics().get(metric);
      if (v != null) {
        return v;
      }
    }
    return Double.NaN;
  }

  /** Retained checkpoints with {@code status} ({@code CANDIDATE}, {@code PROMOTED}, {@code REJECTED}). */
  public synchronized long countByStatus(String status) {
    return checkpoints.values().stream().filter(c -> c.getStatus().name().equals(status)).count();
  }

  private List<Checkpoint> byStep() {
    List<Checkpoint> sorted = new ArrayList<>(checkpoints.values());
    sorted.sort(Comparator.comparingLong(Checkpoint::getStep).thenComparing(Checkpoint::getCreatedAt));
    return sorted;
  }

  private static EvalView view(EvalResult e) {
    return new EvalView(e.getCheckpointVersion(), e.getBaselineVersion(), e.getPrompts(), e.getWinRate(),
        e.getWinRateLow(), e.getWinRateHigh(), e.getMeanReward(), e.getMeanRewardBaseline(), e.getJudgeScore(),
        e.getJudgeScoreBaseline(), e.getDecision().name(), e.getReason(), e.getEvaluatedAt().toEpochMilli());
  }
}
