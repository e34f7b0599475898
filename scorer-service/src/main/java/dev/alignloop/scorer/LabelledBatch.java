package dev.alignloop.scorer;

import dev.alignloop.schemas.avro.PreferenceLabel;
import dev.alignloop.streaming.eos.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What {@link PairLabeler#label} made of one batch: the outcomes for the processor, and what the
 * metrics need once the batch's transaction has committed.
 *
 * @param outcomes one per input, in order: a label, a skip ({@value PairLabeler#TIE}) or a
 *     rejection
 * @param margins {@code |scoreA - scoreB|} of every scored pair, ties included (so the margin
 *     histogram shows how the tie margin cuts)
 * @param scores raw scores of every scored image by model name: the model, or each ensemble
 *     member plus the ensemble's combined score
 * @param labels pairs labelled
 * @param ties pairs skipped as ties
 * @param rejected pairs rejected (to the dead-letter topic)
 * @param loadTime fetching and decoding the images
 * @param scoreTime the reward model call(s), preprocessing and tokenization included
 */
public record LabelledBatch(List<Outcome<PreferenceLabel>> outcomes, double[] margins, Map<String, double[]> scores,
    int labels, int ties, int rejected, Duration loadTime, Duration scoreTime) {

  /** Copies the collections. */
  public LabelledBatch {
    outcomes = List.copyOf(outcomes);
    margins = margins.clone();
    scores = Map.copyOf(scores);
  }
}
