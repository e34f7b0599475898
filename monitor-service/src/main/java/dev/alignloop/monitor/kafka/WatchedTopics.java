package dev.alignloop.monitor.kafka;

import dev.alignloop.schemas.AvroSerde;
import dev.alignloop.schemas.Topics;
import dev.alignloop.schemas.avro.Checkpoint;
import dev.alignloop.schemas.avro.DeadLetter;
import dev.alignloop.schemas.avro.EvalResult;
import dev.alignloop.schemas.avro.ImagePair;
import dev.alignloop.schemas.avro.PreferenceLabel;
import dev.alignloop.schemas.avro.PromptRequest;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;

/**
 * The six AlignLoop topics as this monitor names them: {@link Topics} names behind an optional
 * prefix, each with its role and value serde.
 */
public final class WatchedTopics {

  /** What a topic carries, in pipeline order. */
  public enum Role {
    PROMPTS(Topics.PROMPTS, PromptRequest.class),
    PAIRS(Topics.PAIRS, ImagePair.class),
    PREFERENCES(Topics.PREFERENCES, PreferenceLabel.class),
    CHECKPOINTS(Topics.CHECKPOINTS, Checkpoint.class),
    EVALS(Topics.EVALS, EvalResult.class),
    DLQ(Topics.DLQ, DeadLetter.class);

    private final String baseName;
    private final AvroSerde<? extends SpecificRecord> serde;

    Role(String baseName, Class<? extends SpecificRecord> type) {
      this.baseName = baseName;
      this.serde = AvroSerde.of(type);
    }

    /** The topic name without prefix, e.g. {@code alignloop.pairs}. */
    public String baseName() {
      return baseName;
    }

    /** The serde of the topic's values. */
    public AvroSerde<? extends SpecificRecord> serde() {
      return serde;
    }
  }

  private final String prefix;
  private final Map<String, Role> byName;

  /** Topics named {@code prefix + Topics.X}. */
  public WatchedTopics(String prefix) {
    this.prefix = prefix == null ? "" : prefix;
    this.byName = Arrays.stream(Role.values())
        .collect(Collectors.toUnmodifiableMap(r -> this.prefix + r.baseName(), Function.identity()));
  }

  /** The prefix ({@code ""} in production). */
  public String prefix() {
    return prefix;
  }

  /** The topic name of {@code role}. */
  public String name(Role role) {
    return prefix + role.baseName();
  }

  /** All six names, in pipeline order. */
  public List<String> names() {
    return Arrays.stream(Role.values()).map(this::name).toList();
  }

  /** The role of a watched topic, or empty for any other topic. */
  public Optional<Role> role(String topic) {
    return Optional.ofNullable(byName.get(topic));
  }
}
