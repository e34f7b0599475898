package dev.alignloop.streaming.tracking;

import dev.alignloop.common.kafka.KafkaSettings;
import dev.alignloop.schemas.Decoded;
import dev.alignloop.schemas.Topics;
import dev.alignloop.streaming.BadRecord;
import dev.alignloop.streaming.InputRecord;
import dev.alignloop.streaming.RecordDecoder;
import dev.alignloop.streaming.StreamingException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * A {@code read_committed} consumer whose position is owned by the caller: it assigns itself
 * every partition of one topic (no group membership, so no rebalances and nothing to lose on a
 * restart) and NEVER commits on its own. The trainer:
 *
 * <pre>{@code
 * try (OffsetTrackingConsumer<PreferenceLabel> labels = OffsetTrackingConsumer.builder(...).build()) {
 *   labels.seek(lastCheckpoint.offsets());          // missing partitions: from the beginning
 *   while (training) {
 *     TrackedBatch<PreferenceLabel> batch = labels.poll(8, Duration.ofSeconds(1));
 *     batch.failures().forEach(bad -> dlqProducer.send(dlq.route(bad)));
 *     step(batch.records());
 *     if (checkpointDue) {
 *       Map<TopicPartition, Long> offsets = labels.positions(); // exactly what was trained on
 *       writeCheckpointAtomically(model, offsets);
 *       labels.commit(offsets);                    // only now: lag for monitoring
 *     }
 *   }
 * }
 * }</pre>
 *
 * <h2>Back-pressure</h2>
 * Records are fetched only when {@link #poll} needs more than it holds, so at most {@code
 * maxRecords + max.poll.records} records are ever buffered; a slow trainer leaves the rest in
 * Kafka as lag. {@link #pause()} stops fetching altogether (e.g. while a checkpoint is written);
 * {@link #poll} then hands out only what is buffered.
 *
 * <h2>Offsets out of range</h2>
 * Resetting is off ({@code auto.offset.reset=none}): if a checkpoint's offset was deleted by
 * retention, {@link #poll} throws a {@link StreamingException} naming the partitions instead of
 * silently skipping labels.
 *
 * <p>Not thread-safe (like {@link KafkaConsumer}), except {@link #wakeup()}.
 *
 * @param <V> the value type
 */
public final class OffsetTrackingConsumer<V> implements AutoCloseable {

  private static final Comparator<TopicPartition> BY_PARTITION = Comparator.comparingInt(TopicPartition::partition);

  private final String topic;
  private final RecordDecoder<V> decoder;
  private final Consumer<byte[], byte[]> consumer;
  private final List<TopicPartition> partitions;
  private final ArrayDeque<ConsumerRecord<byte[], byte[]>> buffer = new ArrayDeque<>();
  private final TreeMap<TopicPartition, Long> positions = new TreeMap<>(BY_PARTITION);
  private boolean paused;

  private OffsetTrackingConsumer(Builder<V> b) {
    this.topic = b.topic;
    this.decoder = new RecordDecoder<>(b.values, Topics.valueType(b.topic).map(Class::getSimpleName).orElse("a value"));
    Properties props = b.kafka.readCommittedConsumer(b.groupId);
    props.putAll(b.overrides);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, b.maxPollRecords);
    this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    try {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, b.metadataTimeout);
      if (infos == null || infos.isEmpty()) {
        throw new StreamingException("topic " + topic + " does not exist (no partitions)");
      }
      List<TopicPartition> tps = new ArrayList<>();
      for (PartitionInfo info : infos) {
        tps.add(new TopicPartition(topic, info.partition()));
      }
      tps.sort(BY_PARTITION);
      this.partitions = List.copyOf(tps);
      consumer.assign(partitions);
      seek(Map.of());
    } catch (RuntimeException e) {
      consumer.close(); // don't leak the client we built
      throw e;
    }
  }

  /** A builder. */
  public static <V> Builder<V> builder() {
    return new Builder<>();
  }

  /**
   * Resumes from a checkpoint: each partition in {@code offsets} at that offset (the next one to
   * read), every other partition of the topic from its beginning. Drops whatever is buffered.
   *
   * @throws StreamingException if {@code offsets} names another topic, a partition the topic does
   *     not have, or a negative offset
   */
  public void seek(Map<TopicPartition, Long> offsets) {
    validate(offsets);
    buffer.clear();
    positions.clear();
    List<TopicPartition> fromStart = new ArrayList<>();
    for (TopicPartition tp : partitions) {
      Long offset = offsets.get(tp);
      if (offset == null) {
        fromStart.add(tp);
      } else {
        consumer.seek(tp, offset);
        positions.put(tp, offset);
      }
    }
    if (!fromStart.isEmpty()) {
      consumer.seekToBeginning(fromStart);
    }
  }

  /**
   * Hands out up to {@code maxRecords} records, fetching only if fewer are buffered; waits up to
   * {@code timeout} only when nothing is buffered.
   *
   * @throws StreamingException if a position is out of range (its records were deleted)
   */
  public TrackedBatch<V> poll(int maxRecords, Duration timeout) {
    if (maxRecords < 1) {
      throw new IllegalArgumentException("maxRecords must be >= 1, got " + maxRecords);
    }
    if (buffer.size() < maxRecords) {
      try {
        consumer.poll(buffer.isEmpty() ? timeout : Duration.ZERO).forEach(buffer::add);
      } catch (OffsetOutOfRangeException e) {
        throw new StreamingException("offsets " + e.offsetOutOfRangePartitions() + " of " + topic
            + " are out of range: their records were deleted (retention?) before they were consumed", e);
      }
    }
    List<InputRecord<V>> records = new ArrayList<>();
    List<BadRecord> failures = new ArrayList<>();
    for (int i = 0; i < maxRecords && !buffer.isEmpty(); i++) {
      ConsumerRecord<byte[], byte[]> raw = buffer.poll();
      InputRecord<V> record = decoder.decode(raw, failures::add);
      if (record != null) {
        records.add(record);
      }
      positions.put(new TopicPartition(raw.topic(), raw.partition()), raw.offset() + 1);
    }
    return new TrackedBatch<>(records, failures);
  }

  /**
   * The next offset per partition after everything handed out so far: the map a checkpoint
   * stores and {@link #seek} takes. Partitions with nothing handed out since the last seek are
   * absent unless the seek named them (absent means "from the beginning" to {@link #seek}).
   */
  public Map<TopicPartition, Long> positions() {
    // TreeMap(SortedMap) keeps the comparator: TopicPartition is not Comparable.
    return Collections.unmodifiableMap(new TreeMap<>(positions));
  }

  /**
   * Commits {@code offsets} for the group, synchronously. Call it only once the checkpoint
   * holding these offsets is durable: the group's committed offsets are for lag monitoring and
   * must never be ahead of what a restart would resume from.
   *
   * @throws StreamingException if {@code offsets} is invalid (see {@link #seek})
   * @throws org.apache.kafka.common.KafkaException if the commit fails (e.g. the group has live
   *     members: this consumer commits as a standalone member)
   */
  public void commit(Map<TopicPartition, Long> offsets) {
    validate(offsets);
    Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
    offsets.forEach((tp, offset) -> commit.put(tp, new OffsetAndMetadata(offset)));
    consumer.commitSync(commit);
  }

  /** The group's committed offsets (partitions with none are absent). */
  public Map<TopicPartition, Long> committed() {
    Map<TopicPartition, Long> result = new TreeMap<>(BY_PARTITION);
    consumer.committed(new LinkedHashSet<>(partitions)).forEach((tp, om) -> {
      if (om != null) {
        result.put(tp, om.offset());
      }
    });
    return result;
  }

  /** Stops fetching; {@link #poll} hands out only what is buffered until {@link #resume()}. */
  public void pause() {
    consumer.pause(partitions);
    paused = true;
  }

  /** Fetches again after {@link #pause()}. */
  public void resume() {
    consumer.resume(partitions);
    paused = false;
  }

  /** True between {@link #pause()} and {@link #resume()}. */
  public boolean isPaused() {
    return paused;
  }

  /** Records fetched but not handed out yet. */
  public int buffered() {
    return buffer.size();
  }

  /** Every partition of the topic, in partition order. */
  public List<TopicPartition> partitions() {
    return partitions;
  }

  /** Makes a blocked {@link #poll} throw {@link org.apache.kafka.common.errors.WakeupException}; any thread. */
  public void wakeup() {
    consumer.wakeup();
  }

  /** Closes the consumer; commits nothing. */
  @Override
  public void close() {
    consumer.close();
  }

  private void validate(Map<TopicPartition, Long> offsets) {
    Objects.requireNonNull(offsets, "offsets");
    Set<TopicPartition> known = Set.copyOf(partitions);
    offsets.forEach((tp, offset) -> {
      if (!known.contains(tp)) {
        throw new StreamingException("offset for " + tp + ", but " + topic + " has partitions " + partitions
            + " (checkpoint from another topic or a re-created one?)");
      }
      if (offset == null || offset < 0) {
        throw new StreamingException("offset " + offset + " for " + tp + " must be >= 0");
      }
    });
  }

  /**
   * Builds an {@link OffsetTrackingConsumer}; {@code setX} required, {@code optX} optional.
   *
   * @param <V> the value type
   */
  public static final class Builder<V> {
    private KafkaSettings kafka;
    private String topic;
    private Deserializer<Decoded<V>> values;
    private String groupId;
    private int maxPollRecords = 500;
    private Duration metadataTimeout = Duration.ofSeconds(30);
    private final Map<String, Object> overrides = new HashMap<>();

    private Builder() {}

    /** How to reach Kafka. Required. */
    public Builder<V> setKafka(KafkaSettings kafka) {
      this.kafka = kafka;
      return this;
    }

    /** The topic and its never-throwing value decoder ({@code AvroSerde.safeDeserializer()}). Required. */
    public Builder<V> setTopic(String topic, Deserializer<Decoded<V>> values) {
      this.topic = topic;
      this.values = values;
      return this;
    }

    /** The group {@link #commit} reports lag under (e.g. {@code trainer}). Required. */
    public Builder<V> setGroupId(String groupId) {
      this.groupId = groupId;
      return this;
    }

    /** Most records fetched per consumer poll; default 500. */
    public Builder<V> optMaxPollRecords(int maxPollRecords) {
      this.maxPollRecords = maxPollRecords;
      return this;
    }

    /** How long to wait for the topic's partitions at build time; default 30 s. */
    public Builder<V> optMetadataTimeout(Duration metadataTimeout) {
      this.metadataTimeout = metadataTimeout;
      return this;
    }

    /** Extra consumer setting (e.g. {@code fetch.max.bytes}); commit and reset settings are fixed. */
    public Builder<V> optConsumerProperty(String key, Object value) {
      overrides.put(key, value);
      return this;
    }

    /**
     * Validates, creates the consumer, assigns every partition and positions them at the
     * beginning ({@link #seek} to resume from a checkpoint).
     */
    public OffsetTrackingConsumer<V> build() {
      Objects.requireNonNull(kafka, "kafka is required");
      Objects.requireNonNull(topic, "topic is required");
      Objects.requireNonNull(values, "values decoder is required");
      if (groupId == null || groupId.isBlank()) {
        throw new IllegalArgumentException("groupId is required");
      }
      if (maxPollRecords < 1) {
        throw new IllegalArgumentException("maxPollRecords must be >= 1, got " + maxPollRecords);
      }
      return new OffsetTrackingConsumer<>(this);
    }
  }
}
