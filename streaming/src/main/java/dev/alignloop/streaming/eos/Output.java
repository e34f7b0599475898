package dev.alignloop.streaming.eos;

import java.util.Objects;

/**
 * One record for the processor to produce in the batch's transaction.
 *
 * @param topic destination topic
 * @param key UTF-8 key (the downstream id: prompt id, pair id), or null
 * @param value the value; null produces a tombstone
 * @param <O> the value type
 */
public record Output<O>(String topic, String key, O value) {

  /** Checks the topic. */
  public Output {
    Objects.requireNonNull(topic, "topic");
  }
}
