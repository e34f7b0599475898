package dev.alignloop.streaming;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * A thin wrapper over an idempotent {@link Producer} with string keys: sends return {@link
 * CompletableFuture}s, and {@link #sendAll} sends a whole source and waits until every record is
 * acknowledged. Made by {@link Producers}. Thread-safe, like the producer it wraps.
 *
 * @param <V> the value type
 */
public final class SourceProducer<V> implements AutoCloseable {

  private final Producer<String, V> producer;

  /** Wraps a producer; it is closed with this object. */
  public SourceProducer(Producer<String, V> producer) {
    this.producer = Objects.requireNonNull(producer, "producer");
  }

  /**
   * Sends one record; the future completes when the broker acknowledged it ({@code acks=all}) or
   * the producer gave up (after {@code delivery.timeout.ms}).
   */
  public CompletableFuture<RecordMetadata> send(String topic, String key, V value) {
    CompletableFuture<RecordMetadata> result = new CompletableFuture<>();
    try {
      producer.send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
        if (error != null) {
          result.completeExceptionally(error);
        } else {
          result.complete(metadata);
        }
      });
    } catch (RuntimeException e) {
      // Serialization and buffer-full errors are thrown by send() itself.
      result.completeExceptionally(e);
    }
    return result;
  }

  /**
   * Sends every value keyed by {@code keyOf}, flushes, and waits for all acknowledgements.
   *
   * @return how many records were sent
   * @throws StreamingException naming the topic and the first key that failed, or the timeout
   */
  public int sendAll(String topic, Iterable<? extends V> values, Function<? super V, String> keyOf,
      Duration timeout) {
    List<String> keys = new ArrayList<>();
    List<CompletableFuture<RecordMetadata>> sends = new ArrayList<>();
    for (V value : values) {
      String key = keyOf.apply(value);
      keys.add(key);
      sends.add(send(topic, key, value));
    }
    producer.flush();
    long deadline = System.nanoTime() + timeout.toNanos();
    for (int i = 0; i < sends.size(); i++) {
      try {
        sends.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (ExecutionException e) {
        throw new StreamingException("send to " + topic + " failed for key " + keys.get(i) + " ("
            + i + " of " + sends.size() + " acknowledged before it)", e.getCause());
      } catch (TimeoutException e) {
        throw new StreamingException("send to " + topic + " not acknowledged within " + timeout
            + " for key " + keys.get(i), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StreamingException("interrupted while sending to " + topic, e);
      }
    }
    return sends.size();
  }

  /** Blocks until every record sent so far is acknowledged or failed. */
  public void flush() {
    producer.flush();
  }

  /** The wrapped producer, for anything this wrapper does not cover. */
  public Producer<String, V> producer() {
    return producer;
  }

  /** Sends what is buffered, then closes (waits up to {@code timeout}). */
  public void close(Duration timeout) {
    producer.close(timeout);
  }

  @Override
  public void close() {
    producer.close();
  }
}
