package dev.alignloop.streaming;

import dev.alignloop.common.kafka.KafkaSettings;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Plain (non-transactional) producers for sources that start the loop, e.g. {@code alignloop
 * prompts send FILE}: idempotent with {@code acks=all} ({@link KafkaSettings#producer()}), so a
 * retried send never duplicates or reorders within a partition. Keys are UTF-8 strings.
 *
 * <pre>{@code
 * try (SourceProducer<PromptRequest> prompts =
 *     Producers.idempotent(settings, AvroSerde.of(PromptRequest.class).serializer())) {
 *   prompts.sendAll(Topics.PROMPTS, requests, PromptRequest::getId, Duration.ofSeconds(30));
 * }
 * }</pre>
 *
 * Services that read and write use {@link dev.alignloop.streaming.eos.ExactlyOnceProcessor}
 * instead: idempotence alone does not make read-process-write exactly-once.
 */
public final class Producers {

  private Producers() {}

  /** An idempotent producer of {@code V} values. */
  public static <V> SourceProducer<V> idempotent(KafkaSettings settings, Serializer<V> values) {
    return idempotent(settings, values, Map.of());
  }

  /**
   * An idempotent producer with extra client settings (e.g. {@code linger.ms}, {@code
   * compression.type}).
   *
   * @throws IllegalArgumentException if {@code overrides} would turn idempotence or {@code
   *     acks=all} off
   */
  public static <V> SourceProducer<V> idempotent(KafkaSettings settings, Serializer<V> values,
      Map<String, ?> overrides) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(values, "values");
    Properties props = settings.producer();
    props.putAll(overrides);
    if (!"true".equals(String.valueOf(props.get("enable.idempotence")))
        || !"all".equals(String.valueOf(props.get("acks")))) {
      throw new IllegalArgumentException("overrides " + overrides
          + " turn off enable.idempotence=true / acks=all, which sources rely on");
    }
    return new SourceProducer<>(new KafkaProducer<>(props, new StringSerializer(), values));
  }
}
