package dev.alignloop.schemas;

import dev.alignloop.schemas.avro.Checkpoint;
import dev.alignloop.schemas.avro.DeadLetter;
import dev.alignloop.schemas.avro.EvalResult;
import dev.alignloop.schemas.avro.ImagePair;
import dev.alignloop.schemas.avro.PreferenceLabel;
import dev.alignloop.schemas.avro.PromptRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/**
 * The one source of truth for AlignLoop topic names, settings and value types.
 *
 * <p>Keys are UTF-8 strings ({@code StringSerializer}); values are single-object Avro
 * ({@link AvroSerde}). The key of each topic is chosen so that Kafka's per-partition order is
 * the order that matters:
 *
 * <table>
 *   <caption>Topics</caption>
 *   <tr><th>topic</th><th>value</th><th>key</th><th>partitions</th><th>configs</th></tr>
 *   <tr><td>{@value #PROMPTS}</td><td>PromptRequest</td><td>prompt id</td><td>3</td><td></td></tr>
 *   <tr><td>{@value #PAIRS}</td><td>ImagePair</td><td>pair id</td><td>3</td><td></td></tr>
 *   <tr><td>{@value #PREFERENCES}</td><td>PreferenceLabel</td><td>pair id</td><td>3</td><td></td></tr>
 *   <tr><td>{@value #CHECKPOINTS}</td><td>Checkpoint</td><td>checkpoint version</td><td>1</td>
 *       <td>compacted: the latest status per version survives</td></tr>
 *   <tr><td>{@value #EVALS}</td><td>EvalResult</td><td>checkpoint version</td><td>1</td><td></td></tr>
 *   <tr><td>{@value #DLQ}</td><td>DeadLetter</td><td>source topic-partition@offset</td><td>1</td>
 *       <td>retention 14 days</td></tr>
 * </table>
 *
 * <p>Checkpoints and evals use one partition so every reader sees a single lineage in order.
 * Replication factor is 1 here (embedded broker); production uses {@link #all(short)}.
 */
public final class Topics {

  /** Prompt requests; key = prompt id. */
  public static final String PROMPTS = "alignloop.prompts";
  /** Image pairs; key = pair id. */
  public static final String PAIRS = "alignloop.pairs";
  /** Preference labels; key = pair id. */
  public static final String PREFERENCES = "alignloop.preferences";
  /** Checkpoints, compacted; key = checkpoint version. */
  public static final String CHECKPOINTS = "alignloop.checkpoints";
  /** Eval results; key = checkpoint version. */
  public static final String EVALS = "alignloop.evals";
  /** Dead letters; key = {@link DeadLetters#key}. */
  public static final String DLQ = "alignloop.dlq";

  /** How long dead letters are kept: long enough to investigate and replay. */
  public static final Duration DLQ_RETENTION = Duration.ofDays(14);

  private static final short RF = 1;

  private static final List<TopicSpec> ALL = List.of(
      new TopicSpec(PROMPTS, 3, RF, Map.of()),
      new TopicSpec(PAIRS, 3, RF, Map.of()),
      new TopicSpec(PREFERENCES, 3, RF, Map.of()),
      new TopicSpec(CHECKPOINTS, 1, RF, Map.of("cleanup.policy", "compact")),
      new TopicSpec(EVALS, 1, RF, Map.of()),
      new TopicSpec(DLQ, 1, RF, Map.of("retention.ms", Long.toString(DLQ_RETENTION.toMillis()))));

  private static final Map<String, Class<? extends SpecificRecord>> VALUE_TYPES = Map.of(
      PROMPTS, PromptRequest.class,
      PAIRS, ImagePair.class,
      PREFERENCES, PreferenceLabel.class,
      CHECKPOINTS, Checkpoint.class,
      EVALS, EvalResult.class,
      DLQ, DeadLetter.class);

  private Topics() {}

  /** Every AlignLoop topic with replication factor 1, in pipeline order. */
  public static List<TopicSpec> all() {
    return ALL;
  }

  /** Every AlignLoop topic with the given replication factor. */
  public static List<TopicSpec> all(short replicationFactor) {
    return ALL.stream().map(t -> t.withReplicationFactor(replicationFactor)).toList();
  }

  /** The spec of one topic. */
  public static Optional<TopicSpec> spec(String name) {
    return ALL.stream().filter(t -> t.name().equals(name)).findFirst();
  }

  /** The record type carried as value by an AlignLoop topic. */
  public static Optional<Class<? extends SpecificRecord>> valueType(String name) {
    return Optional.ofNullable(VALUE_TYPES.get(name));
  }
}
