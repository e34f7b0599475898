package dev.alignloop.monitor.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/topics}: broker reachability, one row per AlignLoop topic and the lag of
 * every consumer group, per partition.
 *
 * @param broker whether the AdminClient currently reaches the cluster
 * @param topics the six AlignLoop topics, in pipeline order
 * @param groups lag of every consumer group on every partition it has committed offsets for
 */
@Serdeable
public record TopicsView(BrokerStatus broker, List<TopicRow> topics, List<GroupLag> groups) {

  /**
   * @param state {@code STARTING} (no answer yet), {@code UP} or {@code UNREACHABLE}
   * @param error the last failure while not {@code UP}, else null
   * @param sinceMs when the state began
   * @param lastSuccessMs when lag was last fetched (0: never); lag and sizes are that old
   */
  @Serdeable
  public record BrokerStatus(String state, @Nullable String error, long sinceMs, long lastSuccessMs) {}

  /**
   * @param topic topic name
   * @param role {@code prompts}, {@code pairs}, ...
   * @param partitions partition count (0 while the topic does not exist)
   * @param endOffsets sum of the partitions' end offsets (read_committed): the topic's size in
   *     offsets, including compacted-away and expired ones
   * @param messagesPerSecond records per second over the last minute, by record timestamp
   * @param bytesPerSecond key plus value bytes per second over the last minute
   * @param messagesSeen records the monitor has read since it started
   * @param bytesSeen their key plus value bytes
   * @param undecodable values that did not decode (counted, skipped)
   * @param lastMessageMs timestamp of the newest record seen, 0 if none
   * @param lagByGroup total lag per consumer group reading this topic
   */
  @Serdeable
  public record TopicRow(String topic, String role, int partitions, long endOffsets,
      double messagesPerSecond, double bytesPerSecond, long messagesSeen, long bytesSeen,
      long undecodable, long lastMessageMs, Map<String, Long> lagByGroup) {}

  /**
   * @param group consumer group id
   * @param state group state as the coordinator reports it ({@code STABLE}, {@code EMPTY}, ...)
   * @param topic topic
   * @param partition partition
   * @param committed the group's committed offset (next offset it will read)
   * @param endOffset the partition's last stable offset (read_committed end)
   * @param lag {@code max(0, endOffset - committed)}
   */
  @Serdeable
  public record GroupLag(String group, String state, String topic, int partition, long committed,
      long endOffset, long lag) {}
}
