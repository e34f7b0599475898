package dev.alignloop.cli.demo;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * Consumer-group lag on one topic, read with the admin client: how the demo knows a service has
 * worked through everything (committed offsets at the read_committed end), including records it
 * consumed without producing anything (ties, dead letters).
 */
final class GroupLag {
    private GroupLag() {
    }

    /** Sum over the topic's partitions of (end offset - committed offset); uncommitted = from 0. */
    static long of(Admin admin, String group, String topic) {
        try {
            var partitions = admin.describeTopics(java.util.List.of(topic)).allTopicNames().get().get(topic)
                    .partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            ListOffsetsResult ends = admin.listOffsets(
                    partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())),
                    new org.apache.kafka.clients.admin.ListOffsetsOptions(IsolationLevel.READ_COMMITTED));
            long lag = 0;
            for (TopicPartition p : partitions) {
                long end = ends.partitionResult(p).get().offset();
                OffsetAndMetadata c = committed.get(p);
                lag += Math.max(0, end - (c == null ? 0 : c.offset()));
            }
            return lag;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading the lag of " + group, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the lag of group " + group + " on " + topic + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
    }
}
