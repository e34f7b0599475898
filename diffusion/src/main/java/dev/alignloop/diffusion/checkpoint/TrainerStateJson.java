package dev.alignloop.diffusion.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads and writes {@code trainer_state.json} (snake_case keys, ISO-8601 time). */
final class TrainerStateJson {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private TrainerStateJson() {
    }

    static byte[] write(TrainerState s) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", CheckpointLayout.FORMAT);
        root.put("version", s.version());
        if (s.parentVersion() == null) {
            root.putNull("parent_version");
        } else {
            root.put("parent_version", s.parentVersion());
        }
        root.put("step", s.step());
        root.put("lr_step", s.lrStep());
        ObjectNode rng = root.putObject("rng");
        rng.put("seed", s.rng().seed());
        rng.put("position", s.rng().position());
        ArrayNode offsets = root.putArray("consumed_offsets");
        for (TopicOffset o : s.consumedOffsets()) {
            offsets.addObject().put("topic", o.topic()).put("partition", o.partition()).put("offset", o.offset());
        }
        ObjectNode metrics = root.putObject("metrics");
        new TreeMap<>(s.metrics()).forEach(metrics::put);
        root.put("created_at", s.createdAt().toString());
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new CheckpointException("cannot encode trainer state of " + s.version(), e);
        }
    }

    static TrainerState read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new CheckpointException(file + ": unreadable: " + e.getMessage(), e);
        }
        try {
            if (root == null || !root.isObject()) {
                throw new IllegalArgumentException("not a JSON object");
            }
            String format = text(root, "format");
            if (!CheckpointLayout.FORMAT.equals(format)) {
                throw new IllegalArgumentException("format '" + format + "' is not " + CheckpointLayout.FORMAT);
            }
            JsonNode parent = root.get("parent_version");
            JsonNode rng = required(root, "rng");
            List<TopicOffset> offsets = new ArrayList<>();
            for (JsonNode o : required(root, "consumed_offsets")) {
                offsets.add(new TopicOffset(text(o, "topic"), required(o, "partition").asInt(), required(o, "offset").asLong()));
            }
            Map<String, Double> metrics = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = required(root, "metrics").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isNumber()) {
                    throw new IllegalArgumentException("metric '" + e.getKey() + "' is not a number");
                }
                metrics.put(e.getKey(), e.getValue().asDouble());
            }
            return new TrainerState(
                    text(root, "version"),
                    parent == null || parent.isNull() ? null : parent.asText(),
                    integer(root, "step"),
                    integer(root, "lr_step"),
                    new RngState(integer(rng, "seed"), integer(rng, "position")),
                    offsets,
                    metrics,
                    Instant.parse(text(root, "created_at")));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new CheckpointException(file + ": invalid trainer state: " + e.getMessage(), e);
        }
    }

    private static JsonNode required(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("missing field '" + field + "'");
        }
        return v;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = required(n, field);
        if (!v.isTextual()) {
            throw new IllegalArgumentException("field '" + field + "' must be a string");
        }
        return v.asText();
    }

    private static long integer(JsonNode n, String field) {
        JsonNode v = required(n, field);
        if (!v.isIntegralNumber()) {
            throw new IllegalArgumentException("field '" + field + "' must be an integer");
        }
        return v.asLong();
    }
}
