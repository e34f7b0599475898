package dev.alignloop.broker.testing;

import dev.alignloop.broker.EmbeddedKafkaBroker;
import dev.alignloop.schemas.TopicSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Test-side view of the shared embedded broker: client settings and small helpers, so tests
 * in every module talk to Kafka the same way. Inject it with {@link KafkaBrokerExtension}.
 *
 * <p>Tests share one broker per JVM, so each test should use its own topics ({@link
 * #newTopic}), group ids and transactional ids ({@link #uniqueId}).
 */
public final class KafkaTestCluster {

  private static final AtomicInteger COUNTER = new AtomicInteger();

  private final EmbeddedKafkaBroker broker;

  public KafkaTestCluster(EmbeddedKafkaBroker broker) {
    this.broker = broker;
  }

  /** The underlying broker. */
  public EmbeddedKafkaBroker broker() {
    return broker;
  }

  /** {@code 127.0.0.1:port}. */
  public String bootstrapServers() {
    return broker.bootstrapServers();
  }

  /** A new Admin client; the caller closes it. */
  public Admin admin() {
    return broker.admin();
  }

  /** {@code prefix-N-xxxxxxxx}: unique in this JVM and across runs on a reused broker. */
  public static String uniqueId(String prefix) {
    return prefix + "-" + COUNTER.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Creates a fresh one-partition topic and returns its name. */
  public String newTopic(String prefix) {
    return newTopic(prefix, 1);
  }

  /** Creates a fresh topic with {@code partitions} partitions and returns its name. */
  public String newTopic(String prefix, int partitions) {
    String name = uniqueId(prefix);
    broker.createTopics(List.of(new TopicSpec(name, partitions, (short) 1, Map.of())));
    return name;
  }

  /** Idempotent producer settings (acks=all); add serializers in the constructor. */
  public Map<String, Object> producerProps() {
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    return props;
  }

  /** Producer settings for exactly-once: idempotent plus a transactional id. */
  public Map<String, Object> transactionalProducerProps(String transactionalId) {
    Map<String, Object> props = producerProps();
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    return props;
  }

  /** Consumer settings: read_committed, from earliest, no auto-commit; group id optional. */
  public Map<String, Object> consumerProps(String groupId) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    if (groupId != null) {
      props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    }
    return props;
  }

  /**
   * Reads {@code topic} from the beginning of every partition (read_committed, no group) until
   * {@code expected} records arrived or {@code timeout} passed.
   *
   * @return the records, in per-partition order
   * @throws AssertionError on timeout, saying how many arrived
   */
  public <K, V> List<ConsumerRecord<K, V>> readAll(String topic, Deserializer<K> keys, Deserializer<V> values,
      int expected, Duration timeout) {
    try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(consumerProps(null), keys, values)) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo p : consumer.partitionsFor(topic, timeout)) {
        partitions.add(new TopicPartition(topic, p.partition()));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      return pollUntil(consumer, expected, timeout);
    }
  }

  /** Polls {@code consumer} until {@code expected} records arrived or the deadline passed. */
  public static <K, V> List<ConsumerRecord<K, V>> pollUntil(KafkaConsumer<K, V> consumer, int expected,
      Duration timeout) {
    List<ConsumerRecord<K, V>> records = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (records.size() < expected) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("expected " + expected + " records within " + timeout + ", got "
            + records.size() + ": " + records);
      }
      consumer.poll(Duration.ofMillis(100)).forEach(records::add);
    }
    return records;
  }
}
