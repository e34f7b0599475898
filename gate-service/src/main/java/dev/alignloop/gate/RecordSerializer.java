package dev.alignloop.gate;

import dev.alignloop.schemas.AvroSerde;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serializes the few record types one transaction of the gate writes (an {@code EvalResult} and a
 * {@code Checkpoint}), each with its own single-object encoding; any other type is a bug.
 */
final class RecordSerializer implements Serializer<SpecificRecord> {
    private final Map<Class<?>, Serializer<SpecificRecord>> byType;

    @SuppressWarnings("unchecked")
    RecordSerializer(Class<? extends SpecificRecord>... types) {
        var map = new java.util.HashMap<Class<?>, Serializer<SpecificRecord>>();
        for (Class<? extends SpecificRecord> t : types) {
            map.put(t, (Serializer<SpecificRecord>) (Serializer<?>) AvroSerde.of(t).serializer());
        }
        this.byType = Map.copyOf(map);
    }

    @Override
    public byte[] serialize(String topic, SpecificRecord data) {
        Serializer<SpecificRecord> s = byType.get(data.getClass());
        if (s == null) {
            throw new IllegalArgumentException("no serializer for " + data.getClass().getName() + " (topic " + topic + ")");
        }
        return s.serialize(topic, data);
    }
}
