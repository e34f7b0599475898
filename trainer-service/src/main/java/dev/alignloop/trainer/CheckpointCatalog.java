package dev.alignloop.trainer;

import dev.alignloop.common.kafka.KafkaSettings;
import dev.alignloop.schemas.AvroSerde;
import dev.alignloop.schemas.Decoded;
import dev.alignloop.schemas.avro.Checkpoint;
import dev.alignloop.schemas.avro.CheckpointStatus;
import dev.alignloop.streaming.StreamingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latest status of every checkpoint version, read from the compacted {@code
 * alignloop.checkpoints} topic (key = version). The trainer asks it two things: which versions
 * are PROMOTED (retention never deletes them) and whether a local checkpoint was ever published
 * (after a crash between the durable write and the publish, the restart publishes it).
 *
 * <p>Why read the topic rather than keep a local file of promoted versions: the eval gate writes
 * the statuses there, so the topic is the only place that is always right, and it survives the
 * loss of the trainer's volume. The consumer is assigned (no group, nothing committed) and
 * {@code read_committed}; each {@link #refresh} reads on from where the last stopped up to the
 * end offsets of that moment. Not thread-safe.
 */
final class CheckpointCatalog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointCatalog.class);
  private static final AvroSerde<Checkpoint> SERDE = AvroSerde.of(Checkpoint.class);

  private final String topic;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final List<TopicPartition> partitions;
  private final Map<String, CheckpointStatus> statuses = new HashMap<>();

  CheckpointCatalog(KafkaSettings kafka, String topic, Duration timeout) {
    this.topic = topic;
    Properties props = kafka.readCommittedConsumer("unused");
    props.remove(ConsumerConfig.GROUP_ID_CONFIG); // assign(): no group, nothing committed
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    try {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
      if (infos == null || infos.isEmpty()) {
        throw new StreamingException("topic " + topic + " does not exist (no partitions)");
      }
      this.partitions = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
    } catch (RuntimeException e) {
      consumer.close();
      throw e;
    }
  }

  /**
   * Reads every record up to the current end of the topic.
   *
   * @throws StreamingException if that takes longer than {@code timeout}
   */
  void refresh(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
    while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
      if (System.nanoTime() > deadline) {
        throw new StreamingException("could not read " + topic + " to its end " + end + " within " + timeout);
      }
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
        apply(r);
      }
    }
  }

  private void apply(ConsumerRecord<byte[], byte[]> r) {
    if (r.key() == null) {
      return;
    }
    String version = new String(r.key(), StandardCharsets.UTF_8);
    if (r.value() == null) {
      statuses.remove(version); // tombstone: the version was removed
      return;
    }
    Decoded<Checkpoint> d = SERDE.tryDecode(r.topic(), r.value());
    if (d instanceof Decoded.Failed<Checkpoint> f) {
      LOG.warn("{}-{}@{}: undecodable checkpoint record for {}: {}", r.topic(), r.partition(), r.offset(), version,
          f.error().getMessage());
      return;
    }
    statuses.put(version, d.orThrow().getStatus());
  }

  /** Records a status this trainer just published (so no re-read is needed to know it). */
  void record(String version, CheckpointStatus status) {
    statuses.putIfAbsent(version, status);
  }

  /** Whether any status of {@code version} was seen. */
  boolean contains(String version) {
    return statuses.containsKey(version);
  }

  /** Every PROMOTED version. */
  Set<String> promoted() {
    Set<String> out = new TreeSet<>();
    statuses.forEach((v, s) -> {
      if (s == CheckpointStatus.PROMOTED) {
        out.add(v);
      }
    });
    return out;
  }

  @Override
  public void close() {
    consumer.close();
  }
}
