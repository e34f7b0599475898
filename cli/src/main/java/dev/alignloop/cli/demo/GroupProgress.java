package dev.alignloop.cli.demo;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Whether a consumer group has worked through every record of a topic. Plain offset lag cannot
 * say: on a transactionally written topic each commit leaves a marker that takes an offset, so a
 * group that consumed everything still trails the log end. Instead, the group's committed offset
 * must be past the last <em>data</em> record of each partition, as the demo's own read_committed
 * observer saw it (and the observer must itself have reached the log end).
 */
final class GroupProgress {
    private GroupProgress() {
    }

    static boolean caughtUp(Admin admin, LoopObserver observer, String group, String topic) {
        if (!observer.reachedEnd(admin, topic)) {
            return false;
        }
        Map<TopicPartition, OffsetAndMetadata> committed;
        try {
            committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading the offsets of " + group, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the offsets of group " + group + ": " + e.getCause().getMessage(),
                    e.getCause());
        }
        for (Map.Entry<TopicPartition, Long> last : observer.lastDataOffsets(topic).entrySet()) {
            OffsetAndMetadata c = committed.get(last.getKey());
            if (c == null || c.offset() <= last.getValue()) {
                return false;
            }
        }
        return true;
    }
}
