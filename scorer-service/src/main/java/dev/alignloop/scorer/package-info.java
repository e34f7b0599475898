/**
 * The scorer service: consumes {@code ImagePair}s from {@code alignloop.pairs}, loads and
 * verifies both images, scores them with the ONNX reward model (or an ensemble) and publishes a
 * {@code PreferenceLabel} per non-tie pair to {@code alignloop.preferences}, exactly once.
 *
 * <ul>
 *   <li>{@link dev.alignloop.scorer.PairLabeler}: the logic (load, score, tie, label; bad input
 *       rejected with a reason, transient failures thrown), free of Kafka and unit-tested alone.
 *   <li>{@link dev.alignloop.scorer.ScorerWorker}: thin wiring of the labeler into the streaming
 *       module's {@code ExactlyOnceProcessor} (transactional read-process-write, dead letters in
 *       the same transaction), metrics and health.
 *   <li>{@link dev.alignloop.scorer.ScorerConfig}: the {@code alignloop.scorer.*} keys.
 *   <li>{@link dev.alignloop.scorer.ScorerApplication}: the Micronaut entry point.
 * </ul>
 *
 * <h2>Why labels are exactly-once</h2>
 * Labels, dead letters and the consumed offsets of a batch commit in one Kafka transaction;
 * a restarted replica with the same {@code instance-id} aborts its predecessor's open transaction
 * before reading the committed offsets. Give every replica a stable id (a StatefulSet pod name):
 * a replica that comes back under a new id cannot abort the old id's open transaction, which
 * then blocks {@code read_committed} readers of those partitions until {@code
 * transaction.timeout.ms} expires it (nothing is duplicated, but labels stall meanwhile).
 *
 * <h2>Determinism</h2>
 * A single model labels a pair as a pure function of its images and prompt, so a retried batch
 * produces the same labels. An ensemble member without fixed {@code stats} in its manifest is
 * standardized with running statistics, which every scoring attempt (retries included) updates:
 * give production ensembles fixed stats.
 */
package dev.alignloop.scorer;
