package dev.alignloop.streaming.eos;

import dev.alignloop.common.kafka.KafkaSettings;
import dev.alignloop.schemas.Decoded;
import dev.alignloop.schemas.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Builds an {@link ExactlyOnceProcessor}: required settings {@code setX}, optional ones {@code
 * optX} with the defaults below; {@link #build()} validates and names the setting at fault.
 *
 * @param <I> input value type
 * @param <O> output value type
 */
public final class ProcessorBuilder<I, O> {

  /** Default {@code max.poll.records}: the most inputs one handler call and one transaction get. */
  public static final int DEFAULT_MAX_POLL_RECORDS = 500;
  /** Default {@code max.poll.interval.ms}: must exceed the worst batch time. */
  public static final Duration DEFAULT_MAX_POLL_INTERVAL = Duration.ofMinutes(5);
  /** Default time one {@code poll} waits for records. */
  public static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofMillis(500);
  /** Default first backoff after a failed batch (doubles up to the maximum). */
  public static final Duration DEFAULT_BACKOFF_INITIAL = Duration.ofMillis(100);
  /** Default longest backoff. */
  public static final Duration DEFAULT_BACKOFF_MAX = Duration.ofSeconds(30);
  /** Default time {@link ExactlyOnceProcessor#close()} waits for the in-flight batch. */
  public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]+");
  // The processor owns these: overriding them would break exactly-once.
  private static final Set<String> RESERVED_CONSUMER = Set.of(ConsumerConfig.GROUP_ID_CONFIG,
      ConsumerConfig.ISOLATION_LEVEL_CONFIG, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
      ConsumerConfig.MAX_POLL_RECORDS_CONFIG, ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG,
      ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);
  private static final Set<String> RESERVED_PRODUCER = Set.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG,
      ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, ProducerConfig.ACKS_CONFIG,
      ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);

  KafkaSettings kafka;
  String inputTopic;
  Deserializer<Decoded<I>> inputValues;
  Serializer<O> outputValues;
  String groupId;
  String transactionalIdPrefix;
  String instanceId;
  String service;
  BatchHandler<I, O> handler;
  int maxPollRecords = DEFAULT_MAX_POLL_RECORDS;
  Duration maxPollInterval = DEFAULT_MAX_POLL_INTERVAL;
  Duration pollTimeout = DEFAULT_POLL_TIMEOUT;
  Duration backoffInitial = DEFAULT_BACKOFF_INITIAL;
  Duration backoffMax = DEFAULT_BACKOFF_MAX;
  int maxConsecutiveFailures;
  Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
  String deadLetterTopic = Topics.DLQ;
  ProcessorListener listener = ProcessorListener.NONE;
  Clock clock = Clock.systemUTC();
  final Map<String, Object> consumerOverrides = new HashMap<>();
  final Map<String, Object> producerOverrides = new HashMap<>();

  ProcessorBuilder() {}

  /** How to reach Kafka. Required. */
  public ProcessorBuilder<I, O> setKafka(KafkaSettings kafka) {
    this.kafka = kafka;
    return this;
  }

  /**
   * The input topic and its never-throwing value decoder, e.g. {@code
   * AvroSerde.of(ImagePair.class).safeDeserializer()}. Required.
   */
  public ProcessorBuilder<I, O> setInput(String topic, Deserializer<Decoded<I>> values) {
    this.inputTopic = topic;
    this.inputValues = values;
    return this;
  }

  /** Serializer of output values, e.g. {@code AvroSerde.of(PreferenceLabel.class).serializer()}. Required. */
  public ProcessorBuilder<I, O> setOutput(Serializer<O> values) {
    this.outputValues = values;
    return this;
  }

  /** Consumer group; all instances of a service share it. Required. */
  public ProcessorBuilder<I, O> setGroupId(String groupId) {
    this.groupId = groupId;
    return this;
  }

  /**
   * Transactional id {@code prefix-instanceId}. The instance id must be stable across restarts
   * of the same instance (a StatefulSet ordinal, a host name) so the restarted instance fences
   * its zombie, and unique among live instances. Required.
   */
  public ProcessorBuilder<I, O> setTransactionalId(String prefix, String instanceId) {
    this.transactionalIdPrefix = prefix;
    this.instanceId = instanceId;
    return this;
  }

  /** Service name written into dead letters, e.g. {@code scorer-service}. Required. */
  public ProcessorBuilder<I, O> setService(String service) {
    this.service = service;
    return this;
  }

  /** The service logic. Required. */
  public ProcessorBuilder<I, O> setHandler(BatchHandler<I, O> handler) {
    this.handler = handler;
    return this;
  }

  /** Most records per batch (and per transaction); default {@value #DEFAULT_MAX_POLL_RECORDS}. */
  public ProcessorBuilder<I, O> optMaxPollRecords(int maxPollRecords) {
    this.maxPollRecords = maxPollRecords;
    return this;
  }

  /**
   * {@code max.poll.interval.ms}: a batch (handler plus commit, plus any retry backoff) taking
   * longer gets this instance thrown out of the group and the batch redone elsewhere. Keep it
   * above the worst batch time; default 5 minutes.
   */
  public ProcessorBuilder<I, O> optMaxPollInterval(Duration maxPollInterval) {
    this.maxPollInterval = maxPollInterval;
    return this;
  }

  /** How long one {@code poll} waits for records; default 500 ms. */
  public ProcessorBuilder<I, O> optPollTimeout(Duration pollTimeout) {
    this.pollTimeout = pollTimeout;
    return this;
  }

  /** Backoff after a failed batch: {@code initial}, doubling up to {@code max}; default 100 ms to 30 s. */
  public ProcessorBuilder<I, O> optRetryBackoff(Duration initial, Duration max) {
    this.backoffInitial = initial;
    this.backoffMax = max;
    return this;
  }

  /**
   * Stop with {@link ProcessorState#FAILED} after this many failed attempts in a row; 0 (the
   * default) retries forever (lag grows and alerts, nothing is dead-lettered).
   */
  public ProcessorBuilder<I, O> optMaxConsecutiveFailures(int maxConsecutiveFailures) {
    this.maxConsecutiveFailures = maxConsecutiveFailures;
    return this;
  }

  /** How long {@link ExactlyOnceProcessor#close()} waits for the in-flight batch; default 30 s. */
  public ProcessorBuilder<I, O> optCloseTimeout(Duration closeTimeout) {
    this.closeTimeout = closeTimeout;
    return this;
  }

  /** Where dead letters go; default {@value Topics#DLQ}. */
  public ProcessorBuilder<I, O> optDeadLetterTopic(String deadLetterTopic) {
    this.deadLetterTopic = deadLetterTopic;
    return this;
  }

  /** Metrics hooks; default none. */
  public ProcessorBuilder<I, O> optListener(ProcessorListener listener) {
    this.listener = listener;
    return this;
  }

  /** Clock for dead letters' {@code failedAt}; default UTC system clock. */
  public ProcessorBuilder<I, O> optClock(Clock clock) {
    this.clock = clock;
    return this;
  }

  /** Extra consumer setting (e.g. {@code session.timeout.ms}); the EOS-critical ones are refused. */
  public ProcessorBuilder<I, O> optConsumerProperty(String key, Object value) {
    consumerOverrides.put(key, value);
    return this;
  }

  /** Extra producer setting (e.g. {@code linger.ms}); the EOS-critical ones are refused. */
  public ProcessorBuilder<I, O> optProducerProperty(String key, Object value) {
    producerOverrides.put(key, value);
    return this;
  }

  /**
   * Validates and creates the processor (and its Kafka clients; nothing connects until {@link
   * ExactlyOnceProcessor#start()}).
   *
   * @throws IllegalArgumentException naming the missing or conflicting settings
   */
  public ExactlyOnceProcessor<I, O> build() {
    require(kafka, "kafka");
    require(inputTopic, "input topic");
    require(inputValues, "input values decoder");
    require(outputValues, "output values serializer");
    require(handler, "handler");
    requireId(groupId, "groupId");
    requireId(transactionalIdPrefix, "transactional id prefix");
    requireId(instanceId, "instance id");
    requireId(service, "service");
    requireId(deadLetterTopic, "dead letter topic");
    require(listener, "listener");
    require(clock, "clock");
    if (maxPollRecords < 1) {
      throw new IllegalArgumentException("maxPollRecords must be >= 1, got " + maxPollRecords);
    }
    if (maxConsecutiveFailures < 0) {
      throw new IllegalArgumentException("maxConsecutiveFailures must be >= 0, got " + maxConsecutiveFailures);
    }
    positive(pollTimeout, "pollTimeout");
    positive(backoffInitial, "backoff initial");
    positive(closeTimeout, "closeTimeout");
    positive(maxPollInterval, "maxPollInterval");
    if (backoffMax.compareTo(backoffInitial) < 0) {
      throw new IllegalArgumentException("backoff max " + backoffMax + " is below backoff initial " + backoffInitial);
    }
    // The backoff is waited out on the polling thread: it must fit in one poll interval.
    if (backoffMax.plus(pollTimeout).compareTo(maxPollInterval) >= 0) {
      throw new IllegalArgumentException("backoff max " + backoffMax + " + pollTimeout " + pollTimeout
          + " must be below maxPollInterval (max.poll.interval.ms) " + maxPollInterval);
    }
    reserved(consumerOverrides, RESERVED_CONSUMER, "consumer");
    reserved(producerOverrides, RESERVED_PRODUCER, "producer");
    return new ExactlyOnceProcessor<>(this);
  }

  String transactionalId() {
    return transactionalIdPrefix + "-" + instanceId;
  }

  private static void require(Object value, String name) {
    if (value == null) {
      throw new IllegalArgumentException(name + " is required");
    }
  }

  private static void requireId(String value, String name) {
    require(value, name);
    if (!ID.matcher(value).matches()) {
      throw new IllegalArgumentException(name + " '" + value + "' may hold only letters, digits, '.', '_' and '-'");
    }
  }

  private static void positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
  }

  private static void reserved(Map<String, Object> overrides, Set<String> reserved, String client) {
    for (String key : overrides.keySet()) {
      if (reserved.contains(key)) {
        throw new IllegalArgumentException(client + " setting " + key
            + " is set by the processor for exactly-once and cannot be overridden");
      }
    }
  }
}
