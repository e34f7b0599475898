package dev.alignloop.streaming.eos;

import java.util.Collection;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;

/**
 * The processor's rebalance listener. It only reports: a batch commits or aborts before the
 * next {@code poll()}, and rebalances run inside {@code poll()}, so no transaction is ever open
 * when partitions are revoked and there is nothing to commit or abort here.
 */
final class RebalanceReporter implements ConsumerRebalanceListener {

  private final ProcessorListener listener;

  RebalanceReporter(ProcessorListener listener) {
    this.listener = listener;
  }

  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    if (!partitions.isEmpty()) { // cooperative rebalancing calls with none
      listener.onPartitionsRevoked(partitions, false);
    }
  }

  @Override
  public void onPartitionsLost(Collection<TopicPartition> partitions) {
    listener.onPartitionsRevoked(partitions, true);
  }

  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    if (!partitions.isEmpty()) {
      listener.onPartitionsAssigned(partitions);
    }
  }
}
