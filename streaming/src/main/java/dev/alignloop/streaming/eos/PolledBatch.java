package dev.alignloop.streaming.eos;

import dev.alignloop.streaming.BadRecord;
import dev.alignloop.streaming.DeadLetterRouter;
import dev.alignloop.streaming.InputRecord;
import dev.alignloop.streaming.RecordDecoder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One poll's records on their way to a transaction: decoded, then (with the handler's outcomes)
 * turned into the producer records and offsets to commit together.
 */
final class PolledBatch<I> {

  private static final Logger LOG = LoggerFactory.getLogger(PolledBatch.class);

  final List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
  final List<InputRecord<I>> inputs = new ArrayList<>();
  final Map<TopicPartition, Long> firstOffsets = new HashMap<>();
  final Map<TopicPartition, OffsetAndMetadata> nextOffsets = new HashMap<>();
  // Raw record -> what it became; identity because ConsumerRecord has no equals.
  private final Map<ConsumerRecord<byte[], byte[]>, Object> decoded = new IdentityHashMap<>();

  /** Filled by {@link #prepare}. */
  final List<ProducerRecord<String, byte[]>> toSend = new ArrayList<>();
  final List<DeadLetterEvent> deadLetters = new ArrayList<>();
  final Map<String, Integer> skipped = new TreeMap<>();
  int outputs;

  PolledBatch(ConsumerRecords<byte[], byte[]> polled, RecordDecoder<I> decoder) {
    for (ConsumerRecord<byte[], byte[]> record : polled) {
      all.add(record);
      TopicPartition tp = new TopicPartition(record.topic(), record.partition());
      firstOffsets.putIfAbsent(tp, record.offset());
      // Commit semantics: the next offset to read, i.e. last consumed + 1.
      nextOffsets.put(tp, new OffsetAndMetadata(record.offset() + 1));
      InputRecord<I> input = decoder.decode(record, bad -> decoded.put(record, bad));
      if (input != null) {
        inputs.add(input);
        decoded.put(record, input);
      }
    }
  }

  int size() {
    return all.size();
  }

  /**
   * Builds the records to send, in input order: each input's outputs, or its dead letter.
   *
   * @param outcomes one per {@link #inputs} element (checked by the caller)
   */
  <O> void prepare(List<Outcome<O>> outcomes, Serializer<O> values, DeadLetterRouter router) {
    Map<InputRecord<I>, Outcome<O>> byInput = new IdentityHashMap<>();
    for (int i = 0; i < inputs.size(); i++) {
      byInput.put(inputs.get(i), outcomes.get(i));
    }
    for (ConsumerRecord<byte[], byte[]> record : all) {
      Object what = decoded.get(record);
      if (what instanceof BadRecord bad) {
        deadLetter(router, record, null, bad.error(), bad.category());
        continue;
      }
      Outcome<O> outcome = byInput.get(what);
      if (outcome instanceof Outcome.Emit<O> emit) {
        List<ProducerRecord<String, byte[]>> encoded = new ArrayList<>(emit.outputs().size());
        try {
          for (Output<O> out : emit.outputs()) {
            encoded.add(new ProducerRecord<>(out.topic(), out.key(), values.serialize(out.topic(), out.value())));
          }
        } catch (RuntimeException e) {
          // Deterministic: retrying would fail the same way forever. The input goes to the DLQ.
          deadLetter(router, record, "output does not serialize", e, "output-encode");
          continue;
        }
        toSend.addAll(encoded);
        outputs += encoded.size();
      } else if (outcome instanceof Outcome.Skip<O> skip) {
        skipped.merge(skip.reason(), 1, Integer::sum);
      } else if (outcome instanceof Outcome.Reject<O> reject) {
        deadLetter(router, record, reject.reason(), reject.cause(), "rejected");
      }
    }
  }

  private void deadLetter(DeadLetterRouter router, ConsumerRecord<byte[], byte[]> record, String reason,
      Throwable error, String category) {
    var letter = router.letter(record, reason, error);
    toSend.add(router.toRecord(letter));
    deadLetters.add(new DeadLetterEvent(new TopicPartition(record.topic(), record.partition()),
        record.offset(), category, letter.getReason()));
  }

  /** Null if {@code outcomes} keeps the handler contract, else what is wrong with it. */
  <O> String contractViolation(List<Outcome<O>> outcomes) {
    if (outcomes == null) {
      return "returned null for " + inputs.size() + " inputs";
    }
    // Counted by hand: List.of-style lists throw on contains(null).
    long nulls = outcomes.stream().filter(o -> o == null).count();
    if (outcomes.size() != inputs.size() || nulls > 0) {
      return "returned " + outcomes.size() + " outcomes (" + nulls + " null) for " + inputs.size()
          + " inputs; it must return exactly one non-null Outcome per input";
    }
    return null;
  }

  /**
   * Seeks this batch's partitions back to their committed offsets (the broker's truth: right
   * even if a commit we saw fail did go through), or to the batch's first offsets where none is
   * committed or the lookup fails. Partitions not in the batch consumed nothing uncommitted.
   *
   * @throws org.apache.kafka.common.errors.WakeupException if woken up (stopping)
   */
  void rewind(Consumer<byte[], byte[]> consumer, Duration timeout) {
    Map<TopicPartition, Long> targets = new HashMap<>(firstOffsets);
    try {
      consumer.committed(targets.keySet(), timeout).forEach((tp, committed) -> {
        if (committed != null) {
          targets.put(tp, committed.offset());
        }
      });
    } catch (WakeupException | InterruptException e) {
      throw e;
    } catch (KafkaException e) {
      LOG.warn("committed offsets of {} unavailable ({}); rewinding to the batch start", targets.keySet(), e.toString());
    }
    Set<TopicPartition> assigned = consumer.assignment();
    targets.forEach((tp, offset) -> {
      if (assigned.contains(tp)) {
        consumer.seek(tp, offset);
      }
    });
  }
}
