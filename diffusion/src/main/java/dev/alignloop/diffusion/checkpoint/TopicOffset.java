package dev.alignloop.diffusion.checkpoint;

/**
 * A Kafka position consumed into a checkpoint: {@code offset} is the next offset to read (Kafka's
 * committed-offset convention), so every record below it on that partition is in the weights.
 */
public record TopicOffset(String topic, int partition, long offset) {
    public TopicOffset {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("topic is required");
        }
        if (partition < 0) {
            throw new IllegalArgumentException("partition must be >= 0, got " + partition + " for topic " + topic);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0, got " + offset + " for " + topic + "-" + partition);
        }
    }
}
