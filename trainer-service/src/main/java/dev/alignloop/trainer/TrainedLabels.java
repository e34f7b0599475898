package dev.alignloop.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alignloop.diffusion.checkpoint.CheckpointException;
import dev.alignloop.diffusion.checkpoint.WeightsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code trained_labels.json} of a checkpoint: every label consumed since its parent checkpoint,
 * with where it was read — the ones whose gradients are in these weights and the ones sent to the
 * dead-letter topic instead. Written inside the checkpoint (so the manifest covers it and it is
 * exactly as durable as the weights), it makes "which labels trained this model" an audit
 * question with an answer: walk the lineage through {@code parent_version} and take the union.
 * The reliability tests check it equals the labels produced, each once.
 *
 * @param version the checkpoint
 * @param parentVersion the checkpoint it continued from, or null
 * @param trained labels in the weights since the parent, in training order
 * @param deadLettered labels consumed since the parent that went to the DLQ
 */
public record TrainedLabels(String version, String parentVersion, List<Entry> trained, List<Entry> deadLettered) {
  /** The file name inside a checkpoint folder. */
  public static final String FILE = "trained_labels.json";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public TrainedLabels {
    trained = List.copyOf(trained);
    deadLettered = List.copyOf(deadLettered);
  }

  /**
   * One consumed label.
   *
   * @param pairId the label's pair id (its Kafka key for records that did not decode; may be null)
   * @param topic source topic
   * @param partition source partition
   * @param offset source offset
   * @param reason why it was dead-lettered; null for trained labels
   */
  public record Entry(String pairId, String topic, int partition, long offset, String reason) {}

  /** Writes the file into a checkpoint's temporary folder. */
  public WeightsWriter writer() {
    return dir -> Files.write(dir.resolve(FILE), toJson());
  }

  byte[] toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", version);
    root.put("parent_version", parentVersion);
    entries(root.putArray("trained"), trained);
    entries(root.putArray("dead_lettered"), deadLettered);
    try {
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new CheckpointException("cannot encode " + FILE + " of " + version, e);
    }
  }

  private static void entries(ArrayNode array, List<Entry> entries) {
    for (Entry e : entries) {
      ObjectNode n = array.addObject();
      n.put("pair_id", e.pairId());
      n.put("topic", e.topic());
      n.put("partition", e.partition());
      n.put("offset", e.offset());
      if (e.reason() != null) {
        n.put("reason", e.reason());
      }
    }
  }

  /**
   * Reads the file of a checkpoint folder.
   *
   * @throws CheckpointException naming the file when it is missing or malformed
   */
  public static TrainedLabels read(Path checkpointDir) {
    Path file = checkpointDir.resolve(FILE);
    try {
      JsonNode root = JSON.readTree(Files.readAllBytes(file));
      JsonNode parent = root.get("parent_version");
      return new TrainedLabels(root.path("version").asText(), parent == null || parent.isNull() ? null : parent.asText(),
          read(root.path("trained")), read(root.path("dead_lettered")));
    } catch (IOException | RuntimeException e) {
      throw new CheckpointException(file + ": unreadable: " + e.getMessage(), e);
    }
  }

  private static List<Entry> read(JsonNode array) {
    List<Entry> out = new ArrayList<>();
    for (JsonNode n : array) {
      JsonNode pair = n.get("pair_id");
      JsonNode reason = n.get("reason");
      out.add(new Entry(pair == null || pair.isNull() ? null : pair.asText(), n.get("topic").asText(),
          n.get("partition").asInt(), n.get("offset").asLong(), reason == null ? null : reason.asText()));
    }
    return out;
  }
}
